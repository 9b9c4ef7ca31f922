"""Taking an application for 就业失业登记 / 就业困难人员认定 (受理), through the in-memory unit of
work: what is written, audited and refused. The partial unique index that keeps one open
record per person and kind is covered by the integration tests."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from data_exchange.domain.records import (
    DifficultyCategory,
    RecordKind,
    RecordStatus,
    StaffRecord,
)
from data_exchange.handlers import records as handlers
from suxin_common.auth import Principal, Role, Tenant
from suxin_common.errors import Conflict, Forbidden
from suxin_devkit.testing.uow import FakeUnitOfWork

HANJIANG = "321003"
STAFF = Principal("staff-hanjiang", frozenset({Role.HRSS_STAFF}), Tenant(district=HANJIANG))
PERSON = "pk_" + "a" * 32
OPEN = {RecordStatus.APPLIED, RecordStatus.CHECKED, RecordStatus.APPROVED}


class FakeRecords:
    """The records repository over a list; one open record per person and kind."""

    def __init__(self) -> None:
        self.records: list[StaffRecord] = []
        self.history: list[tuple[uuid.UUID, int, str, str]] = []

    async def open(self, record: StaffRecord, step: str, actor: str) -> bool:
        if any(
            r.person_key == record.person_key and r.kind is record.kind and r.status in OPEN
            for r in self.records
        ):
            return False
        self.records.append(record)
        self.history.append((record.id, record.version, step, actor))
        return True


class FakeRepositories:
    def __init__(self) -> None:
        self.records = FakeRecords()


def fake_uow() -> FakeUnitOfWork[FakeRepositories]:
    return FakeUnitOfWork(FakeRepositories())


async def apply(uow, principal=STAFF, *, district=HANJIANG, kind=RecordKind.EMPLOYMENT_DIFFICULTY):
    return await handlers.apply(
        uow,
        principal,
        kind,
        person_key=PERSON,
        masked_resident_id="321***********1234",
        residence_district=district,
        applied_on=date(2026, 11, 2),
        service_point="邗江区就业服务站",
        category=DifficultyCategory.LONG_TERM_UNEMPLOYED,
        statement=None,
    )


async def test_an_application_is_written_as_its_first_version_and_audited():
    uow = fake_uow()

    record = await apply(uow)

    assert record.status is RecordStatus.APPLIED and record.handler == "staff-hanjiang"
    assert uow.repos.records.records == [record]
    assert uow.repos.records.history == [(record.id, record.version, "apply", "staff-hanjiang")]
    assert uow.commits == 1 and uow.published == []
    [entry] = uow.audit_entries
    assert entry["action"] == "apply_hrss_record"
    assert entry["object_id"] == str(record.id)
    assert entry["details"] == {"district": HANJIANG}
    # The audit entry holds codes only, never the person.
    assert PERSON not in str(entry)


async def test_staff_take_applications_of_their_own_district_only():
    uow = fake_uow()

    with pytest.raises(Forbidden):
        await apply(uow, district="321102")

    assert uow.repos.records.records == [] and uow.commits == 0 and uow.audit_entries == []


async def test_a_second_open_record_of_the_same_kind_is_refused_and_nothing_is_audited():
    uow = fake_uow()
    await apply(uow)

    with pytest.raises(Conflict) as refused:
        await apply(uow)

    assert refused.value.code == "record-open"
    assert len(uow.repos.records.records) == 1
    assert [e["action"] for e in uow.audit_entries] == ["apply_hrss_record"]
    # Another kind is a record of its own.
    await apply(uow, kind=RecordKind.UNEMPLOYMENT_REGISTRATION)
    assert len(uow.repos.records.records) == 2
