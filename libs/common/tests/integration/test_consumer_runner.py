"""The consumer runner against real PostgreSQL and NATS JetStream."""

from __future__ import annotations

import contextlib
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from suxin_common.messaging.catalog import HIRING, event_type_for_subject
from suxin_common.messaging.runner import PoisonMessage
from suxin_devkit.testing import (
    consumer_settled,
    eventually,
    headers_for,
    hire_event,
    message_subscription,
    platform_database,
    running_consumers,
    scalar,
    settings_for,
)

pytestmark = pytest.mark.integration
HIRE = event_type_for_subject("suxin.hiring.hire_recorded.v1")


@contextlib.asynccontextmanager
async def running(infra, handler, **overrides):
    url, engine = await platform_database(infra, "runner")
    settings = settings_for(url, infra.nats_url, **overrides)
    service = SimpleNamespace(
        settings=settings, sessions=async_sessionmaker(engine), source="/test"
    )
    try:
        async with running_consumers(
            service,
            [message_subscription(HIRE, handler)],
            infra.nats_url,
            consumer_backoff_s=settings.consumer_backoff_s,
        ) as (js, runner):
            yield js, engine, runner
    finally:
        await engine.dispose()


async def publish(js, event, event_id: str | None = None) -> str:
    event_id = event_id or str(uuid.uuid4())
    await js.publish(HIRE.subject, event.SerializeToString(), headers=headers_for(event_id))
    return event_id


async def test_poison_messages_are_dead_lettered_without_blocking_the_rest(infra):
    handled: list[str] = []

    async def handler(uow, event, meta):
        handled.append(event.hire_id)

    async with running(infra, handler) as (js, engine, runner):
        first, last = hire_event(1), hire_event(2)
        await publish(js, first)
        await js.publish(HIRE.subject, b"\xff\xff not protobuf", headers=headers_for("poison-1"))
        await js.publish(
            HIRE.subject, hire_event(3).SerializeToString(), headers={"x": "no envelope"}
        )
        await publish(js, last)

        await eventually(lambda: _ready(handled, 2))
        await eventually(lambda: _count(engine, "SELECT count(*) FROM dead_letters", 2))
        assert handled == [first.hire_id, last.hire_id]
        errors = await scalar(
            engine, "SELECT string_agg(error, ' | ' ORDER BY stream_seq) FROM dead_letters"
        )
        assert errors.count("poison") == 2
        assert (
            await scalar(engine, "SELECT event_id FROM dead_letters ORDER BY stream_seq LIMIT 1")
            == "poison-1"
        )
        info = await js.consumer_info(HIRING.name, runner.consumer)
        assert info.num_ack_pending == 0 and info.num_pending == 0


async def test_redelivered_messages_take_effect_once(infra):
    calls: list[str] = []

    async def handler(uow, event, meta):
        calls.append(event.hire_id)

    async with running(infra, handler, fault_redeliver_after_commit=True) as (js, engine, runner):
        deliveries = []
        handle, handle_batch = runner.handle, runner.handle_batch

        async def counting(stream, msg):
            deliveries.append(msg.metadata.num_delivered)
            await handle(stream, msg)

        async def counting_batch(stream, msgs):
            deliveries.extend(m.metadata.num_delivered for m in msgs)
            runner.handle = handle  # the batch's one-at-a-time fallback is not a delivery
            try:
                await handle_batch(stream, msgs)
            finally:
                runner.handle = counting

        runner.handle = counting
        runner.handle_batch = counting_batch
        events = [hire_event(i) for i in range(20)]
        for e in events:
            await publish(js, e)
        # Every message comes twice (nak after commit); the second is skipped via the inbox.
        await eventually(lambda: _count(engine, "SELECT count(*) FROM inbox", 20))
        await eventually(lambda: consumer_settled(js, runner))
        assert sorted(deliveries) == [1] * 20 + [2] * 20
        assert sorted(calls) == sorted(e.hire_id for e in events)


async def test_same_event_id_published_twice_is_handled_once(infra):
    calls: list[str] = []

    async def handler(uow, event, meta):
        calls.append(event.hire_id)

    async with running(infra, handler) as (js, engine, runner):
        event = hire_event()
        event_id = str(uuid.uuid4())
        await publish(js, event, event_id)
        # A different Nats-Msg-Id gets past JetStream's dedupe; the inbox must stop it.
        headers = headers_for(event_id) | {"Nats-Msg-Id": str(uuid.uuid4())}
        await js.publish(HIRE.subject, event.SerializeToString(), headers=headers)
        await eventually(lambda: consumer_settled(js, runner))
        assert calls == [event.hire_id]


async def test_transient_failures_are_retried_with_backoff_then_succeed(infra):
    attempts: dict[str, int] = {}

    async def flaky(uow, event, meta):
        attempts[event.hire_id] = attempts.get(event.hire_id, 0) + 1
        if attempts[event.hire_id] < 3:
            raise ConnectionError("database went away")

    async with running(infra, flaky) as (js, engine, runner):
        event = hire_event()
        await publish(js, event)
        await eventually(lambda: _count(engine, "SELECT count(*) FROM inbox", 1))
        assert attempts[event.hire_id] == 3
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 0


async def test_a_failed_handler_rolls_back_its_writes(infra):
    async def half_done(uow, event, meta):
        uow.publish(hire_event(), key="x")  # would be an outbox row if committed
        raise ValueError("broken invariant")

    async with running(infra, half_done, consumer_max_deliver=2) as (js, engine, runner):
        await publish(js, hire_event())
        await eventually(lambda: _count(engine, "SELECT count(*) FROM dead_letters", 1))
        assert await scalar(engine, "SELECT count(*) FROM outbox") == 0
        assert await scalar(engine, "SELECT count(*) FROM inbox") == 0


async def test_messages_that_keep_failing_are_dead_lettered_after_max_deliveries(infra):
    async def always_fails(uow, event, meta):
        if event.person_key.endswith("1"):
            raise RuntimeError("bug in handler")

    async with running(infra, always_fails, consumer_max_deliver=3) as (js, engine, runner):
        await publish(js, hire_event(1))
        await publish(js, hire_event(2))
        await eventually(lambda: _count(engine, "SELECT count(*) FROM dead_letters", 1))
        assert await scalar(engine, "SELECT deliveries FROM dead_letters") == 3
        assert "bug in handler" in await scalar(engine, "SELECT error FROM dead_letters")
        await eventually(lambda: _count(engine, "SELECT count(*) FROM inbox", 1))


async def test_handler_declared_poison_goes_straight_to_dead_letters(infra):
    async def rejects(uow, event, meta):
        raise PoisonMessage("impossible event")

    async with running(infra, rejects) as (js, engine, runner):
        await publish(js, hire_event())
        await eventually(lambda: _count(engine, "SELECT count(*) FROM dead_letters", 1))
        assert await scalar(engine, "SELECT deliveries FROM dead_letters") == 1


async def _ready(items: list, n: int) -> bool:
    return len(items) >= n


async def _count(engine, sql: str, expected: int) -> bool:
    return await scalar(engine, sql) == expected
