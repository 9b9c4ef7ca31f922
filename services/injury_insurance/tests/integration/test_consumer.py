"""The service's subscriptions, run by the kit's consumer runner against real NATS JetStream."""

from __future__ import annotations

import uuid

import pytest

from injury_insurance.consumers import SUBSCRIPTIONS
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.testing import (
    consumer_settled,
    eventually,
    headers_for,
    hire_event,
    running_consumers,
    scalar,
)

pytestmark = pytest.mark.integration
HIRE = event_type_for_subject("suxin.hiring.hire_recorded.v1")


async def test_a_hire_delivered_again_and_again_starts_one_cover(runtime, infra) -> None:
    # Every message comes twice, as after a crash between commit and ack.
    async with running_consumers(
        runtime, SUBSCRIPTIONS, infra.nats_url, fault_redeliver_after_commit=True
    ) as (js, runner):
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
