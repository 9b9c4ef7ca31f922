"""A migrated training-vouchers database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from suxin.common.v1 import common_pb2 as common
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.service import Runtime
from suxin_devkit.testing import api_client, service_runtime
from training_vouchers import contracts, handlers
from training_vouchers.app import create_app
from training_vouchers.policies import load_book
from training_vouchers.settings import Settings

ENTERPRISE_USCC = "91321000MA1XXXXX18"


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "training-vouchers", Settings) as rt:
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c


@pytest.fixture
def make_hire():
    return graduate_hire


@pytest.fixture
def deliver(runtime):
    """``await deliver(event, at=..., event_id=...)``: handle one HireRecorded, then commit."""

    async def deliver_one(event: hiring.HireRecorded, **kwargs) -> None:
        await handle(runtime, event, **kwargs)

    return deliver_one


def graduate_hire(
    uscc: str = ENTERPRISE_USCC, *, key_groups=(hiring.KEY_GROUP_COLLEGE_GRADUATE,)
) -> hiring.HireRecorded:
    """A bachelor who graduated in June 2025, hired in 扬州 on a 3-year full-time contract
    from 1 Sep 2026."""
    return hiring.HireRecorded(
        hire_id=str(uuid.uuid4()),
        version=1,
        enterprise_uscc=uscc,
        city_code="3210",
        district_code="321002",
        industry_code="C",
        person_key=f"pk_{uuid.uuid4().hex}",
        masked_resident_id="3210**********123X",
        education=hiring.EDUCATION_BACHELOR,
        graduation_date=Date(year=2025, month=6, day=30),
        birth_year=2003,
        enterprise_size=common.ENTERPRISE_SIZE_MEDIUM,
        key_groups=list(key_groups),
        job_kind=hiring.JOB_KIND_FULL_TIME,
        contract_type=hiring.CONTRACT_TYPE_FIXED_TERM,
        contract_months=36,
        start_date=Date(year=2026, month=9, day=1),
    )


async def handle(
    runtime: Runtime,
    event: hiring.HireRecorded,
    *,
    at: datetime = datetime(2026, 9, 18, 2, 0, tzinfo=UTC),
    event_id: str | None = None,
    book=None,
) -> None:
    """What the consumer runner does with one message (translate, handle, commit), minus the
    inbox and the ack (so ``event_id``, which only the inbox reads, changes nothing)."""
    async with runtime.uow() as uow:
        # The HireRecorded subscription's handler (both effects, in one transaction).
        await handlers.on_hire_recorded(
            uow,
            contracts.hire_facts(event),
            book=book or load_book(),
            window_days=runtime.settings.training_outcome_window_days,
            clock=lambda: at,
        )
        await uow.commit()
