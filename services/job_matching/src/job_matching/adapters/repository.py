"""Reads and writes of job-matching rows, as domain objects. The session is passed in."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.tables import enterprises, hires, job_posts, seekers
from job_matching.domain.model import (
    Education,
    Enterprise,
    EnterpriseSize,
    JobKind,
    JobPost,
    KeyGroup,
    PostStatus,
    Seeker,
)


async def add_enterprise(session: AsyncSession, e: Enterprise) -> bool:
    """Insert; False if the USCC is already registered."""
    row = await session.execute(
        insert(enterprises)
        .values(
            uscc=e.uscc,
            name=e.name,
            city_code=e.city_code,
            district_code=e.district_code,
            industry_code=e.industry_code,
            size=e.size.value,
            specialized_sme=e.specialized_sme,
            little_giant=e.little_giant,
            key_monitored=e.key_monitored,
        )
        .on_conflict_do_nothing()
        .returning(enterprises.c.uscc)
    )
    return row.first() is not None


async def get_enterprise(session: AsyncSession, uscc: str) -> Enterprise | None:
    row = (await session.execute(select(enterprises).where(enterprises.c.uscc == uscc))).first()
    if row is None:
        return None
    return Enterprise(
        uscc=row.uscc,
        name=row.name,
        city_code=row.city_code,
        district_code=row.district_code,
        industry_code=row.industry_code,
        size=EnterpriseSize(row.size),
        specialized_sme=row.specialized_sme,
        little_giant=row.little_giant,
        key_monitored=row.key_monitored,
    )


async def add_seeker(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Insert; None if this person (person key) is already registered."""
    row = await session.execute(
        insert(seekers).values(**values).on_conflict_do_nothing().returning(seekers.c.id)
    )
    found = row.first()
    return found.id if found else None


async def seeker_id_by_person_key(session: AsyncSession, person_key: str) -> uuid.UUID | None:
    return await session.scalar(select(seekers.c.id).where(seekers.c.person_key == person_key))


async def get_seeker_row(session: AsyncSession, seeker_id: uuid.UUID) -> Any | None:
    return (await session.execute(select(seekers).where(seekers.c.id == seeker_id))).first()


def seeker_from_row(row: Any) -> Seeker:
    return Seeker(
        id=row.id,
        person_key=row.person_key,
        masked_resident_id=row.resident_id_masked,
        gender=row.gender,
        birth_year=row.birth_year,
        education=Education(row.education),
        graduation_date=row.graduation_date,
        key_groups=frozenset(KeyGroup(g) for g in row.key_groups),
    )


async def add_job_post(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(insert(job_posts).values(**values))


async def get_job_post(
    session: AsyncSession, post_id: uuid.UUID, *, lock: bool = False
) -> JobPost | None:
    query = select(job_posts).where(job_posts.c.id == post_id)
    if lock:  # serialises concurrent hires into one post, so headcount holds
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None:
        return None
    return JobPost(
        id=row.id,
        enterprise_uscc=row.enterprise_uscc,
        title=row.title,
        occupation_code=row.occupation_code,
        city_code=row.city_code,
        district_code=row.district_code,
        kind=JobKind(row.kind),
        status=PostStatus(row.status),
        headcount=row.headcount,
        hired=row.hired,
    )


async def add_hire(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert; False if this seeker was already hired into this post."""
    row = await session.execute(
        insert(hires).values(**values).on_conflict_do_nothing().returning(hires.c.id)
    )
    return row.first() is not None


async def hire_exists(session: AsyncSession, seeker_id: uuid.UUID, post_id: uuid.UUID) -> bool:
    query = select(hires.c.id).where(hires.c.seeker_id == seeker_id, hires.c.job_post_id == post_id)
    return await session.scalar(query) is not None


async def count_hire_into_post(session: AsyncSession, post: JobPost) -> None:
    hired = post.hired + 1
    values: dict[str, Any] = {"hired": hired}
    if hired >= post.headcount:
        values["status"] = PostStatus.FILLED.value
    await session.execute(update(job_posts).where(job_posts.c.id == post.id).values(**values))


async def get_hire_row(session: AsyncSession, hire_id: uuid.UUID) -> Any | None:
    return (await session.execute(select(hires).where(hires.c.id == hire_id))).first()
