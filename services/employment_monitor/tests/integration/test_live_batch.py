"""The live projection of a consumer batch: facts kept on the unit of work, applied together
just before it commits, dropped when it rolls back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from employment_monitor import contracts, handlers
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.messaging.catalog import event_type_of
from suxin_common.messaging.cloudevents import EventMeta
from suxin_devkit.testing import scalar


def _meta(event) -> EventMeta:
    return EventMeta(
        id=str(uuid.uuid4()),
        type=event_type_of(event).subject,
        source="/test",
        subject="",
        time=datetime(2026, 6, 1, tzinfo=UTC),
        headers={},
    )


def _hire(hire_id: str, version: int, city: str) -> hiring.HireRecorded:
    return hiring.HireRecorded(
        hire_id=hire_id,
        version=version,
        enterprise_uscc="91320505MA1XXXXX18",
        city_code=city,
        district_code=city + "05",
        person_key="pk_" + "0" * 32,
        job_kind=hiring.JOB_KIND_FULL_TIME,
        start_date=Date(year=2026, month=5, day=4),
    )


async def test_a_batch_is_applied_at_commit_and_folded_per_key(runtime):
    first, other = str(uuid.uuid4()), str(uuid.uuid4())
    async with runtime.uow() as uow:
        for event in (_hire(first, 2, "3205"), _hire(first, 1, "3201"), _hire(other, 1, "3202")):
            await handlers.project(uow, contracts.event_facts(event, _meta(event)))
        assert await scalar(runtime.engine, "SELECT count(*) FROM hire_facts") == 0
        await uow.commit()
    assert await scalar(runtime.engine, "SELECT count(*) FROM hire_facts") == 2
    # The older version in the same batch changes nothing, as it would one event at a time.
    city = await scalar(
        runtime.engine, "SELECT city_code FROM hire_facts WHERE hire_id = :h", h=first
    )
    assert city == "3205"


async def test_a_rolled_back_batch_leaves_nothing_behind(runtime):
    async with runtime.uow() as uow:
        event = _hire(str(uuid.uuid4()), 1, "3205")
        await handlers.project(uow, contracts.event_facts(event, _meta(event)))
        await uow.rollback()
        await uow.commit()  # the same session after a rollback: nothing pending any more
    assert await scalar(runtime.engine, "SELECT count(*) FROM hire_facts") == 0
