"""Talent-card (苏畅卡): eligibility, cards as signed credentials, entitlements, talent flow.

Subscribes to ``suxin.hiring.hire_recorded.v1``, ``suxin.hiring.employment_ended.v1`` and
``suxin.training.training_certified.v1``; publishes ``suxin.talent.card_issued.v1``,
``suxin.talent.card_status_changed.v1`` and ``suxin.talent.talent_flow_recorded.v1``.
"""

from __future__ import annotations

from fastapi import FastAPI

from suxin_common.messaging.catalog import TALENT
from suxin_common.service import build_service_app, install_service_deps
from talent_card.adapters.repositories import Repositories
from talent_card.api import applications, credentials, entitlements, me, routes, sd_jwt
from talent_card.api.deps import ServiceDeps
from talent_card.consumers import SUBSCRIPTIONS
from talent_card.credential import Issuer
from talent_card.criteria import process_book
from talent_card.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = build_service_app(
        settings,
        title="Suxin talent-card (苏畅卡)",
        description=(
            "Talent cards as signed credentials (JWKS, status lists), eligibility with "
            "applications and offers, entitlements, and holders' flow between employers and "
            "cities."
        ),
        routers=[
            credentials.public,
            credentials.router,
            sd_jwt.router,
            routes.router,
            applications.router,
            entitlements.router,
            me.router,
        ],
        subscriptions=SUBSCRIPTIONS,
        publishes=[TALENT],
        repositories=Repositories,
    )
    # The eligibility criteria and entitlement catalogue, loaded and validated here (a broken
    # file stops the start-up); the handlers read this process's book.
    process_book()
    # The routes' one dependency object (api/deps.py), built once here.
    install_service_deps(app, ServiceDeps(settings, Issuer.from_settings(settings)))
    return app
