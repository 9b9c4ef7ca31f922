"""Partners (合作方接入): OAuth 2.0 client credentials for partner platforms, training
institutions and card verifiers, and webhooks for the events that concern them.

Routers: the token endpoint, JWKS and metadata (`api/oauth.py`); client registration by staff
(`api/clients.py`); webhook subscriptions and deliveries (`api/webhooks.py`).
Subscribes to the events partners can receive (`consumers.py`) and turns each into deliveries;
a background dispatcher sends them, signed, with retries (`webhooks/dispatcher.py`).
Publishes nothing on the bus.
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from partners.api import clients, oauth, webhooks
from partners.api.deps import PartnersDeps
from partners.consumers import SUBSCRIPTIONS
from partners.domain.model import RetryPolicy
from partners.oauth import ClientKeys
from partners.settings import Settings
from partners.webhooks.dispatcher import Dispatcher
from suxin_common.service import Runtime, build_service_app, install_service_deps


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    async def start_dispatcher(runtime: Runtime) -> None:
        if not settings.run_background_workers:
            return
        dispatcher = Dispatcher(
            runtime.engine,
            runtime.personal_data.cipher,
            RetryPolicy(tuple(settings.webhook_retry_delays_s)),
            timeout_s=settings.webhook_timeout_s,
            batch=settings.webhook_batch,
            poll_s=settings.webhook_poll_s,
        )
        runtime.tasks.append(asyncio.create_task(dispatcher.run(runtime.stop)))

    app = build_service_app(
        settings,
        title="Suxin partners (合作方接入)",
        description=(
            "OAuth 2.0 client credentials (private_key_jwt, RFC 7523; client secrets as a "
            "fallback) for partner platforms, training institutions and verifiers, and signed "
            "webhooks (Standard Webhooks) for the events that concern them."
        ),
        routers=[oauth.router, clients.router, webhooks.router],
        subscriptions=SUBSCRIPTIONS,
        on_started=start_dispatcher,
    )
    install_service_deps(
        app, PartnersDeps(settings=settings, client_keys=ClientKeys(settings.client_jwks_cache_s))
    )
    return app
