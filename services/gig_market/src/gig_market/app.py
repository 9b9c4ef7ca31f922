"""Gig-market (零工市场): gig markets and postings, the market for gig work (workers' gig
profiles, matches by distance and skills, applications, invitations, confirmation, completion),
零工驿站, platform enterprises, gig workers registered by real name, and platform orders
reported in bulk.

Publishes ``suxin.gig.*`` (PlatformRegistered, GigWorkerRegistered, OrdersReported,
GigApplicationChanged); subscribes to nothing.
"""

from __future__ import annotations

from fastapi import FastAPI

from gig_market.api import gig_work, markets, orders, platforms, stations
from gig_market.consumers import SUBSCRIPTIONS
from gig_market.settings import Settings
from suxin_common.messaging.catalog import GIG
from suxin_common.service import build_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_service_app(
        settings or Settings(),
        title="Suxin gig-market (零工市场)",
        description=(
            "Standardised gig markets and postings, the market for gig work (profiles, "
            "matches, applications), 零工驿站, platform enterprises, gig workers registered "
            "by real name, and bulk order reports; publishes suxin.gig events."
        ),
        routers=[
            markets.router,
            gig_work.router,
            stations.router,
            platforms.router,
            orders.router,
        ],
        subscriptions=SUBSCRIPTIONS,
        publishes=[GIG],
    )
