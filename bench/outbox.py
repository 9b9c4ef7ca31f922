"""Outbox relay throughput against publishing straight to JetStream.

Baseline: the same events published directly with ``js.publish`` (one PubAck each, sequential),
which is what a service without an outbox would do after commit. System: the events are written
to the outbox in transactions of 100 (as 100 business transactions batched by load) and the
relay publishes them; timed from the first commit until every row is marked sent. The ratio says
what the transactional guarantee costs, measured in one run on one machine.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid

import nats
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from suxin_common.db import UnitOfWork
from suxin_common.messaging.catalog import HIRING, event_type_for_subject
from suxin_common.messaging.relay import OutboxRelay
from suxin_common.messaging.streams import ensure_stream
from suxin_devkit.testing import fresh_streams, hire_event, platform_database, settings_for

HIRE_RECORDED = event_type_for_subject("suxin.hiring.hire_recorded.v1")


async def run(infra, *, runs: int, events: int) -> dict:
    baseline, system = [], []
    for _ in range(runs):
        baseline.append(await _direct_publish(infra, events))
        system.append(await _through_outbox(infra, events))
    b, s = statistics.median(baseline), statistics.median(system)
    return {
        "name": "outbox_relay",
        "what": "events/s from commit to PubAck",
        "baseline": {
            "label": "direct js.publish, sequential",
            "runs_per_s": baseline,
            "median_per_s": b,
        },
        "system": {"label": "outbox + relay (batch 200)", "runs_per_s": system, "median_per_s": s},
        "ratio": s / b,
    }


async def _direct_publish(infra, n: int) -> float:
    await fresh_streams(infra.nats_url)
    nc = await nats.connect(infra.nats_url)
    try:
        js = nc.jetstream()
        settings = settings_for("postgresql+asyncpg://unused/x", infra.nats_url)
        await ensure_stream(js, HIRING, settings)
        payloads = [hire_event(i).SerializeToString() for i in range(n)]
        started = time.perf_counter()
        for payload in payloads:
            await js.publish(
                HIRE_RECORDED.subject, payload, headers={"Nats-Msg-Id": str(uuid.uuid4())}
            )
        return n / (time.perf_counter() - started)
    finally:
        await nc.close()


async def _through_outbox(infra, n: int) -> float:
    await fresh_streams(infra.nats_url)
    url, engine = await platform_database(infra, "bench_outbox")
    settings = settings_for(url, infra.nats_url, outbox_poll_interval_s=0.05)
    nc = await nats.connect(infra.nats_url)
    try:
        js = nc.jetstream()
        await ensure_stream(js, HIRING, settings)
        sessions = async_sessionmaker(engine)
        events = [hire_event(i) for i in range(n)]
        relay = OutboxRelay(engine, js, settings)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        started = time.perf_counter()
        for start in range(0, n, 100):
            async with UnitOfWork(sessions, source="/bench") as uow:
                for e in events[start : start + 100]:
                    uow.publish(e, key=e.hire_id)
                await uow.commit()
        while True:
            async with engine.connect() as conn:
                left = (
                    await conn.execute(
                        text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                    )
                ).scalar()
            if left == 0:
                break
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        stop.set()
        await task
        return n / elapsed
    finally:
        await nc.close()
        await engine.dispose()
