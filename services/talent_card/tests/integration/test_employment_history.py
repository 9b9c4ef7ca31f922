"""A holder's employer and city history from HireRecorded and EmploymentEnded, and the flow
event the talent-flow map reads (industry and level)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.talent.v1 import events_pb2 as talent
from suxin_common.auth import Role
from suxin_common.messaging.cloudevents import EventMeta
from suxin_devkit.testing import hire_event, make_resident_id, make_uscc, scalar
from talent_card.consumers import SUBSCRIPTIONS
from talent_card.handlers import record_employment_end, record_talent_flow
from talent_card.hire_confirmation import hold_hire, on_hire_confirmed

pytestmark = pytest.mark.integration
FIRST, SECOND = make_uscc(11, region="320100"), make_uscc(12, region="321000")


async def deliver(runtime, handler, event) -> None:
    """The handler's subscription on one message: translate, handle, commit. A hire is
    delivered as recorded and then confirmed by the person (it moves a card only then)."""
    if handler is record_talent_flow:
        await deliver(runtime, hold_hire, event)
        await deliver(runtime, on_hire_confirmed, confirmed(event))
        return
    [subscription] = [s for s in SUBSCRIPTIONS if s.handler is handler]
    meta = EventMeta(str(uuid.uuid4()), "t", "/test", "t", datetime.now(UTC), {})
    async with runtime.uow() as uow:
        await subscription.deliver(uow, event, meta)
        await uow.commit()


def confirmed(event) -> hiring.HireConfirmed:
    """The person confirmed the hire (job-matching's HireConfirmed)."""
    return hiring.HireConfirmed(
        hire_id=event.hire_id,
        version=2,
        enterprise_uscc=event.enterprise_uscc,
        person_key=event.person_key,
        start_date=event.start_date,
        job_kind=event.job_kind,
        confirmed_by=hiring.HIRE_CONFIRMATION_PERSON,
    )


def hire(runtime, uscc: str, city: str, industry: str, month: int) -> hiring.HireRecorded:
    event = hire_event()
    event.person_key = runtime.personal_data.person_key(make_resident_id(1))
    event.enterprise_uscc, event.city_code, event.industry_code = uscc, city, industry
    event.start_date.CopyFrom(Date(year=2026, month=month, day=1))
    return event


def ended(h: hiring.HireRecorded, month: int, day: int) -> hiring.EmploymentEnded:
    return hiring.EmploymentEnded(
        hire_id=h.hire_id,
        version=2,
        enterprise_uscc=h.enterprise_uscc,
        person_key=h.person_key,
        city_code=h.city_code,
        industry_code=h.industry_code,
        job_kind=h.job_kind,
        end_date=Date(year=2026, month=month, day=day),
    )


async def test_jobs_and_their_ends_make_the_history_and_the_flow_carries_industry_and_level(
    runtime, client, as_
) -> None:
    staff = as_(Role.HRSS_STAFF)
    body = {"resident_id": make_resident_id(1), "level": "A", "city_code": "3201"}
    card = (await client.post("/v1/cards", json=body, headers=staff)).json()
    first = hire(runtime, FIRST, "3201", "I", 3)
    second = hire(runtime, SECOND, "3210", "C", 9)

    await deliver(runtime, record_talent_flow, first)
    await deliver(runtime, record_employment_end, ended(first, 8, 31))
    between_jobs = (await client.get(f"/v1/cards/{card['id']}", headers=staff)).json()
    # The end of the second job arrives before its hire: both still land.
    await deliver(runtime, record_employment_end, ended(second, 12, 31))
    await deliver(runtime, record_talent_flow, second)

    assert (between_jobs["employer_uscc"], between_jobs["city_code"]) == (None, "3201")
    history = (await client.get(f"/v1/cards/{card['id']}/employments", headers=staff)).json()
    assert [(h["employer_uscc"], h["started_on"], h["ended_on"]) for h in history] == [
        (FIRST, "2026-03-01", "2026-08-31"),
        (SECOND, "2026-09-01", "2026-12-31"),
    ]
    async with runtime.engine.connect() as conn:
        payloads = (
            (
                await conn.execute(
                    text("SELECT payload FROM outbox WHERE subject = :s ORDER BY created_at"),
                    {"s": "suxin.talent.talent_flow_recorded.v1"},
                )
            )
            .scalars()
            .all()
        )
    flows = [talent.TalentFlowRecorded.FromString(p) for p in payloads]
    assert [(f.from_city_code, f.to_city_code, f.to_industry_code) for f in flows] == [
        ("3201", "3201", "I"),
        ("3201", "3210", "C"),
    ]
    assert flows[1].from_industry_code == "I"
    assert {f.level for f in flows} == {talent.CARD_LEVEL_A}
    assert await scalar(runtime.engine, "SELECT count(*) FROM card_employments") == 2
