"""Helpers for partners tests: acting as staff and as a partner against the service, and
publishing the domain events partners turn into webhooks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from partners.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_devkit.partnerkit import ASSERTION_TYPE, PartnerKey, Receiver, serve
from suxin_devkit.testing import make_uscc

__all__ = ["PartnerKey", "Receiver", "serve", "Partners", "partners_settings", "publish"]

PLATFORM_USCC = make_uscc(501, region="320100")
OTHER_USCC = make_uscc(502, region="320100")


def staff_headers() -> dict[str, str]:
    token = mint_dev_token(Settings(environment="test"), "staff-1", ["hrss_staff"])
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Partners:
    base: str
    http: httpx.AsyncClient
    settings: Settings
    database_url: str
    nats_url: str

    @property
    def token_url(self) -> str:
        return f"{self.base}/oauth2/token"

    async def register(self, **changes: Any) -> dict:
        body = {
            "name": "速达配送" + uuid.uuid4().hex[:4],
            "kind": "platform",
            "uscc": PLATFORM_USCC,
            "scopes": ["orders:write", "workers:write", "claims:read", "webhooks:manage"],
        } | changes
        r = await self.http.post("/v1/clients", json=body, headers=staff_headers())
        assert r.status_code == 201, r.text
        return r.json()

    async def token(self, key: PartnerKey, client_id: str, **form: str) -> httpx.Response:
        data = {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": key.assertion(client_id, self.token_url),
        } | form
        return await self.http.post("/oauth2/token", data=data)

    async def bearer(self, key: PartnerKey, client_id: str, **form: str) -> dict[str, str]:
        r = await self.token(key, client_id, **form)
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}


def partners_settings(database_url: str, nats_url: str, port: int, **overrides: Any) -> Settings:
    base = f"http://127.0.0.1:{port}"
    values: dict[str, Any] = dict(
        environment="test",
        database_url=database_url,
        nats_url=nats_url,
        token_endpoint_url=f"{base}/oauth2/token",
        auth_jwks_url=f"{base}/.well-known/jwks.json",
        auth_jwks_min_refresh_s=0.0,
        consumer_fetch_timeout_s=0.5,
        consumer_backoff_s=[0.05, 0.1, 0.2],
        webhook_retry_delays_s=(0.3, 0.6, 0.9),
        webhook_poll_s=0.1,
        webhook_timeout_s=1.0,
        secret_overlap_s=3600,
    )
    return Settings(**(values | overrides))


async def publish(nats_url: str, message: Any, event_id: str | None = None, **headers: str) -> str:
    """Publish a domain event as its publisher's relay would (CloudEvents headers)."""
    import nats

    from suxin_common.messaging.catalog import event_type_of
    from suxin_devkit.testing import headers_for

    event_id = event_id or str(uuid.uuid4())
    event_type = event_type_of(message)
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(
            event_type.subject,
            message.SerializeToString(),
            headers=headers_for(event_id, event_type.subject) | headers,
        )
    finally:
        await nc.close()
    return event_id
