"""Helpers for partners tests: the service under a real uvicorn server (services verify its
tokens through its JWKS URL), a real webhook receiver, and a partner platform's own key."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from joserfc import jwt
from joserfc.jwk import ECKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from partners.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_devkit.testing import make_uscc

PLATFORM_USCC = make_uscc(501, region="320100")
OTHER_USCC = make_uscc(502, region="320100")
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def staff_headers() -> dict[str, str]:
    token = mint_dev_token(Settings(environment="test"), "staff-1", ["hrss_staff"])
    return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def serve(app: Any, port: int):
    """`app` under a real uvicorn server on 127.0.0.1:`port` until the block ends."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if task.done():
                task.result()
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


@dataclass
class Receiver:
    """A webhook receiver: answers each delivery as `plan` says (first entries first, then
    `then`): an HTTP status, or "timeout" (it sleeps past the sender's timeout)."""

    plan: list[int | str] = field(default_factory=list)
    then: int | str = 200
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answered: list[int | str] = field(default_factory=list)
    url: str = ""

    async def hook(self, request: Request) -> Response:
        body = await request.body()
        self.received.append((dict(request.headers), body))
        outcome = self.plan.pop(0) if self.plan else self.then
        self.answered.append(outcome)
        if outcome == "timeout":
            await asyncio.sleep(3)
            return Response(status_code=200)
        return Response(status_code=int(outcome))

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(self.jwks_document)

    jwks_document: dict = field(default_factory=lambda: {"keys": []})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/hook", self.hook, methods=["POST"]),
                Route("/jwks.json", self.jwks, methods=["GET"]),
            ]
        )


@dataclass
class PartnerKey:
    key: ECKey
    kid: str

    @classmethod
    def new(cls) -> PartnerKey:
        kid = "pk-" + uuid.uuid4().hex[:8]
        return cls(ECKey.generate_key("P-256", parameters={"kid": kid}), kid)

    def jwks(self) -> dict:
        return {"keys": [self.key.as_dict(private=False) | {"kid": self.kid, "alg": "ES256"}]}

    def assertion(self, client_id: str, audience: str, **changes: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "iat": now,
            "exp": now + 120,
            "jti": uuid.uuid4().hex,
        } | changes
        return jwt.encode({"alg": "ES256", "kid": self.kid}, claims, self.key)


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
