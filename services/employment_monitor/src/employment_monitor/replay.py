"""Replay: rebuild every read model from the JetStream streams, from sequence 1.

Truncate-and-rebuild in one transaction under the projection lock: live handlers take the lock
shared (handlers.PROJECTION_LOCK), so they wait while a rebuild runs and readers keep seeing the
old numbers until it commits. One ordered consumer per stream (ephemeral, flow-controlled, no acks)
reads it from sequence 1; decoded events become facts that a single
writer applies batch by batch with the same set-based statements as the live projection
(adapters/projection.py), so the rebuilt tables equal the live ones.

Events published after the replay took its snapshot of the streams are left to the live
consumer; applying one twice changes nothing, because every fact has a natural key.

    python -m employment_monitor.replay            # DATABASE_URL and NATS_URL from the env
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg
import nats
import nats.errors
from google.protobuf.message import DecodeError
from nats.js.api import DeliverPolicy

from employment_monitor.adapters import raw_stream
from employment_monitor.adapters.projection import Fact, apply_facts
from employment_monitor.adapters.tables import READ_MODELS
from employment_monitor.consumers import SUBSCRIPTIONS
from employment_monitor.contracts import facts_of
from employment_monitor.handlers import PROJECTION_LOCK
from employment_monitor.settings import Settings
from suxin_common import natsauth
from suxin_common.db import asyncpg_dsn
from suxin_common.messaging.catalog import EventType
from suxin_common.messaging.runner import PoisonMessage

log = logging.getLogger(__name__)

CHUNK = 2_000
STALL_S = 30.0


@dataclass
class ReplayReport:
    events: int = 0
    skipped: int = 0
    rows: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of this process: a fair figure on a shared machine
    per_stream: dict[str, int] = field(default_factory=dict)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "events": self.events,
            "skipped": self.skipped,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "events_per_second": round(self.events_per_second),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "events_per_cpu_second": round(self.events / self.cpu_seconds)
            if self.cpu_seconds
            else 0,
            "per_stream": self.per_stream,
        }


def _event_time(headers: dict[str, str] | None) -> datetime:
    raw = (headers or {}).get("ce-time")
    if raw:
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return datetime.now(UTC)


async def _read_stream(
    js,
    stream: str,
    subject: str,
    types: dict[str, EventType],
    queue: asyncio.Queue,
    report: ReplayReport,
) -> None:
    """Read the stream as it was at the start through an ordered consumer (flow-controlled,
    gap-free, no acks), decode the events and queue their facts in chunks."""
    expected = (await js.stream_info(stream)).state.messages
    report.per_stream[stream] = 0
    if not expected:
        return
    done = asyncio.Event()
    chunk: list[Fact] = []
    chunk_events = 0
    received = 0

    async def on_message(msg) -> None:
        nonlocal chunk, chunk_events, received
        if received >= expected:
            return  # published after the snapshot: the live consumer has it
        received += 1
        chunk_events += 1
        event_type = types.get(msg.subject)
        if event_type is not None:
            try:
                event = event_type.message.FromString(msg.data)
                chunk.extend(facts_of(event, _event_time(msg.headers)))
            except (DecodeError, PoisonMessage):
                report.skipped += 1  # the live consumer dead-lettered these too
        if chunk_events >= CHUNK or received >= expected:
            # Waiting here when the writer lags holds back flow-control replies: the server
            # pauses instead of filling memory.
            await queue.put((chunk_events, chunk))
            chunk, chunk_events = [], 0
        if received >= expected:
            done.set()

    sub = await js.subscribe(
        subject,
        stream=stream,
        cb=on_message,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.ALL,
        pending_msgs_limit=4 * CHUNK,
        pending_bytes_limit=256 * 1024 * 1024,
    )
    try:
        seen = -1
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), STALL_S)
            if not done.is_set() and received == seen:
                raise RuntimeError(f"replay of {stream} stalled at {received} of {expected}")
            seen = received
    finally:
        report.per_stream[stream] = received
        with contextlib.suppress(Exception):
            await sub.unsubscribe()


async def _read_stream_raw(
    js, nats_url: str, stream: str, types: dict[str, EventType], queue: asyncio.Queue,
    report: ReplayReport,
) -> None:  # fmt: skip
    """The same as _read_stream, on the fast bulk reader (adapters/raw_stream.py)."""
    expected = (await js.stream_info(stream)).state.messages
    report.per_stream[stream] = 0
    if not expected:
        return
    by_subject = {subject.encode(): t.message for subject, t in types.items()}
    times: dict[bytes, datetime] = {}

    async def on_chunk(chunk: raw_stream.Chunk) -> None:
        facts: list[Fact] = []
        for subject, payload, ce_time in chunk:
            message = by_subject.get(subject)
            if message is None:
                continue
            at = times.get(ce_time)
            if at is None:
                at = times[ce_time] = _event_time({"ce-time": ce_time.decode(errors="replace")})
                if len(times) > 10_000:
                    times.clear()
            try:
                facts.extend(facts_of(message.FromString(payload), at))
            except (DecodeError, PoisonMessage):
                report.skipped += 1
        report.per_stream[stream] += len(chunk)
        await queue.put((len(chunk), facts))

    await raw_stream.read_stream(js, nats_url, stream, expected, on_chunk, stall_s=STALL_S)


async def rebuild(
    database_url: str,
    nats_url: str,
    *,
    batch_size: int = 50_000,
    streams: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ReplayReport:
    """Rebuild the read models from the streams; returns what was applied and how fast.

    ``progress(applied, total)`` is called after every applied batch: events applied so far,
    and the messages the streams held when the replay started."""
    by_stream: dict[str, dict[str, EventType]] = {}
    subjects: dict[str, str] = {}
    for sub in SUBSCRIPTIONS:
        by_stream.setdefault(sub.event.stream.name, {})[sub.event.subject] = sub.event
        subjects[sub.event.stream.name] = sub.event.stream.subjects[0]
    report = ReplayReport()
    started = time.perf_counter()
    cpu_started = time.process_time()
    nc = await nats.connect(
        nats_url, name="employment-monitor-replay", inbox_prefix=natsauth.inbox_prefix(nats_url)
    )
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        js = nc.jetstream()
        present = []
        total = 0
        for stream in by_stream:
            if streams and stream not in streams:
                continue
            try:
                total += (await js.stream_info(stream)).state.messages
                present.append(stream)
            except nats.js.errors.NotFoundError:
                report.per_stream[stream] = 0
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", PROJECTION_LOCK)
            names = ", ".join(t.name for t in READ_MODELS)
            if await _owns_read_models(conn):
                # TRUNCATE is instant but locks the tables: API reads wait for the commit.
                await conn.execute("TRUNCATE " + names)
                # Secondary indexes are built once at the end, not maintained row by row.
                indexes = await _drop_secondary_indexes(conn)
            else:
                # The service's runtime role (DML only, docs/security.md): no TRUNCATE, no
                # index DDL; DELETE and index maintenance instead (slower, same result).
                for table in READ_MODELS:
                    await conn.execute(f"DELETE FROM {table.name}")
                indexes = []
            queue: asyncio.Queue = asyncio.Queue(maxsize=8)
            if raw_stream.supported(nats_url):
                readers = [
                    asyncio.create_task(
                        _read_stream_raw(js, nats_url, s, by_stream[s], queue, report)
                    )
                    for s in present
                ]
            else:
                readers = [
                    asyncio.create_task(
                        _read_stream(js, s, subjects[s], by_stream[s], queue, report)
                    )
                    for s in present
                ]
            done = asyncio.gather(*readers)
            pending_facts: list[Fact] = []
            pending_events = 0

            async def flush() -> None:
                nonlocal pending_facts, pending_events
                if pending_facts:
                    report.rows += await apply_facts(conn, pending_facts)
                report.events += pending_events
                pending_facts, pending_events = [], 0
                if progress is not None:
                    progress(report.events, total)

            while True:
                if done.done() and queue.empty():
                    break
                try:
                    n, facts = await asyncio.wait_for(queue.get(), 0.2)
                except TimeoutError:
                    continue
                pending_facts.extend(facts)
                pending_events += n
                if pending_events >= batch_size:
                    await flush()
            await flush()
            await done  # re-raise a reader's failure: the transaction rolls back
            for definition in indexes:
                await conn.execute(definition)
            if indexes or await _owns_read_models(conn):
                # Fresh statistics, so the planner does not judge the new rows by the old tables
                # (the owner's right; autovacuum does it for the runtime role).
                await conn.execute("ANALYZE " + names)
    finally:
        await conn.close()
        await nc.close()
    report.seconds = time.perf_counter() - started
    report.cpu_seconds = time.process_time() - cpu_started
    return report


async def _owns_read_models(conn) -> bool:
    """Whether the connected role owns the read models (the owner role, or a superuser)."""
    return bool(
        await conn.fetchval(
            "SELECT bool_and(pg_has_role(tableowner, 'USAGE')) FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = ANY($1::text[])",
            [t.name for t in READ_MODELS],
        )
    )


async def _drop_secondary_indexes(conn) -> list[str]:
    """Drop the read models' indexes other than primary keys; their definitions, to recreate."""
    rows = await conn.fetch(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [t.name for t in READ_MODELS],
    )
    for row in rows:
        await conn.execute(f'DROP INDEX "{row["indexname"]}"')
    return [row["indexdef"] for row in rows]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Rebuild employment-monitor's read models.")
    parser.add_argument("--batch", type=int, default=None, help="events per applied batch")
    args = parser.parse_args(argv)
    settings = Settings()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    shown = [0.0]

    def say(applied: int, total: int) -> None:  # at most once a second, and the last batch
        now = time.monotonic()
        if now - shown[0] >= 1.0 or applied >= total:
            shown[0] = now
            share = f"{100 * applied / total:.0f}%" if total else "-"
            print(f"replay: {applied} of {total} events applied ({share})", file=sys.stderr)

    report = asyncio.run(
        rebuild(
            settings.database_url,
            settings.nats_url,
            batch_size=args.batch or settings.replay_batch_size,
            progress=say,
        )
    )
    print(report.as_dict())


if __name__ == "__main__":
    main()
