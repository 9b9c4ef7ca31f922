"""Shared helpers of the cross-service security tests: each service's app on a fresh,
migrated database, started by its own lifespan (NATS connected, no background workers), and
development tokens for every role."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import FastAPI

from suxin_common.auth import Role, mint_dev_token
from suxin_common.migrate import upgrade_async
from suxin_common.security.matrix import SERVICES  # noqa: F401 (re-exported for the tests)
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import make_uscc

TENANT: dict[str, Any] = {
    "uscc": make_uscc(901),
    "platform_id": "platform-security-test",
    "institution_id": "institution-security-test",
    "department": "social_insurance",
}


# Live streams (job-matching's server-sent notifications) answer until their connection's
# time is up: a request to one returns after that long (55 s by default, per request).
SHORT_STREAMS = {"notification_stream_seconds": 0.3, "notification_poll_seconds": 0.1}


def service_settings(service: str, database_url: str, nats_url: str) -> ServiceSettings:
    settings_cls = importlib.import_module(f"{service}.settings").Settings
    streams = {k: v for k, v in SHORT_STREAMS.items() if k in settings_cls.model_fields}
    return settings_cls(
        environment="test",
        database_url=database_url,
        nats_url=nats_url,
        run_background_workers=False,
        rate_limit_enabled=False,
        **streams,
    )


def create_app(service: str, settings: ServiceSettings) -> FastAPI:
    return importlib.import_module(f"{service}.app").create_app(settings)


async def migrated_database(infra, service: str) -> str:
    url = await infra.create_database(f"sec_{service}")
    await upgrade_async(service, url)
    return url


def token_for(
    settings: ServiceSettings,
    *roles: Role,
    subject: str | None = None,
    scopes: frozenset[str] = frozenset(),
) -> str:
    return mint_dev_token(
        settings,
        subject or "-".join(roles) + "-security-test",
        list(roles),
        scopes=sorted(scopes),
        **TENANT,
    )


@contextlib.asynccontextmanager
async def running_service(infra, service: str) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The service's app with its lifespan run, and an HTTP client on it."""
    db = await infra.service_database(service, f"sec_{service}")
    # As in production: the runtime database role and the service's own NATS user.
    settings = service_settings(service, db.runtime_url, infra.nats_url_for(service))
    app = create_app(service, settings)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
                yield app, client
    finally:
        await infra.drop_database(db.database)
