"""Reads and writes of coverages, as domain objects. The session is passed in."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from injury_insurance.adapters.tables import coverages
from injury_insurance.domain.model import Coverage, CoverageStatus, Scheme


async def add_coverage(session: AsyncSession, coverage: Coverage) -> bool:
    """Insert; False if this hire already started a cover (the natural key backs up the inbox)."""
    values = asdict(coverage) | {
        "scheme": coverage.scheme.value,
        "status": coverage.status.value,
    }
    row = await session.execute(
        insert(coverages)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[coverages.c.hire_id])
        .returning(coverages.c.id)
    )
    return row.first() is not None


async def get_coverage(session: AsyncSession, coverage_id: uuid.UUID) -> Coverage | None:
    row = (await session.execute(sa.select(coverages).where(coverages.c.id == coverage_id))).first()
    return _coverage(row) if row else None


async def list_coverages(
    session: AsyncSession,
    *,
    hire_id: uuid.UUID | None = None,
    enterprise_uscc: str | None = None,
    person_key: str | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
    limit: int,
) -> list[Coverage]:
    """Coverages in the order they started, from just after the keyset position ``after``."""
    query = sa.select(coverages)
    if hire_id is not None:
        query = query.where(coverages.c.hire_id == hire_id)
    if enterprise_uscc is not None:
        query = query.where(coverages.c.enterprise_uscc == enterprise_uscc)
    if person_key is not None:
        query = query.where(coverages.c.person_key == person_key)
    if after is not None:
        query = query.where(sa.tuple_(coverages.c.started_at, coverages.c.id) > sa.tuple_(*after))
    query = query.order_by(coverages.c.started_at, coverages.c.id).limit(limit)
    return [_coverage(row) for row in (await session.execute(query)).all()]


def _coverage(row: Any) -> Coverage:
    return Coverage(
        id=row.id,
        hire_id=row.hire_id,
        person_key=row.person_key,
        masked_resident_id=row.masked_resident_id,
        enterprise_uscc=row.enterprise_uscc,
        scheme=Scheme(row.scheme),
        status=CoverageStatus(row.status),
        start_date=row.start_date,
        city_code=row.city_code,
        district_code=row.district_code,
        started_at=row.started_at,
    )
