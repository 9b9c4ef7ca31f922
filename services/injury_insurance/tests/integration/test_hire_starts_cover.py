"""A HireRecorded, handled through a real unit of work, starts exactly one cover."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from injury_insurance import handlers
from injury_insurance.consumers import SUBSCRIPTIONS
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.messaging.runner import PoisonMessage
from suxin_devkit.testing import hire_event

pytestmark = pytest.mark.integration
HIRE_RECORDED, EMPLOYMENT_ENDED = SUBSCRIPTIONS[:2]


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
        await HIRE_RECORDED.deliver(uow, event, meta)
        await uow.commit()


async def rows(runtime, sql: str, **params) -> list:
    async with runtime.engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


async def test_an_employee_hire_starts_work_injury_insurance_and_announces_it(runtime) -> None:
    event = hire_event(1)
    event.masked_resident_id = "3210**********123X"
    event.contract_type = hiring.CONTRACT_TYPE_OPEN_ENDED

    await deliver(runtime, event)

    [coverage] = await rows(runtime, "SELECT * FROM coverages")
    assert str(coverage.hire_id) == event.hire_id
    assert coverage.scheme == "work_injury_insurance"
    assert coverage.status == "active"
    assert coverage.enterprise_uscc == event.enterprise_uscc
    assert coverage.person_key == event.person_key
    assert coverage.masked_resident_id == "3210**********123X"
    assert coverage.start_date == date(2026, 11, 1)
    assert (coverage.city_code, coverage.district_code) == ("3210", "321002")

    [row] = await rows(runtime, "SELECT * FROM outbox")
    assert row.subject == "suxin.insurance.coverage_started.v1"
    assert row.ce_source == "/suxin/injury-insurance"
    assert row.ce_subject == str(coverage.id)
    assert row.published_at is None
    started = insurance.CoverageStarted.FromString(row.payload)
    assert started.coverage_id == str(coverage.id)
    assert started.hire_id == event.hire_id
    assert started.person_key == event.person_key
    assert started.enterprise_uscc == event.enterprise_uscc
    assert started.scheme == insurance.SCHEME_WORK_INJURY_INSURANCE
    assert started.start_date == Date(year=2026, month=11, day=1)


async def test_a_gig_hire_starts_no_cover_through_the_hiring_enterprise(runtime) -> None:
    # Platform work is enrolled by the platform at the worker's first order, not by the hirer.
    event = hire_event(2)
    event.job_kind = hiring.JOB_KIND_GIG
    event.contract_type = hiring.CONTRACT_TYPE_SERVICE_AGREEMENT

    await deliver(runtime, event)

    assert await rows(runtime, "SELECT id FROM coverages") == []
    assert await rows(runtime, "SELECT id FROM outbox") == []


async def test_the_same_hire_twice_starts_one_cover_and_one_event(runtime) -> None:
    event = hire_event(3)

    # Twice under different event ids, so the inbox cannot tell: the hire id still does.
    await deliver(runtime, event)
    await deliver(runtime, event)

    assert len(await rows(runtime, "SELECT id FROM coverages")) == 1
    assert len(await rows(runtime, "SELECT id FROM outbox")) == 1


async def test_two_hires_of_one_person_start_two_covers(runtime) -> None:
    first, second = hire_event(4), hire_event(4)

    await deliver(runtime, first)
    await deliver(runtime, second)

    covers = await rows(runtime, "SELECT hire_id FROM coverages ORDER BY started_at")
    assert [str(c.hire_id) for c in covers] == [first.hire_id, second.hire_id]
    assert len(await rows(runtime, "SELECT id FROM outbox")) == 2


async def test_a_hire_that_names_no_scheme_is_poison_and_changes_nothing(runtime) -> None:
    event = hire_event(5)
    event.job_kind = hiring.JOB_KIND_UNSPECIFIED

    with pytest.raises(PoisonMessage, match=event.hire_id):
        await deliver(runtime, event)

    assert await rows(runtime, "SELECT id FROM coverages") == []
    assert await rows(runtime, "SELECT id FROM outbox") == []


def ended(hire: hiring.HireRecorded, **changes) -> hiring.EmploymentEnded:
    values = dict(
        hire_id=hire.hire_id,
        version=2,
        enterprise_uscc=hire.enterprise_uscc,
        person_key=hire.person_key,
        city_code=hire.city_code,
        district_code=hire.district_code,
        job_kind=hire.job_kind,
        end_date=Date(year=2027, month=3, day=31),
    )
    return hiring.EmploymentEnded(**(values | changes))


async def end(runtime, event: hiring.EmploymentEnded) -> None:
    meta = EventMeta(
        id=str(uuid.uuid4()),
        type="suxin.hiring.employment_ended.v1",
        source="/suxin/job-matching",
        subject=event.hire_id,
        time=datetime.now(UTC),
        headers={},
    )
    async with runtime.uow() as uow:
        await EMPLOYMENT_ENDED.deliver(uow, event, meta)
        await uow.commit()


async def test_the_end_of_the_employment_ends_its_cover_once(runtime) -> None:
    hire = hire_event(6)
    await deliver(runtime, hire)

    await end(runtime, ended(hire))
    await end(runtime, ended(hire))  # announced again: nothing more

    [coverage] = await rows(runtime, "SELECT * FROM coverages")
    assert coverage.status == "ended"
    assert coverage.end_date == date(2027, 3, 31)
    [row] = await rows(
        runtime, "SELECT payload FROM outbox WHERE subject = 'suxin.insurance.coverage_ended.v1'"
    )
    message = insurance.CoverageEnded.FromString(row.payload)
    assert message.hire_id == hire.hire_id
    assert message.coverage_id == str(coverage.id)
    assert message.end_date == Date(year=2027, month=3, day=31)
    assert message.scheme == insurance.SCHEME_WORK_INJURY_INSURANCE


async def test_an_end_before_its_hire_is_retried_and_a_gig_end_is_ignored(runtime) -> None:
    hire = hire_event(7)

    with pytest.raises(handlers.NotYetKnown):
        await end(runtime, ended(hire))
    await end(runtime, ended(hire, job_kind=hiring.JOB_KIND_GIG))

    assert await rows(runtime, "SELECT id FROM outbox") == []
