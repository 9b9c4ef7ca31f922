"""What the deadline-reminder sweep reads: registrations and booths of scheduled 招聘会 whose
reminder window (``lead_days`` before the first day until the last day) contains ``today`` and
whose action is still to be taken."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.tables import (
    job_fair_booths,
    job_fair_registrations,
    job_fairs,
    job_posts,
)


def _fair_window(today: date, lead_days: int) -> list[Any]:
    return [
        job_fairs.c.status == "scheduled",
        job_fairs.c.starts_on <= today + timedelta(days=lead_days),
        job_fairs.c.ends_on >= today,
    ]


async def registrations_due(session: AsyncSession, today: date, lead_days: int) -> list[Any]:
    """Registrations not checked in, at fairs within the window."""
    query = (
        sa.select(
            job_fair_registrations.c.id,
            job_fair_registrations.c.person_key,
            job_fairs.c.id.label("fair_id"),
            job_fairs.c.name,
            job_fairs.c.mode,
            job_fairs.c.starts_on,
        )
        .join(job_fairs, job_fairs.c.id == job_fair_registrations.c.fair_id)
        .where(job_fair_registrations.c.checked_in_at.is_(None), *_fair_window(today, lead_days))
        .order_by(job_fair_registrations.c.id)
    )
    return list(await session.execute(query))


async def empty_booths_due(session: AsyncSession, today: date, lead_days: int) -> list[Any]:
    """Booths at fairs within the window that show no open post."""
    open_post = sa.exists().where(
        job_posts.c.id == sa.any_(job_fair_booths.c.job_post_ids),
        job_posts.c.status == "open",
    )
    query = (
        sa.select(
            job_fair_booths.c.enterprise_uscc,
            job_fairs.c.id.label("fair_id"),
            job_fairs.c.name,
            job_fairs.c.starts_on,
        )
        .join(job_fairs, job_fairs.c.id == job_fair_booths.c.fair_id)
        .where(~open_post, *_fair_window(today, lead_days))
        .order_by(job_fair_booths.c.fair_id, job_fair_booths.c.enterprise_uscc)
    )
    return list(await session.execute(query))
