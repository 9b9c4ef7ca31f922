"""Test helpers for partner integrations: an app under a real uvicorn server in this process,
a real webhook receiver that can fail, time out and recover, and a partner's own signing key
that makes client assertions (RFC 7523) for the partners service's token endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from joserfc import jwt
from joserfc.jwk import ECKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@contextlib.asynccontextmanager
async def serve(app: Any, port: int, *, lifespan: str = "on"):
    """`app` under a real uvicorn server on 127.0.0.1:`port` until the block ends."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    )
    task = asyncio.create_task(server.serve())
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if task.done():
                try:
                    task.result()
                except SystemExit as exc:  # uvicorn exits when it cannot bind: not pytest's exit
                    raise RuntimeError(f"server on port {port} did not start ({exc})") from None
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
