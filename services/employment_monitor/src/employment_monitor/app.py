"""Employment-monitor (就业运行监测): the read model of every other service's events."""

from __future__ import annotations

from fastapi import FastAPI

from employment_monitor.api.routes import router
from employment_monitor.consumers import SUBSCRIPTIONS
from employment_monitor.settings import Settings
from suxin_common.service import build_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_service_app(
        settings or Settings(),
        title="Suxin employment-monitor (就业运行监测)",
        description="Statistics of new jobs by region, industry and month, from domain events.",
        routers=[router],
        subscriptions=SUBSCRIPTIONS,
    )
