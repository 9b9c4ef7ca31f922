"""Reads and writes of job fairs, their booths and registrations (session passed in)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.tables import (
    enterprises,
    job_fair_booths,
    job_fair_registrations,
    job_fairs,
    job_posts,
)
from job_matching.domain.job_fairs import FairMode, FairStatus, FairTheme, JobFair


def fair_from_row(row: Any) -> JobFair:
    return JobFair(
        id=row.id,
        name=row.name,
        mode=FairMode(row.mode),
        theme=FairTheme(row.theme),
        city_code=row.city_code,
        district_code=row.district_code,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        venue=row.venue,
        link=row.link,
        status=FairStatus(row.status),
        version=row.version,
        created_at=row.created_at,
    )


async def add_fair(session: AsyncSession, fair: JobFair) -> None:
    await session.execute(
        insert(job_fairs).values(
            id=fair.id,
            name=fair.name,
            mode=fair.mode.value,
            theme=fair.theme.value,
            city_code=fair.city_code,
            district_code=fair.district_code,
            starts_on=fair.starts_on,
            ends_on=fair.ends_on,
            venue=fair.venue,
            link=fair.link,
            status=fair.status.value,
            version=fair.version,
            created_at=fair.created_at,
        )
    )


async def get_fair(
    session: AsyncSession, fair_id: uuid.UUID, *, lock: bool = False
) -> JobFair | None:
    query = select(job_fairs).where(job_fairs.c.id == fair_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return fair_from_row(row) if row else None


async def mark_held(session: AsyncSession, fair: JobFair, at: datetime) -> None:
    await session.execute(
        update(job_fairs)
        .where(job_fairs.c.id == fair.id)
        .values(status=FairStatus.HELD.value, version=fair.version + 1, held_at=at)
    )


async def list_fairs(
    session: AsyncSession,
    *,
    where: list[Any],
    after: tuple[date, uuid.UUID] | None,
    limit: int,
) -> list[JobFair]:
    query = select(job_fairs).order_by(job_fairs.c.starts_on, job_fairs.c.id).limit(limit)
    for clause in where:
        query = query.where(clause)
    if after is not None:
        query = query.where(sa.tuple_(job_fairs.c.starts_on, job_fairs.c.id) > after)
    return [fair_from_row(r) for r in (await session.execute(query)).all()]


async def counts(session: AsyncSession, fair_id: uuid.UUID) -> dict[str, int]:
    """Booths, posts and positions shown, registrations and check-ins of a fair."""
    booths = (
        await session.execute(
            select(
                sa.func.count(),
                sa.func.coalesce(
                    sa.func.sum(sa.func.cardinality(job_fair_booths.c.job_post_ids)), 0
                ),
            ).where(job_fair_booths.c.fair_id == fair_id)
        )
    ).one()
    shown = select(sa.func.unnest(job_fair_booths.c.job_post_ids)).where(
        job_fair_booths.c.fair_id == fair_id
    )
    positions = await session.scalar(
        select(sa.func.coalesce(sa.func.sum(job_posts.c.headcount), 0)).where(
            job_posts.c.id.in_(shown)
        )
    )
    people = (
        await session.execute(
            select(sa.func.count(), sa.func.count(job_fair_registrations.c.checked_in_at)).where(
                job_fair_registrations.c.fair_id == fair_id
            )
        )
    ).one()
    return {
        "booths": booths[0],
        "job_posts": int(booths[1]),
        "positions": int(positions or 0),
        "registrations": people[0],
        "check_ins": people[1],
    }


# --- booths -------------------------------------------------------------------------------


async def save_booth(
    session: AsyncSession, fair_id: uuid.UUID, uscc: str, post_ids: list[uuid.UUID], at: datetime
) -> int:
    """Create or replace the enterprise's booth; its number is kept once given."""
    existing = await session.scalar(
        select(job_fair_booths.c.booth_no).where(
            job_fair_booths.c.fair_id == fair_id, job_fair_booths.c.enterprise_uscc == uscc
        )
    )
    if existing is not None:
        await session.execute(
            update(job_fair_booths)
            .where(job_fair_booths.c.fair_id == fair_id)
            .where(job_fair_booths.c.enterprise_uscc == uscc)
            .values(job_post_ids=post_ids, updated_at=at)
        )
        return existing
    number = await session.scalar(
        select(sa.func.coalesce(sa.func.max(job_fair_booths.c.booth_no), 0) + 1).where(
            job_fair_booths.c.fair_id == fair_id
        )
    )
    await session.execute(
        insert(job_fair_booths).values(
            fair_id=fair_id,
            enterprise_uscc=uscc,
            booth_no=number,
            job_post_ids=post_ids,
            updated_at=at,
        )
    )
    return number


async def booths(session: AsyncSession, fair_id: uuid.UUID) -> list[tuple[Any, list[Any]]]:
    """Each booth with its enterprise's name and its posts (id, title, headcount, status)."""
    rows = (
        await session.execute(
            select(job_fair_booths, enterprises.c.name.label("enterprise_name"))
            .join(enterprises, enterprises.c.uscc == job_fair_booths.c.enterprise_uscc)
            .where(job_fair_booths.c.fair_id == fair_id)
            .order_by(job_fair_booths.c.booth_no)
        )
    ).all()
    post_ids = [p for r in rows for p in r.job_post_ids]
    posts = {}
    if post_ids:
        found = await session.execute(
            select(
                job_posts.c.id,
                job_posts.c.title,
                job_posts.c.headcount,
                job_posts.c.status,
                job_posts.c.occupation_code,
            ).where(job_posts.c.id.in_(post_ids))
        )
        posts = {p.id: p for p in found}
    return [(r, [posts[p] for p in r.job_post_ids if p in posts]) for r in rows]


# --- registrations ------------------------------------------------------------------------


async def add_registration(session: AsyncSession, values: dict[str, Any]) -> bool:
    result = await session.execute(
        insert(job_fair_registrations)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_job_fair_registrations_person")
        .returning(job_fair_registrations.c.id)
    )
    return result.first() is not None


async def registration(session: AsyncSession, registration_id: uuid.UUID) -> Any | None:
    return (
        await session.execute(
            select(job_fair_registrations).where(job_fair_registrations.c.id == registration_id)
        )
    ).first()


async def registration_by(session: AsyncSession, fair_id: uuid.UUID, **key: str) -> Any | None:
    query = select(job_fair_registrations).where(job_fair_registrations.c.fair_id == fair_id)
    for column, value in key.items():
        query = query.where(job_fair_registrations.c[column] == value)
    return (await session.execute(query)).first()


async def check_in(session: AsyncSession, registration_id: uuid.UUID, at: datetime) -> Any:
    """Record the check-in once: a second check-in keeps the first time."""
    await session.execute(
        update(job_fair_registrations)
        .where(job_fair_registrations.c.id == registration_id)
        .where(job_fair_registrations.c.checked_in_at.is_(None))
        .values(checked_in_at=at)
    )
    return await registration(session, registration_id)


async def registrations_of_person(
    session: AsyncSession, person_key: str, after: uuid.UUID | None, limit: int
) -> list[Any]:
    query = (
        select(job_fair_registrations, job_fairs.c.name, job_fairs.c.starts_on, job_fairs.c.mode)
        .join(job_fairs, job_fairs.c.id == job_fair_registrations.c.fair_id)
        .where(job_fair_registrations.c.person_key == person_key)
        .order_by(job_fair_registrations.c.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(job_fair_registrations.c.id > after)
    return list((await session.execute(query)).all())
