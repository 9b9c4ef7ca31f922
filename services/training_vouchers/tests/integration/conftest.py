"""A migrated training-vouchers database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from suxin.common.v1 import common_pb2 as common
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.facts import fact_from_event
from suxin_common.service import Runtime
from suxin_devkit.testing import api_client, service_runtime
from training_vouchers import contracts, handlers
from training_vouchers.adapters.repositories import Repositories
from training_vouchers.app import create_app
from training_vouchers.policies import load_book
from training_vouchers.settings import Settings

ENTERPRISE_USCC = "91321000MA1XXXXX18"


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "training-vouchers", Settings) as rt:
        # Units of work carry the service's repositories, as create_app declares them.
        rt.repositories = Repositories
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c


@pytest.fixture
def make_hire():
    return graduate_hire


@pytest.fixture
def verify(runtime):
    """``await verify(*fact_verified_events)``: data-exchange's facts, handled and committed."""

    async def verify_all(*events, **kwargs) -> None:
        await verify_facts(runtime, *events, **kwargs)

    return verify_all


@pytest.fixture
def confirm(runtime):
    """``await confirm(hire_event)``: the person confirmed the hire (HireConfirmed handled)."""

    async def confirm_one(event: hiring.HireRecorded, **kwargs) -> None:
        await confirm_hire(runtime, event, **kwargs)

    return confirm_one


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


async def verify_facts(
    runtime: Runtime, *events, at: datetime = datetime(2026, 9, 18, 2, 0, tzinfo=UTC)
) -> None:
    """What the FactVerified subscription does with each event (data-exchange's feeds):
    translate, handle, commit."""
    for event in events:
        async with runtime.uow() as uow:
            await handlers.on_fact_verified(
                uow, fact_from_event(event), book=load_book(), clock=lambda: at
            )
            await uow.commit()


async def confirm_hire(
    runtime: Runtime,
    event: hiring.HireRecorded,
    *,
    by: int = hiring.HIRE_CONFIRMATION_PERSON,
    at: datetime = datetime(2026, 9, 18, 2, 0, tzinfo=UTC),
) -> None:
    """What the HireConfirmed subscription does: the person confirmed the hire."""
    confirmed = hiring.HireConfirmed(
        hire_id=event.hire_id,
        version=2,
        enterprise_uscc=event.enterprise_uscc,
        person_key=event.person_key,
        start_date=event.start_date,
        job_kind=event.job_kind,
        confirmed_by=by,
    )
    async with runtime.uow() as uow:
        await handlers.on_hire_confirmed(
            uow, contracts.hire_confirmation(confirmed), book=load_book(), clock=lambda: at
        )
        await uow.commit()


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


# --- maker-checker helpers (docs/money.md) ---------------------------------------------------


def staff_headers(runtime, subject: str, district: str | None = None) -> dict[str, str]:
    from suxin_common.auth import Role, mint_dev_token

    token = mint_dev_token(runtime.settings, subject, [Role.HRSS_STAFF], district=district)
    return {"Authorization": f"Bearer {token}"}


class FourEyes:
    """Two (or more) staff members doing what takes two people."""

    def __init__(self, client, runtime) -> None:
        self.client, self.runtime = client, runtime

    def staff(self, subject: str, district: str | None = None) -> dict[str, str]:
        return staff_headers(self.runtime, subject, district)

    async def check(self, approval_id: str, checker: str = "checker-1", district=None, **body):
        body = {"verdict": "confirm"} | body
        return await self.client.post(
            f"/v1/approvals/{approval_id}/check", json=body, headers=self.staff(checker, district)
        )

    async def approve(
        self,
        case_id: str,
        *,
        maker: str = "maker-1",
        checker: str = "checker-1",
        maker_district: str | None = None,
        checker_district: str | None = None,
        **body,
    ) -> dict:
        """Propose and confirm an approval; the case as it is afterwards."""
        r = await self.client.post(
            f"/v1/subsidy-cases/{case_id}/decision",
            json={"decision": "approve"} | body,
            headers=self.staff(maker, maker_district),
        )
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "under_review"
        r = await self.check(r.json()["pending_approval_id"], checker, checker_district)
        assert r.status_code == 200, r.text
        r = await self.client.get(
            f"/v1/subsidy-cases/{case_id}", headers=self.staff(checker, checker_district)
        )
        return r.json()

    async def put_occupation(
        self, code: str, body: dict, *, maker: str = "table-maker", checker: str = "table-checker"
    ) -> dict:
        """Propose a table version and have a province-level colleague approve it."""
        r = await self.client.put(f"/v1/occupations/{code}", json=body, headers=self.staff(maker))
        assert r.status_code == 202, r.text
        r = await self.check(r.json()["approval_id"], checker)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def four_eyes(client, runtime) -> FourEyes:
    return FourEyes(client, runtime)
