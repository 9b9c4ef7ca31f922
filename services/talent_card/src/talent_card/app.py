"""Talent-card (苏畅卡): cards of high-level talent and the talent flow of their holders.

Subscribes to ``suxin.hiring.hire_recorded.v1``; publishes ``suxin.talent.talent_flow_recorded.v1``.
"""

from __future__ import annotations

from fastapi import FastAPI

from suxin_common.messaging.catalog import TALENT
from suxin_common.service import build_service_app
from talent_card.api.routes import router
from talent_card.consumers import SUBSCRIPTIONS
from talent_card.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_service_app(
        settings or Settings(),
        title="Suxin talent-card (苏畅卡)",
        description="Talent cards and their holders' flow between employers and cities.",
        routers=[router],
        subscriptions=SUBSCRIPTIONS,
        publishes=[TALENT],
    )
