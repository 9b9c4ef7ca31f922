"""Handling 就业失业登记 and 就业困难人员认定: each step is a versioned change of the record;
each decision (approve/reject, review, exit) is audited, and a change of the fact it states is
published as FactVerified (department HRSS_RECORDS)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from data_exchange.adapters.repositories import Repositories
from data_exchange.domain import records as domain
from data_exchange.domain.records import (
    DifficultyCategory,
    RecordKind,
    RecordStatus,
    StaffRecord,
)
from data_exchange.handlers.facts import Stated, apply_facts
from suxin_common.auth import Principal
from suxin_common.db import Work
from suxin_common.errors import Conflict, Forbidden, NotFound
from suxin_common.security import audit

DECIDE_RECORD = "decide_hrss_record"


async def apply(
    uow: Work[Repositories],
    principal: Principal,
    kind: RecordKind,
    *,
    person_key: str,
    masked_resident_id: str,
    residence_district: str,
    applied_on: date,
    service_point: str | None,
    category: DifficultyCategory | None,
    statement: str | None,
) -> StaffRecord:
    """A person applies at a service point of their usual residence; the staff member who
    takes the application is its handler. Staff take applications in their district only,
    and a person has one open record of a kind at a time."""
    if not principal.sees_district(residence_district):
        raise Forbidden("The residence is outside your district.")
    record = StaffRecord(
        id=uuid.uuid4(),
        kind=kind,
        person_key=person_key,
        masked_resident_id=masked_resident_id,
        residence_district=residence_district,
        status=RecordStatus.APPLIED,
        handler=principal.subject,
        applied_on=applied_on,
        service_point=service_point,
        category=category,
        statement=statement,
    )
    async with uow:
        if not await uow.repos.records.open(record, "apply", principal.subject):
            raise Conflict(
                "The person already has an open record of this kind.",
                code="record-open",
            )
        entry = audit.entry(
            principal,
            action="apply_hrss_record",
            object_type=kind.value,
            object_id=str(record.id),
            details={"district": residence_district},
        )
        await uow.append_audit([entry])
        await uow.commit()
    return record


async def visible(
    uow: Work[Repositories], principal: Principal, kind: RecordKind, record_id: uuid.UUID
) -> StaffRecord:
    async with uow:
        record = await uow.repos.records.get(record_id)
    if record is None or record.kind is not kind:
        raise NotFound("record not found")
    principal.check_district(record.residence_district, "record")
    return record


async def step(
    uow: Work[Repositories],
    principal: Principal,
    kind: RecordKind,
    record_id: uuid.UUID,
    name: str,
    change: Callable[[StaffRecord], StaffRecord],
    *,
    note: str | None = None,
) -> StaffRecord:
    """Apply one step to a record (locked), version it, audit it, and publish its fact if
    the fact changed."""
    async with uow:
        record = await uow.repos.records.get(record_id, lock=True)
        if record is None or record.kind is not kind:
            raise NotFound("record not found")
        principal.check_district(record.residence_district, "record")
        updated = change(record)
        await uow.repos.records.save(updated, name, principal.subject, note)
        entry = audit.entry(
            principal,
            action=DECIDE_RECORD if name != "check" else "check_hrss_record",
            object_type=kind.value,
            object_id=str(record.id),
            purpose=name,
            details={"status": updated.status.value, "version": updated.version},
        )
        await uow.append_audit([entry])
        draft = domain.fact_of(updated)
        if draft is not None:
            now = datetime.now(UTC)
            await apply_facts(
                uow,
                [Stated(draft, f"{kind.value}:{record.id}@{updated.version}")],
                as_of=now.date(),
                verified_at=now,
            )
        await uow.commit()
    return updated
