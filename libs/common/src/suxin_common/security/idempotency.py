"""`Idempotency-Key` on POST (draft-ietf-httpapi-idempotency-key-header), as ASGI middleware.

A POST carrying `Idempotency-Key` is run once per (caller, key):
- same key, same request (method, path, query and body) after it completed: the stored
  response is replayed, with `Idempotent-Replayed: true`;
- same key, different request: 422 problem+json (`idempotency-key-reused`);
- same key while the first request is still running: 409 problem+json (`idempotency-key-in-use`).

Records live in the kit table `idempotency_keys` of the service's database, so every replica
sees them. A response is stored unless it is a 5xx, 401, 403, 408 or 429 (nothing was done, so
the client may retry with the same key); the record then disappears. Records expire after
`idempotency_ttl_s`; each process purges up to `PURGE_BATCH` expired records every
`PURGE_EVERY` new keys (expired ones are also replaced on use), so no extra job is needed.
Requests without the header pass through untouched; the caller is the verified token's client
id or subject, and anonymous requests are not tracked (they are refused with 401 anyway).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suxin_common.security.limits import client_key, send_problem
from suxin_common.tables import idempotency_keys

HEADER = b"idempotency-key"
PURGE_EVERY = 256
PURGE_BATCH = 1000
MAX_KEY_LENGTH = 255
NOT_STORED = frozenset({401, 403, 408, 429})
# Headers that describe the stored body, not one delivery of it.
_REPLAYED_HEADERS = frozenset({"content-type", "location", "etag", "content-language"})


def request_fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, ttl_s: float = 24 * 3600.0) -> None:
        self.app = app
        self.ttl = timedelta(seconds=ttl_s)
        self._claims = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        raw_key = dict(scope.get("headers", ())).get(HEADER)
        engine = _engine_of(scope)
        owner = client_key(scope)
        if raw_key is None or engine is None or not owner.startswith("client:"):
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            await send_problem(
                scope,
                send,
                400,
                "Bad Request",
                "idempotency-key-invalid",
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters.",
            )
            return

        body = await _read_body(receive)
        fingerprint = request_fingerprint(
            scope["method"], scope["path"], scope.get("query_string", b""), body
        )
        claimed, existing = await self._claim(engine, owner, key, scope, fingerprint)
        if claimed:
            self._claims += 1
            if self._claims % PURGE_EVERY == 0:
                await purge_expired(engine, limit=PURGE_BATCH)
        else:
            await self._answer_duplicate(scope, send, existing, fingerprint)
            return

        status, headers, chunks = 500, [], []

        async def replay_receive() -> Message:
            nonlocal body
            chunk, body = body, b""
            return {"type": "http.request", "body": chunk, "more_body": False}

        async def capturing_send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capturing_send)
        except BaseException:
            await self._release(engine, owner, key)
            raise
        if status >= 500 or status in NOT_STORED:
            await self._release(engine, owner, key)
        else:
            await self._complete(engine, owner, key, status, headers, b"".join(chunks))

    async def _claim(
        self, engine: AsyncEngine, owner: str, key: str, scope: Scope, fingerprint: str
    ) -> tuple[bool, dict[str, Any] | None]:
        now = datetime.now(UTC)
        row = {
            "owner": owner,
            "key": key,
            "method": scope["method"],
            "path": scope["path"],
            "request_hash": fingerprint,
            "expires_at": now + self.ttl,
        }
        async with engine.begin() as conn:
            # An expired record no longer binds the key.
            await conn.execute(
                sa.delete(idempotency_keys).where(
                    idempotency_keys.c.owner == owner,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.expires_at < now,
                )
            )
            inserted = await conn.execute(
                pg_insert(idempotency_keys).values(row).on_conflict_do_nothing()
            )
            if inserted.rowcount == 1:
                return True, None
            existing = (
                (
                    await conn.execute(
                        sa.select(idempotency_keys).where(
                            idempotency_keys.c.owner == owner, idempotency_keys.c.key == key
                        )
                    )
                )
                .mappings()
                .first()
            )
        return False, dict(existing) if existing is not None else None

    async def _answer_duplicate(
        self, scope: Scope, send: Send, existing: dict[str, Any] | None, fingerprint: str
    ) -> None:
        if existing is not None and existing["request_hash"] != fingerprint:
            await send_problem(
                scope,
                send,
                422,
                "Unprocessable Content",
                "idempotency-key-reused",
                "This Idempotency-Key was used for a different request.",
            )
            return
        if existing is None or existing["response_status"] is None:
            await send_problem(
                scope,
                send,
                409,
                "Conflict",
                "idempotency-key-in-use",
                "A request with this Idempotency-Key is still being processed; retry later.",
                headers=[("Retry-After", "1")],
            )
            return
        body = existing["response_body"] or b""
        headers = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name, value in existing["response_headers"] or []
        ]
        headers += [
            (b"content-length", str(len(body)).encode()),
            (b"idempotent-replayed", b"true"),
        ]
        request_id = scope.get("state", {}).get("request_id")
        if request_id:
            headers.append((b"x-request-id", request_id.encode()))
        await send(
            {
                "type": "http.response.start",
                "status": existing["response_status"],
                "headers": headers,
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _complete(
        self,
        engine: AsyncEngine,
        owner: str,
        key: str,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> None:
        kept = [
            [name.decode("latin-1"), value.decode("latin-1")]
            for name, value in headers
            if name.decode("latin-1").lower() in _REPLAYED_HEADERS
        ]
        async with engine.begin() as conn:
            await conn.execute(
                sa.update(idempotency_keys)
                .where(idempotency_keys.c.owner == owner, idempotency_keys.c.key == key)
                .values(
                    response_status=status,
                    response_headers=orjson.loads(orjson.dumps(kept)),
                    response_body=body,
                    completed_at=datetime.now(UTC),
                )
            )

    async def _release(self, engine: AsyncEngine, owner: str, key: str) -> None:
        async with engine.begin() as conn:
            await conn.execute(
                sa.delete(idempotency_keys).where(
                    idempotency_keys.c.owner == owner,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.response_status.is_(None),
                )
            )


async def purge_expired(engine: AsyncEngine, *, limit: int | None = None) -> int:
    """Delete expired idempotency records (at most `limit`); returns how many."""
    expired = idempotency_keys.c.expires_at < datetime.now(UTC)
    statement = sa.delete(idempotency_keys).where(expired)
    if limit is not None:
        oldest = (
            sa.select(idempotency_keys.c.owner, idempotency_keys.c.key).where(expired).limit(limit)
        )
        statement = sa.delete(idempotency_keys).where(
            sa.tuple_(idempotency_keys.c.owner, idempotency_keys.c.key).in_(oldest)
        )
    async with engine.begin() as conn:
        result = await conn.execute(statement)
    return result.rowcount


def _engine_of(scope: Scope) -> AsyncEngine | None:
    runtime = getattr(getattr(scope.get("app"), "state", None), "runtime", None)
    return getattr(runtime, "engine", None)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)
