"""Injury-insurance (职业伤害保障): 工伤保险 for hires, per-order occupational-injury protection
for platform workers, the platforms' contributions ledger, and injury claims.

Subscribes to ``suxin.hiring.hire_recorded.v1``, ``suxin.hiring.employment_ended.v1``,
``suxin.gig.platform_registered.v1``, ``suxin.gig.gig_worker_registered.v1`` and
``suxin.gig.orders_reported.v1``; publishes ``suxin.insurance.coverage_started.v1``,
``coverage_ended``, ``orders_covered`` and ``claim_stage_changed``.
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from injury_insurance import four_eyes_actions
from injury_insurance.adapters import rate_versions
from injury_insurance.adapters.repositories import Repositories
from injury_insurance.api import appeals, claims, me, platform_work, rates
from injury_insurance.api.deps import ServiceDeps
from injury_insurance.api.routes import router
from injury_insurance.consumers import SUBSCRIPTIONS
from injury_insurance.rates import process_rate_books
from injury_insurance.settings import Settings
from suxin_common.messaging.catalog import INSURANCE
from suxin_common.security.four_eyes import approvals_router
from suxin_common.service import build_service_app, install_service_deps


async def _load_rates(runtime) -> None:
    """The approved contribution-rate versions, in the book before the first order is priced."""
    await rate_versions.refresh(runtime.sessions)


async def _keep_rates_fresh(runtime) -> None:
    """Contribution-rate versions approved in the service join the rate file's, in this
    process, now and every minute (adapters/rate_versions.py)."""
    runtime.tasks.append(asyncio.create_task(rate_versions.keep_fresh(runtime)))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = build_service_app(
        settings,
        title="Suxin injury-insurance (职业伤害保障)",
        description=(
            "Work-injury insurance for hires; per-order occupational-injury protection, "
            "contributions and claims for platform workers."
        ),
        routers=[
            router,
            platform_work.router,
            claims.router,
            appeals.router,
            rates.router,
            me.router,
            approvals_router(),
        ],
        subscriptions=SUBSCRIPTIONS,
        publishes=[INSURANCE],
        before_workers=_load_rates,
        on_started=_keep_rates_fresh,
        repositories=Repositories,
    )
    # Maker-checker: the rules (thresholds from the settings) and what a confirmation does
    # (the kit's approvals router finds them on the app; this service's routes in its deps).
    app.state.four_eyes = four_eyes_actions.registry(settings)
    # The routes' one dependency object (api/deps.py), built once here; the rate books are the
    # process's (the consumers price orders with the same book in force).
    install_service_deps(app, ServiceDeps(settings, app.state.four_eyes, process_rate_books()))
    return app
