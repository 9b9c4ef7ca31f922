"""A HireRecorded, handled through a real unit of work, moves a holder's card once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from stdnum.cn import ric

from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.talent.v1 import events_pb2 as talent
from suxin_common.messaging.cloudevents import EventMeta
from suxin_devkit.testing import hire_event
from talent_card import contracts, handlers
from talent_card.credential import Issuer
from talent_card.domain.commands import IssueCard
from talent_card.domain.model import Card, CardLevel

pytestmark = pytest.mark.integration
# Issuing a card publishes CardIssued too; these tests look at the flows only.
FLOW_SUBJECT = "suxin.talent.talent_flow_recorded.v1"

NANJING_CO = "91320100711234567E"
YANGZHOU_CO = "91321000MA1XY0123R"
WUXI_CO = "91320200MA1AB2345M"


def resident_id(first17: str = "32100319900517123") -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


async def issue(runtime, number: str, employer: str | None = NANJING_CO, city="3201") -> Card:
    cmd = IssueCard(resident_id=number, level=CardLevel.A, city_code=city, employer_uscc=employer)
    return await handlers.issue_card(
        runtime.uow(), cmd, runtime.personal_data, Issuer.from_settings(runtime.settings)
    )


def hire_of(runtime, number: str, uscc: str, city: str, start: date) -> hiring.HireRecorded:
    event = hire_event()
    event.person_key = runtime.personal_data.person_key(number)
    event.enterprise_uscc = uscc
    event.city_code = city
    event.district_code = city + "02"
    event.start_date.CopyFrom(Date(year=start.year, month=start.month, day=start.day))
    return event


async def deliver(runtime, event: hiring.HireRecorded, event_id: str | None = None) -> None:
    """What the consumer runner does with one message, minus the inbox and the ack."""
    meta = EventMeta(
        id=event_id or str(uuid.uuid4()),
        type="suxin.hiring.hire_recorded.v1",
        source="/suxin/job-matching",
        subject=event.hire_id,
        time=datetime.now(UTC),
        headers={},
    )
    async with runtime.uow() as uow:
        await handlers.record_talent_flow(uow, contracts.hire_recorded(event, meta))
        await uow.commit()


async def rows(runtime, sql: str, **params) -> list:
    async with runtime.engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


async def test_a_holders_hire_moves_the_card_and_records_the_flow(runtime) -> None:
    number = resident_id()
    card = await issue(runtime, number)
    event = hire_of(runtime, number, YANGZHOU_CO, "3210", date(2026, 12, 1))

    await deliver(runtime, event)

    [moved] = await rows(runtime, "SELECT * FROM cards")
    assert (moved.employer_uscc, moved.city_code) == (YANGZHOU_CO, "3210")
    assert moved.position_since == date(2026, 12, 1)
    assert (moved.issued_employer_uscc, moved.issued_city_code) == (NANJING_CO, "3201")

    [flow] = await rows(runtime, "SELECT * FROM talent_flows")
    assert flow.card_id == card.id
    assert str(flow.hire_id) == event.hire_id
    assert (flow.from_uscc, flow.from_city_code) == (NANJING_CO, "3201")
    assert (flow.to_uscc, flow.to_city_code) == (YANGZHOU_CO, "3210")
    assert flow.flowed_on == date(2026, 12, 1)

    [row] = await rows(runtime, "SELECT * FROM outbox WHERE subject = :s", s=FLOW_SUBJECT)
    assert row.subject == "suxin.talent.talent_flow_recorded.v1"
    assert row.ce_source == "/suxin/talent-card"
    assert row.ce_subject == str(card.id)
    recorded = talent.TalentFlowRecorded.FromString(row.payload)
    assert recorded.flow_id == str(flow.id)
    assert recorded.card_id == str(card.id)
    assert recorded.hire_id == event.hire_id
    assert recorded.person_key == card.person_key
    assert (recorded.from_uscc, recorded.to_uscc) == (NANJING_CO, YANGZHOU_CO)
    assert (recorded.from_city_code, recorded.to_city_code) == ("3201", "3210")
    assert recorded.flowed_on == Date(year=2026, month=12, day=1)
    assert number.encode() not in row.payload


async def test_the_same_hire_twice_records_one_flow_and_one_event(runtime) -> None:
    number = resident_id()
    await issue(runtime, number)
    event = hire_of(runtime, number, YANGZHOU_CO, "3210", date(2026, 12, 1))

    # Twice under different event ids, so the inbox cannot tell: the hire id still does.
    await deliver(runtime, event)
    await deliver(runtime, event)

    assert len(await rows(runtime, "SELECT id FROM talent_flows")) == 1
    assert len(await rows(runtime, "SELECT id FROM outbox WHERE subject = :s", s=FLOW_SUBJECT)) == 1
    [card] = await rows(runtime, "SELECT employer_uscc FROM cards")
    assert card.employer_uscc == YANGZHOU_CO


async def test_a_person_without_a_card_changes_nothing(runtime) -> None:
    holder = resident_id()
    await issue(runtime, holder)
    stranger = resident_id("32010219851203456")

    await deliver(runtime, hire_of(runtime, stranger, YANGZHOU_CO, "3210", date(2026, 12, 1)))

    assert await rows(runtime, "SELECT id FROM talent_flows") == []
    assert await rows(runtime, "SELECT id FROM outbox WHERE subject = :s", s=FLOW_SUBJECT) == []
    [card] = await rows(runtime, "SELECT employer_uscc, city_code, position_since FROM cards")
    assert tuple(card) == (NANJING_CO, "3201", None)


async def test_an_older_hire_arriving_late_is_recorded_without_moving_the_card_back(
    runtime,
) -> None:
    number = resident_id()
    card = await issue(runtime, number)
    september = hire_of(runtime, number, WUXI_CO, "3202", date(2026, 9, 1))
    march = hire_of(runtime, number, YANGZHOU_CO, "3210", date(2026, 3, 1))

    await deliver(runtime, september)
    await deliver(runtime, march)

    [moved] = await rows(runtime, "SELECT * FROM cards")
    assert (moved.employer_uscc, moved.city_code) == (WUXI_CO, "3202")
    assert moved.position_since == date(2026, 9, 1)
    flows = await rows(
        runtime, "SELECT hire_id, from_uscc, to_uscc FROM talent_flows ORDER BY flowed_on"
    )
    assert [(str(f.hire_id), f.from_uscc, f.to_uscc) for f in flows] == [
        (march.hire_id, NANJING_CO, YANGZHOU_CO),
        (september.hire_id, NANJING_CO, WUXI_CO),
    ]
    outbox = await rows(runtime, "SELECT ce_subject FROM outbox WHERE subject = :s", s=FLOW_SUBJECT)
    assert [o.ce_subject for o in outbox] == [str(card.id)] * 2


async def test_a_hire_into_the_holders_current_job_is_no_flow(runtime) -> None:
    number = resident_id()
    await issue(runtime, number)

    await deliver(runtime, hire_of(runtime, number, NANJING_CO, "3201", date(2026, 12, 1)))

    assert await rows(runtime, "SELECT id FROM talent_flows") == []
    assert await rows(runtime, "SELECT id FROM outbox WHERE subject = :s", s=FLOW_SUBJECT) == []
