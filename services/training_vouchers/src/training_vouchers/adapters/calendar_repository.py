"""Reads and writes of the loaded holiday schedules, and of the cases whose review deadline is
provisional. The session is passed in."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from training_vouchers.adapters.repository import _case
from training_vouchers.adapters.tables import holiday_schedules, subsidy_cases
from training_vouchers.domain.model import SubsidyCase
from training_vouchers.domain.review import OPEN_FOR_REVIEW
from training_vouchers.domain.working_days import YearSchedule

h = holiday_schedules


async def save_schedule(
    session: AsyncSession, schedule: YearSchedule, *, at: datetime, by: str
) -> int:
    """Insert or replace a year's schedule; returns its version (1 the first time)."""
    values = {
        "year": schedule.year,
        "days_off": sorted(schedule.days_off),
        "make_up_workdays": sorted(schedule.make_up_workdays),
        "source": schedule.source,
        "loaded_at": at,
        "loaded_by": by,
    }
    stmt = insert(h).values(**values, version=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[h.c.year],
        set_={**{k: stmt.excluded[k] for k in values if k != "year"}, "version": h.c.version + 1},
    ).returning(h.c.version)
    return int((await session.execute(stmt)).scalar_one())


async def schedules(session: AsyncSession) -> list[YearSchedule]:
    rows = await session.execute(sa.select(h).order_by(h.c.year))
    return [
        YearSchedule(
            year=r.year,
            days_off=frozenset(r.days_off),
            make_up_workdays=frozenset(r.make_up_workdays),
            source=r.source,
        )
        for r in rows
    ]


async def schedule_row(session: AsyncSession, year: int):
    return (await session.execute(sa.select(h).where(h.c.year == year))).first()


async def provisional_open_cases(session: AsyncSession) -> list[SubsidyCase]:
    """Cases in review (or returned) whose deadline was counted without an official schedule."""
    t = subsidy_cases
    rows = await session.execute(
        sa.select(t)
        .where(
            t.c.review_deadline_provisional.is_(True),
            t.c.status.in_([s.value for s in OPEN_FOR_REVIEW]),
        )
        .order_by(t.c.review_deadline, t.c.id)
        .with_for_update()
    )
    return [_case(r) for r in rows]
