"""Operators' tools behind ``suxin ops`` (docs/operations.md has the runbooks that use them).

* **Dead letters in bulk**: list every dead letter of a service, replay or discard many at once,
  through the service's own admin API (``/v1/admin/dead-letters``, role ``ops``): a replay runs
  the service's handlers through its inbox, so replaying an event handled meanwhile is a no-op.
* **Streams**: (re)create every stream of the catalogue, e.g. after the NATS store was lost.
* **Outbox requeue**: mark a service's kept outbox rows (published within the retention window,
  ``OUTBOX_RETENTION_S``) as unpublished, so its running relay publishes them again. On a stream
  that lost its messages this restores them; consumers' inboxes absorb what they had handled.
  (On an intact stream JetStream drops those still inside its duplicate window.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common.db import OUTBOX_CHANNEL

DEAD_LETTERS = "/v1/admin/dead-letters"
PAGE = 100

Progress = Callable[[int, int, str], None]  # (done, total, line about the last item)


class OpsError(RuntimeError):
    """The service answered something an operator must read (auth, not found, down)."""


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
        return f"{response.status_code} {body.get('title', '')}: {body.get('detail', '')}".strip()
    except ValueError:
        return f"{response.status_code} {response.text[:200]}"


async def list_dead_letters(client: httpx.AsyncClient, subject: str | None = None) -> list[dict]:
    """Every dead letter of the service, oldest first (all pages)."""
    items: list[dict] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": PAGE}
        if subject:
            params["subject"] = subject
        if cursor:
            params["cursor"] = cursor
        response = await client.get(DEAD_LETTERS, params=params)
        if response.status_code != 200:
            raise OpsError(f"listing dead letters: {_problem(response)}")
        page = response.json()
        items.extend(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return items


@dataclass
class BulkResult:
    """What a bulk replay or discard did: outcomes by kind, and the ids that failed, why."""

    outcomes: Counter = field(default_factory=Counter)
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        done = ", ".join(f"{n} {kind}" for kind, n in sorted(self.outcomes.items())) or "nothing"
        return f"{done}; {len(self.failed)} failed"


async def _bulk(
    client: httpx.AsyncClient,
    ids: Iterable[int],
    action: str,
    progress: Progress | None,
) -> BulkResult:
    ids = list(ids)
    result = BulkResult()
    for n, letter_id in enumerate(ids, 1):
        if action == "replay":
            response = await client.post(f"{DEAD_LETTERS}/{letter_id}/replay")
            ok = response.status_code == 200
            outcome = response.json()["outcome"] if ok else None
        else:
            response = await client.delete(f"{DEAD_LETTERS}/{letter_id}")
            ok = response.status_code == 204
            outcome = "discarded" if ok else None
        if ok:
            result.outcomes[outcome] += 1
            line = f"{letter_id}: {outcome}"
        else:
            if response.status_code in (401, 403):
                raise OpsError(f"{action} {letter_id}: {_problem(response)}")
            result.failed[letter_id] = _problem(response)
            line = f"{letter_id}: failed ({result.failed[letter_id]})"
        if progress is not None:
            progress(n, len(ids), line)
    return result


async def replay_dead_letters(
    client: httpx.AsyncClient, ids: Iterable[int], progress: Progress | None = None
) -> BulkResult:
    """Replay each letter (the service's handlers, through its inbox); failures are kept."""
    return await _bulk(client, ids, "replay", progress)


async def discard_dead_letters(
    client: httpx.AsyncClient, ids: Iterable[int], progress: Progress | None = None
) -> BulkResult:
    """Delete each letter for good (its effect stays missing: only for events to drop)."""
    return await _bulk(client, ids, "discard", progress)


async def ensure_streams(nats_url: str, replicas: int | None = None) -> list[str]:
    """Create every stream of the catalogue that is missing (idempotent); their names."""
    import nats

    from suxin_common import natsauth
    from suxin_common.messaging.catalog import STREAMS
    from suxin_common.messaging.streams import ensure_stream
    from suxin_common.settings import ServiceSettings

    overrides = {"nats_url": nats_url}
    if replicas is not None:
        overrides["stream_replicas"] = replicas
    settings = ServiceSettings(**overrides)
    nc = await nats.connect(
        nats_url,
        allow_reconnect=False,
        connect_timeout=5,
        inbox_prefix=natsauth.inbox_prefix(nats_url),
    )
    try:
        js = nc.jetstream()
        for spec in STREAMS:
            await ensure_stream(js, spec, settings)
        return [spec.name for spec in STREAMS]
    finally:
        await nc.close()


_REQUEUE = text(
    "UPDATE outbox SET published_at = NULL, claimed_until = NULL, claimed_by = NULL "
    "WHERE published_at IS NOT NULL AND created_at >= :since "
    "AND (CAST(:subject AS text) IS NULL OR subject = :subject)"
)


async def requeue_outbox(database_url: str, since: datetime, subject: str | None = None) -> int:
    """Mark the service's published outbox rows created since ``since`` for publishing again;
    the number of rows. The relay is woken by NOTIFY (and polls anyway)."""
    engine = create_async_engine(database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(_REQUEUE, {"since": since, "subject": subject})
            await conn.execute(text(f"NOTIFY {OUTBOX_CHANNEL}"))
        return result.rowcount
    finally:
        await engine.dispose()


async def outbox_state(database_url: str) -> dict[str, object]:
    """Unpublished rows, the oldest one's age, and the kept window (oldest row)."""
    engine = create_async_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    text(
                        "SELECT count(*) FILTER (WHERE published_at IS NULL), "
                        "extract(epoch FROM now() - min(created_at) "
                        "FILTER (WHERE published_at IS NULL)), min(created_at), count(*) "
                        "FROM outbox"
                    )
                )
            ).one()
        return {
            "unpublished": row[0],
            "oldest_unpublished_age_s": float(row[1] or 0.0),
            "kept_since": row[2].isoformat() if row[2] else None,
            "kept_rows": row[3],
        }
    finally:
        await engine.dispose()


_DURATION = re.compile(r"^(\d+)([smhd])$")


def parse_since(value: str, now: datetime) -> datetime:
    """``2026-12-07T01:00:00+00:00`` (with an offset), or a span back from now: ``90m``, ``6h``,
    ``7d``."""
    m = _DURATION.match(value.strip())
    if m:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[m.group(2)]
        return now - timedelta(**{unit: int(m.group(1))})
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--since {value!r}: give an ISO time with offset or 90m/6h/7d") from None
    if when.tzinfo is None:
        raise ValueError(f"--since {value!r}: give the time zone offset (e.g. +08:00)")
    return when
