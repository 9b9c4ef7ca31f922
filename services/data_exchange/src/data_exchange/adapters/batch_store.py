"""Batches, their progress and their row errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from data_exchange.adapters.tables import batch_errors, batches
from data_exchange.domain.rows import RowError

ACCEPTED = ("received", "processing", "applied", "partially_applied")


async def create(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID:
    values = {"id": uuid.uuid4()} | values
    batch_id = values["id"]
    await session.execute(sa.insert(batches).values(**values))
    return batch_id


async def get(
    session: AsyncSession, batch_id: uuid.UUID, *, lock: bool = False
) -> dict[str, Any] | None:
    query = sa.select(batches).where(batches.c.id == batch_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    return dict(row._mapping) if row else None


async def accepted_with(session: AsyncSession, department: str, sha256: str) -> uuid.UUID | None:
    """The batch already accepted with these bytes from this department, if any."""
    return (
        await session.execute(
            sa.select(batches.c.id).where(
                batches.c.department == department,
                batches.c.sha256 == sha256,
                batches.c.status.in_(ACCEPTED),
            )
        )
    ).scalar()


async def update(
    session: AsyncSession, batch_id: uuid.UUID, *, claimed_by: str | None = None, **values: Any
) -> bool:
    """Update a batch; with ``claimed_by``, only while that worker still holds it."""
    statement = sa.update(batches).where(batches.c.id == batch_id).values(**values)
    if claimed_by is not None:
        statement = statement.where(batches.c.claimed_by == claimed_by)
    return (await session.execute(statement)).rowcount == 1


async def claim(session: AsyncSession, worker: str, lease_s: float) -> dict[str, Any] | None:
    """Take the oldest batch waiting (or whose worker's lease ran out) for ``worker``."""
    waiting = (
        sa.select(batches.c.id)
        .where(
            sa.or_(
                batches.c.status == "received",
                sa.and_(batches.c.status == "processing", batches.c.lease_until < sa.func.now()),
            )
        )
        .order_by(batches.c.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    row = (
        await session.execute(
            sa.update(batches)
            .where(batches.c.id == waiting)
            .values(
                status="processing",
                claimed_by=worker,
                lease_until=sa.func.now() + timedelta(seconds=lease_s),
                started_at=sa.func.coalesce(batches.c.started_at, sa.func.now()),
            )
            .returning(batches)
        )
    ).first()
    return dict(row._mapping) if row else None


async def add_errors(session: AsyncSession, batch_id: uuid.UUID, errors: Iterable[RowError]):
    rows = [
        {
            "batch_id": batch_id,
            "row_no": e.row,
            "field": e.field,
            "code": e.code,
            "reason": e.reason,
        }
        for e in errors
    ]
    if rows:
        await session.execute(pg_insert(batch_errors).on_conflict_do_nothing(), rows)


async def errors(
    session: AsyncSession, batch_id: uuid.UUID, *, after: tuple[int, str, str], limit: int
) -> list[dict[str, Any]]:
    key = sa.tuple_(batch_errors.c.row_no, batch_errors.c.field, batch_errors.c.code)
    rows = await session.execute(
        sa.select(batch_errors)
        .where(batch_errors.c.batch_id == batch_id, key > sa.tuple_(*after))
        .order_by(batch_errors.c.row_no, batch_errors.c.field, batch_errors.c.code)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows]


async def list_batches(
    session: AsyncSession, *, department: str | None, before: tuple | None, limit: int
) -> list[dict[str, Any]]:
    query = sa.select(batches).order_by(batches.c.created_at.desc(), batches.c.id.desc())
    if department is not None:
        query = query.where(batches.c.department == department)
    if before is not None:
        query = query.where(sa.tuple_(batches.c.created_at, batches.c.id) < sa.tuple_(*before))
    return [dict(r._mapping) for r in await session.execute(query.limit(limit))]
