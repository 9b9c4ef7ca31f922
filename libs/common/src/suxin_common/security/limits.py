"""Abuse limits as ASGI middleware: request body size and per-client rate limits.

`build_service_app` installs both from the settings (`max_request_body_bytes`,
`rate_limit_enabled`, `rate_limit_per_s`, `rate_limit_burst`).

Rate limits are token buckets keyed by the caller: the verified token's client id or subject,
else the client address. The headers follow draft-ietf-httpapi-ratelimit-headers (structured
fields): `RateLimit-Policy: "default";q=<burst>;w=<seconds to refill>` and
`RateLimit: "default";r=<remaining>;t=<seconds until a request is allowed again>`; a refused
request gets 429 problem+json with `Retry-After`.

The buckets live in the process: with N replicas behind a load balancer a client gets up to N
times the limit. With `RATE_LIMIT_SHARED=true` a request the local bucket allows is also counted
in the service database (shared_limits.py, one UPSERT), so the limit holds across replicas; the
in-process bucket stays the first line and spares the database a flood.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suxin_common.security.shared_limits import SharedWindowLimiter
from suxin_common.web import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_PREFIX, REQUEST_ID_HEADER

EXEMPT_PATHS = frozenset({"/livez", "/readyz", "/metrics"})
MAX_TRACKED_CLIENTS = 100_000


async def send_problem(
    scope: Scope,
    send: Send,
    status: int,
    title: str,
    slug: str,
    detail: str,
    headers: Iterable[tuple[str, str]] = (),
    extra: dict | None = None,
) -> None:
    """Answer with a problem detail from middleware (outside FastAPI's exception handlers)."""
    body = orjson.dumps(
        {"type": PROBLEM_TYPE_PREFIX + slug, "title": title, "status": status, "detail": detail}
        | (extra or {})
    )
    raw = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        raw.append((REQUEST_ID_HEADER.lower().encode(), request_id.encode()))
    raw += [(name.lower().encode(), value.encode()) for name, value in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


# --- body size ----------------------------------------------------------------------------


class BodySizeLimitMiddleware:
    """413 for a body above `max_bytes`: at once from Content-Length; a body without one
    (chunked) is read up to the limit before the app runs, so the app never sees more.

    Paths matching `streamed_paths` (large file uploads the app streams to disk) must declare
    a Content-Length (411 otherwise) of at most `streamed_max_bytes`, and are never buffered.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        *,
        streamed_paths: str | None = None,
        streamed_max_bytes: int = 0,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.streamed = re.compile(streamed_paths) if streamed_paths else None
        self.streamed_max_bytes = streamed_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared: int | None = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._refuse(scope, send, "Content-Length is not a number.", 400)
                    return
        if self.streamed is not None and self.streamed.match(scope.get("path", "")):
            if declared is None:
                await send_problem(
                    scope,
                    send,
                    411,
                    "Length Required",
                    "length-required",
                    "A file upload must declare its Content-Length.",
                )
                return
            if declared > self.streamed_max_bytes:
                await send_problem(
                    scope,
                    send,
                    413,
                    "Content Too Large",
                    "content-too-large",
                    f"The file may be at most {self.streamed_max_bytes} bytes.",
                    extra={"max_bytes": self.streamed_max_bytes},
                )
                return
            await self.app(scope, receive, send)
            return
        if declared is not None:
            if declared > self.max_bytes:
                await self._refuse(scope, send)
                return
            await self.app(scope, receive, send)
            return
        # No Content-Length: buffer (bounded by the limit) and replay.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message, receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(chunks, None, receive), send)

    async def _refuse(
        self, scope: Scope, send: Send, detail: str | None = None, status: int = 413
    ) -> None:
        if status == 400:
            await send_problem(scope, send, 400, "Bad Request", "bad-request", detail or "")
            return
        await send_problem(
            scope,
            send,
            413,
            "Content Too Large",
            "content-too-large",
            detail or f"The request body may be at most {self.max_bytes} bytes.",
            extra={"max_bytes": self.max_bytes},
        )


def _replay(chunks: list[bytes], final: Message | None, receive_more: Receive) -> Receive:
    """The buffered request again, then the connection's own messages: a streaming or file
    response listens for the client's disconnect while it sends, and must not be told the
    client left when it has not."""
    pending: list[Message] = [
        {"type": "http.request", "body": b"".join(chunks), "more_body": False}
    ]
    if final is not None:
        pending = [final]

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        return await receive_more()

    return receive


# --- rate limits --------------------------------------------------------------------------


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """Token buckets per key: `burst` tokens, refilled at `rate` per second."""

    def __init__(self, rate: float, burst: int, *, max_keys: int = MAX_TRACKED_CLIENTS) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._max_keys = max_keys

    def take(self, key: str, now: float | None = None) -> tuple[bool, int, float]:
        """Try to take one token: (allowed, tokens remaining, seconds until one is available)."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(key, None)
        if bucket is None:
            bucket = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        allowed = bucket.tokens >= 1.0
        if allowed:
            bucket.tokens -= 1.0
        self._buckets[key] = bucket  # most recently used last
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)  # a forgotten client starts with a full bucket
        wait = 0.0 if bucket.tokens >= 1.0 else (1.0 - bucket.tokens) / self.rate
        return allowed, int(bucket.tokens), wait


def client_key(scope: Scope) -> str:
    """The verified caller (client id or subject) when the bearer token verifies with the
    keys at hand, else the client address: a forged token cannot pick someone else's bucket."""
    app = scope.get("app")
    authenticator = getattr(getattr(app, "state", None), "authenticator", None)
    for name, value in scope.get("headers", ()):
        if name == b"authorization" and authenticator is not None:
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token:
                try:
                    principal = authenticator.verify(token.strip())
                except Exception:
                    break
                return "client:" + (principal.client_id or principal.subject)
            break
    client = scope.get("client")
    return "addr:" + (client[0] if client else "unknown")


class RateLimitMiddleware:
    """The in-process token bucket; with `shared=True` also the cross-replica counter in the
    service database (shared_limits.py): `burst` requests per `burst / rate` seconds in all
    replicas together, checked only for requests the local bucket let through."""

    def __init__(
        self, app: ASGIApp, rate: float, burst: int, policy: str = "default", shared: bool = False
    ) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate, burst)
        self.policy = policy
        window = max(1, math.ceil(burst / rate))
        self.policy_header = f'"{policy}";q={burst};w={window}'
        self.shared = SharedWindowLimiter(burst, window) if shared else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        key = client_key(scope)
        allowed, remaining, wait = self.buckets.take(key)
        engine = getattr(getattr(scope.get("app"), "state", None), "runtime", None)
        engine = getattr(engine, "engine", None)
        if allowed and self.shared is not None and engine is not None:
            allowed, shared_left, shared_wait = await self.shared.take(engine, key)
            remaining = min(remaining, shared_left)
            wait = wait if allowed else max(wait, shared_wait)
        reset = math.ceil(wait)
        headers = {
            "RateLimit-Policy": self.policy_header,
            "RateLimit": f'"{self.policy}";r={remaining};t={reset}',
        }
        if not allowed:
            await send_problem(
                scope,
                send,
                429,
                "Too Many Requests",
                "rate-limited",
                f"Too many requests; retry in {max(1, reset)} s.",
                headers=[*headers.items(), ("Retry-After", str(max(1, reset)))],
            )
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                mutable = MutableHeaders(scope=message)
                for name, value in headers.items():
                    mutable[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
