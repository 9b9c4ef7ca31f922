"""Employment-monitor (就业运行监测): the read model of every other service's events.

Subscriptions (consumers.py) project every event into fact tables; the statistics API, the
dashboard and the ops replay read and rebuild them.
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from employment_monitor.api import admin, dashboard, enterprise_profile
from employment_monitor.api.assets import DashboardAssets
from employment_monitor.api.deps import ServiceDeps
from employment_monitor.api.routes import router
from employment_monitor.consumers import SUBSCRIPTIONS
from employment_monitor.domain.model import MonitoringConfig
from employment_monitor.settings import Settings
from suxin_common.service import build_service_app, install_service_deps


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = build_service_app(
        settings,
        title="Suxin employment-monitor (就业运行监测)",
        description="Statistics of employment, enterprises, 专精特新, supply and demand, gig work, "
        "training, subsidies and talent flows, from domain events; targets, warnings, replay "
        "and the dashboard (/dashboard).",
        routers=[router, dashboard.data, dashboard.page, admin.router, enterprise_profile.router],
        subscriptions=SUBSCRIPTIONS,
    )
    # The routes' one dependency object (api/deps.py), built once here.
    install_service_deps(
        app,
        ServiceDeps(
            settings,
            MonitoringConfig.load(settings.monitoring_config),
            asyncio.Lock(),
            DashboardAssets(),
        ),
    )
    return app
