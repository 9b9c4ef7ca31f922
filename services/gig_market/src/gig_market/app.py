"""Gig-market (零工市场): the registry of standardised gig markets."""

from __future__ import annotations

from fastapi import FastAPI

from gig_market.api.routes import router
from gig_market.consumers import SUBSCRIPTIONS
from gig_market.settings import Settings
from suxin_common.service import build_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_service_app(
        settings or Settings(),
        title="Suxin gig-market (零工市场)",
        description="Standardised gig markets at provincial, city and county level.",
        routers=[router],
        subscriptions=SUBSCRIPTIONS,
    )
