"""Injury-insurance (职业伤害保障): the injury cover that follows every hire.

Subscribes to ``suxin.hiring.hire_recorded.v1``; publishes ``suxin.insurance.coverage_started.v1``.
"""

from __future__ import annotations

from fastapi import FastAPI

from injury_insurance.api.routes import router
from injury_insurance.consumers import SUBSCRIPTIONS
from injury_insurance.settings import Settings
from suxin_common.messaging.catalog import INSURANCE
from suxin_common.service import build_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_service_app(
        settings or Settings(),
        title="Suxin injury-insurance (职业伤害保障)",
        description="Work-injury insurance and occupational-injury protection started by hires.",
        routers=[router],
        subscriptions=SUBSCRIPTIONS,
        publishes=[INSURANCE],
    )
