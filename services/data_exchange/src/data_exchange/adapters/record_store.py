"""Staff-handled records and their history (every change is a version)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from data_exchange.adapters.tables import staff_record_history, staff_records
from data_exchange.domain.records import (
    DifficultyCategory,
    ExitReason,
    RecordKind,
    RecordStatus,
    StaffRecord,
)

_FIELDS = [f.name for f in fields(StaffRecord)]


def _record(row: Any) -> StaffRecord:
    values = {name: getattr(row, name) for name in _FIELDS}
    values["kind"] = RecordKind(values["kind"])
    values["status"] = RecordStatus(values["status"])
    if values["category"]:
        values["category"] = DifficultyCategory(values["category"])
    if values["exit_reason"]:
        values["exit_reason"] = ExitReason(values["exit_reason"])
    return StaffRecord(**values)


def values_of(record: StaffRecord) -> dict[str, Any]:
    values = asdict(record)
    for name in ("kind", "status", "category", "exit_reason"):
        if values[name] is not None:
            values[name] = values[name].value
    return values


async def get(
    session: AsyncSession, record_id: uuid.UUID, *, lock: bool = False
) -> StaffRecord | None:
    query = sa.select(staff_records).where(staff_records.c.id == record_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return _record(row) if row else None


async def save(
    session: AsyncSession, record: StaffRecord, step: str, actor: str, note: str | None
) -> None:
    values = values_of(record)
    del values["id"]
    await session.execute(
        sa.update(staff_records)
        .where(staff_records.c.id == record.id)
        .values(**values, updated_at=sa.func.now())
    )
    await add_history(session, record, step, actor, note)


async def add_history(
    session: AsyncSession, record: StaffRecord, step: str, actor: str, note: str | None
) -> None:
    await session.execute(
        sa.insert(staff_record_history).values(
            record_id=record.id,
            version=record.version,
            status=record.status.value,
            step=step,
            actor=actor,
            note=note,
        )
    )


async def history(session: AsyncSession, record_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await session.execute(
        sa.select(staff_record_history)
        .where(staff_record_history.c.record_id == record_id)
        .order_by(staff_record_history.c.version)
    )
    return [dict(r._mapping) for r in rows]


async def list_records(
    session: AsyncSession,
    kind: RecordKind,
    district_clause: Any,
    *,
    status: RecordStatus | None,
    after: uuid.UUID | None,
    limit: int,
) -> list[StaffRecord]:
    query = (
        sa.select(staff_records)
        .where(staff_records.c.kind == kind.value, district_clause)
        .order_by(staff_records.c.id)
        .limit(limit)
    )
    if status is not None:
        query = query.where(staff_records.c.status == status.value)
    if after is not None:
        query = query.where(staff_records.c.id > after)
    return [_record(r) for r in await session.execute(query)]
