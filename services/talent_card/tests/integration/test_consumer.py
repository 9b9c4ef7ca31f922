"""The service's subscriptions, run by the kit's consumer runner against real NATS JetStream."""

from __future__ import annotations

import uuid

import pytest
from stdnum.cn import ric

from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_devkit.testing import (
    consumer_settled,
    eventually,
    headers_for,
    hire_event,
    running_consumers,
    scalar,
)
from talent_card import handlers
from talent_card.consumers import SUBSCRIPTIONS
from talent_card.credential import Issuer
from talent_card.domain.commands import IssueCard
from talent_card.domain.model import CardLevel

pytestmark = pytest.mark.integration
HIRE = event_type_for_subject("suxin.hiring.hire_recorded.v1")
CONFIRMED = event_type_for_subject("suxin.hiring.hire_confirmed.v1")


async def test_a_holders_hire_delivered_again_and_again_records_one_flow(runtime, infra) -> None:
    number = "32100319900517123" + ric.calc_check_digit("32100319900517123" + "0")
    await handlers.issue_card(
        runtime.uow(),
        IssueCard(resident_id=number, level=CardLevel.A, city_code="3201"),
        runtime.personal_data,
        Issuer.from_settings(runtime.settings),
    )
    # Every message comes twice, as after a crash between commit and ack.
    async with running_consumers(
        runtime, SUBSCRIPTIONS, infra.nats_url, fault_redeliver_after_commit=True
    ) as (js, runner):
        event = hire_event()
        event.person_key = runtime.personal_data.person_key(number)
        payload = event.SerializeToString()
        event_id = str(uuid.uuid4())
        await js.publish(HIRE.subject, payload, headers=headers_for(event_id))
        # The same event re-published after the stream's duplicate window: same ce-id.
        again = headers_for(event_id) | {"Nats-Msg-Id": str(uuid.uuid4())}
        await js.publish(HIRE.subject, payload, headers=again)
        # The same hire announced twice by its publisher: a new ce-id.
        await js.publish(HIRE.subject, payload, headers=headers_for(str(uuid.uuid4())))
        # The person confirms the hire: only now does it move the card.
        confirmed = hiring.HireConfirmed(
            hire_id=event.hire_id,
            version=2,
            enterprise_uscc=event.enterprise_uscc,
            person_key=event.person_key,
            start_date=event.start_date,
            confirmed_by=hiring.HIRE_CONFIRMATION_PERSON,
        )
        await js.publish(
            CONFIRMED.subject,
            confirmed.SerializeToString(),
            headers=headers_for(str(uuid.uuid4()), CONFIRMED.subject),
        )
        await eventually(lambda: consumer_settled(js, runner))
        engine = runtime.engine
        assert await scalar(engine, "SELECT count(*) FROM inbox") == 3
        assert await scalar(engine, "SELECT count(*) FROM talent_flows") == 1
        assert await scalar(engine, "SELECT hire_id::text FROM talent_flows") == event.hire_id
        assert await scalar(engine, "SELECT employer_uscc FROM cards") == event.enterprise_uscc
        flows_sql = "SELECT count(*) FROM outbox WHERE subject LIKE '%talent_flow_recorded%'"
        assert await scalar(engine, flows_sql) == 1
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 0
