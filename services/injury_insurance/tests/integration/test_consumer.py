"""The service's subscriptions, run by the kit's consumer runner against real NATS JetStream."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime, timedelta

import nats
import pytest

from injury_insurance.consumers import SUBSCRIPTIONS
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import ConsumerRunner
from suxin_common.messaging.streams import ensure_stream
from suxin_devkit.testing import (
    consumer_settled,
    eventually,
    fresh_streams,
    headers_for,
    hire_event,
    scalar,
)

pytestmark = pytest.mark.integration
HIRE = event_type_for_subject("suxin.hiring.hire_recorded.v1")
T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)


@contextlib.asynccontextmanager
async def running(runtime, nats_url: str, **overrides):
    """The service's runner on fresh streams, waited for until its durable consumer exists on
    every stream it reads. (The kit's ``running_consumers`` waits for ``runner.ready``, which
    is never set for a runner reading two streams: each stream's loop keeps its own set of
    bound streams. Reported to the lead.)"""
    await fresh_streams(nats_url)
    settings = runtime.settings.model_copy(
        update={"consumer_fetch_timeout_s": 0.5, "consumer_backoff_s": [0.05], **overrides}
    )
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    runner = ConsumerRunner(js, runtime.sessions, settings, SUBSCRIPTIONS, source=runtime.source)
    for spec in runner.streams:
        await ensure_stream(js, spec, settings)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))

    async def bound() -> bool:
        for spec in runner.streams:
            try:
                await js.consumer_info(spec.name, runner.consumer)
            except nats.js.errors.NotFoundError:
                return False
        return True

    try:
        await eventually(bound, within=10)
        yield js, runner
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await nc.close()


async def test_a_hire_delivered_again_and_again_starts_one_cover(runtime, infra) -> None:
    # Every message comes twice, as after a crash between commit and ack.
    async with running(runtime, infra.nats_url, fault_redeliver_after_commit=True) as (js, runner):
        event = hire_event(9)
        event_id = str(uuid.uuid4())
        payload = event.SerializeToString()
        await js.publish(HIRE.subject, payload, headers=headers_for(event_id))
        # The same event re-published after the stream's duplicate window: same ce-id.
        again = headers_for(event_id) | {"Nats-Msg-Id": str(uuid.uuid4())}
        await js.publish(HIRE.subject, payload, headers=again)
        # The same hire announced twice by its publisher: a new ce-id.
        await js.publish(HIRE.subject, payload, headers=headers_for(str(uuid.uuid4())))
        await eventually(lambda: consumer_settled(js, runner))
        engine = runtime.engine
        assert await scalar(engine, "SELECT count(*) FROM inbox") == 2
        assert await scalar(engine, "SELECT count(*) FROM coverages") == 1
        assert await scalar(engine, "SELECT hire_id::text FROM coverages") == event.hire_id
        assert await scalar(engine, "SELECT count(*) FROM outbox") == 1
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 0


async def test_gig_events_through_jetstream_cover_orders_once(runtime, infra, kit) -> None:
    chunk = kit.orders_reported(
        [kit.an_order(f"o{i}", T0 + timedelta(minutes=i)) for i in range(50)]
    )
    async with running(runtime, infra.nats_url, fault_redeliver_after_commit=True) as (js, runner):
        for subject, event in [
            ("suxin.gig.platform_registered.v1", kit.platform_registered()),
            ("suxin.gig.gig_worker_registered.v1", kit.worker_registered()),
            ("suxin.gig.orders_reported.v1", chunk),
            # gig-market announcing the same chunk again under a new event id
            ("suxin.gig.orders_reported.v1", chunk),
        ]:
            event_id = str(uuid.uuid4())
            await js.publish(
                subject, event.SerializeToString(), headers=headers_for(event_id, subject)
            )
        await eventually(lambda: consumer_settled(js, runner))
        engine = runtime.engine
        assert await scalar(engine, "SELECT count(*) FROM order_covers") == 50
        assert await scalar(engine, "SELECT sum(contribution_fen) FROM contribution_ledger") == 350
        assert await scalar(engine, "SELECT count(*) FROM coverages") == 1
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 0
