"""The outbox relay against real PostgreSQL and NATS JetStream."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import nats
import pytest
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from suxin_common.db import UnitOfWork
from suxin_common.messaging.catalog import HIRING
from suxin_common.messaging.relay import OutboxRelay
from suxin_common.messaging.streams import ensure_stream
from suxin_devkit.testing import (
    eventually,
    fresh_streams,
    hire_event,
    platform_database,
    scalar,
    settings_for,
)

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def outbox(infra, **overrides):
    await fresh_streams(infra.nats_url)
    url, engine = await platform_database(infra, "relay")
    settings = settings_for(url, infra.nats_url, **overrides)
    nc = await nats.connect(infra.nats_url)
    js = nc.jetstream()
    await ensure_stream(js, HIRING, settings)
    try:
        yield settings, engine, js
    finally:
        await nc.close()
        await engine.dispose()


async def record(engine, n: int, *, trace_carrier: dict | None = None) -> list[str]:
    uow = UnitOfWork(async_sessionmaker(engine), source="/test")
    ids = []
    async with uow:
        for i in range(n):
            ids.append(str(uow.publish(hire_event(i), key=f"hire-{i}")))
        await uow.commit()
    return ids


async def stream_messages(js) -> int:
    return (await js.stream_info(HIRING.name)).state.messages


async def test_events_are_published_once_with_two_relays_competing(infra):
    async with outbox(infra, outbox_batch_size=50) as (settings, engine, js):
        await record(engine, 400)
        relays = [OutboxRelay(engine, js, settings, worker_id=f"r{i}") for i in range(2)]
        stop = asyncio.Event()
        tasks = [asyncio.create_task(r.run(stop)) for r in relays]
        try:
            await eventually(
                lambda: _equals(
                    scalar(engine, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL"),
                    400,
                )
            )
        finally:
            stop.set()
            await asyncio.gather(*tasks)
        assert await stream_messages(js) == 400
        claimed_by = await scalar(engine, "SELECT count(DISTINCT claimed_by) FROM outbox")
        assert claimed_by == 2, "both relays should have taken a share"


async def test_rows_of_a_crashed_relay_are_taken_over_after_the_lease(infra):
    async with outbox(infra) as (settings, engine, js):
        await record(engine, 5)
        async with engine.begin() as conn:  # a relay that claimed the rows and died
            await conn.execute(
                text("UPDATE outbox SET claimed_by='dead', claimed_until=now() + interval '1 hour'")
            )
        relay = OutboxRelay(engine, js, settings)
        assert await relay.relay_once() == 0
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE outbox SET claimed_until=now() - interval '1 second'"))
        assert await relay.relay_once() == 5
        assert await stream_messages(js) == 5


async def test_a_commit_wakes_the_relay_before_the_poll_interval(infra):
    async with outbox(infra, outbox_poll_interval_s=30.0) as (settings, engine, js):
        relay = OutboxRelay(engine, js, settings)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            await asyncio.sleep(1.0)  # first pass done; now it sleeps up to 30 s unless woken
            await record(engine, 3)
            await eventually(lambda: _equals(stream_messages(js), 3), within=10)
        finally:
            stop.set()
            await task


async def test_replay_republishes_kept_rows_and_jetstream_drops_duplicates(infra):
    async with outbox(infra) as (settings, engine, js):
        await record(engine, 4)
        relay = OutboxRelay(engine, js, settings)
        assert await relay.relay_once() == 4
        assert await relay.requeue(datetime.now(UTC) - timedelta(minutes=5)) == 4
        assert await relay.relay_once() == 4
        # Same Nats-Msg-Id inside the duplicate window: the stream still holds four.
        assert await stream_messages(js) == 4


async def test_cleanup_deletes_only_published_rows_past_retention(infra):
    async with outbox(infra, outbox_retention_s=60.0) as (settings, engine, js):
        await record(engine, 3)
        relay = OutboxRelay(engine, js, settings)
        await relay.relay_once()
        await record(engine, 2)  # pending: must survive
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE outbox SET published_at = now() - interval '2 minutes' "
                    "WHERE published_at IS NOT NULL"
                )
            )
        assert await relay.cleanup() == 3
        assert await scalar(engine, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 2


async def test_trace_context_and_cloudevents_headers_travel_with_the_event(infra):
    from opentelemetry import trace

    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        trace.set_tracer_provider(TracerProvider())
    tracer = trace.get_tracer("test")
    async with outbox(infra) as (settings, engine, js):
        with tracer.start_as_current_span("http request") as span:
            (event_id,) = await record(engine, 1)
            trace_id = format(span.get_span_context().trace_id, "032x")
        relay = OutboxRelay(engine, js, settings)
        await relay.relay_once()
        msg = await js.get_msg(HIRING.name, seq=1)
        headers = msg.headers
        assert headers["ce-id"] == event_id == headers["Nats-Msg-Id"]
        assert headers["ce-type"] == "suxin.hiring.hire_recorded.v1"
        assert headers["ce-subject"] == "hire-0"
        assert headers["traceparent"].split("-")[1] == trace_id


async def _equals(aw, expected) -> bool:
    return await aw == expected


async def test_a_bulk_flush_copies_its_rows_and_they_are_published_alike(infra):
    """From COPY_EVENTS_FROM events in one flush the outbox rows are written with COPY; they
    carry the same columns and reach the stream like any others."""
    from suxin_common.db import COPY_EVENTS_FROM

    n = COPY_EVENTS_FROM + 10
    async with outbox(infra, outbox_batch_size=200) as (settings, engine, js):
        ids = await record(engine, n)
        row = await _first_row(engine, ids[0])
        assert row["subject"] == "suxin.hiring.hire_recorded.v1"
        assert row["ce_subject"] == "hire-0" and row["ce_source"] == "/test"
        assert row["trace_headers"] == {} and row["attempts"] == 0
        assert row["created_at"] is not None and row["published_at"] is None
        relay = OutboxRelay(engine, js, settings, worker_id="bulk")
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            await eventually(
                lambda: _equals(
                    scalar(engine, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL"),
                    n,
                )
            )
        finally:
            stop.set()
            await task
        assert await stream_messages(js) == n


async def _first_row(engine, event_id: str) -> dict:
    async with engine.connect() as conn:
        result = await conn.execute(
            text("SELECT * FROM outbox WHERE id = CAST(:id AS uuid)"), {"id": event_id}
        )
        return dict(result.mappings().one())
