"""Reads and writes of job-matching rows, as domain objects. The session is passed in."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.tables import (
    applications,
    enterprises,
    hires,
    job_posts,
    seekers,
    services_delivered,
)
from job_matching.domain.model import (
    ContractType,
    Education,
    Enterprise,
    EnterpriseSize,
    Hire,
    HireConfirmation,
    JobKind,
    JobPost,
    KeyGroup,
    PostStatus,
    ProfessionalTitle,
    Seeker,
    SeparationReason,
    SkillLevel,
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
    return enterprise_from_row(row)


def enterprise_from_row(row: Any) -> Enterprise:
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


async def seeker_row_by_person_key(session: AsyncSession, person_key: str) -> Any | None:
    return (
        await session.execute(select(seekers).where(seekers.c.person_key == person_key))
    ).first()


async def get_seeker_row(
    session: AsyncSession, seeker_id: uuid.UUID, *, lock: bool = False
) -> Any | None:
    query = select(seekers).where(seekers.c.id == seeker_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


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
        skill_level=SkillLevel(row.skill_level) if row.skill_level else None,
        professional_title=(
            ProfessionalTitle(row.professional_title) if row.professional_title else None
        ),
        previously_unemployed=row.previously_unemployed,
        birth_date=row.birth_date,
    )


async def update_seeker(
    session: AsyncSession, seeker_id: uuid.UUID, values: dict[str, Any]
) -> None:
    await session.execute(
        update(seekers)
        .where(seekers.c.id == seeker_id)
        .values(**values, version=seekers.c.version + 1)
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
    return post_from_row(row)


async def get_job_post_row(session: AsyncSession, post_id: uuid.UUID) -> Any | None:
    return (await session.execute(select(job_posts).where(job_posts.c.id == post_id))).first()


async def post_district(session: AsyncSession, post_id: uuid.UUID) -> str | None:
    """The district of a job post: the HRSS district scope of its applications and hires."""
    return await session.scalar(select(job_posts.c.district_code).where(job_posts.c.id == post_id))


def post_from_row(row: Any) -> JobPost:
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
        version=row.version,
        min_education=Education(row.min_education) if row.min_education else None,
        wage_min_fen=row.wage_min_fen,
        wage_max_fen=row.wage_max_fen,
        specialized_zone=row.specialized_zone,
    )


async def set_post_status(
    session: AsyncSession, post: JobPost, status: PostStatus, **values: Any
) -> JobPost:
    """Move a post to `status`, bumping its version; returns the post as it now is."""
    await session.execute(
        update(job_posts)
        .where(job_posts.c.id == post.id)
        .values(status=status.value, version=post.version + 1, **values)
    )
    return replace(post, status=status, version=post.version + 1)


async def hire_exists(session: AsyncSession, seeker_id: uuid.UUID, post_id: uuid.UUID) -> bool:
    query = select(hires.c.id).where(hires.c.seeker_id == seeker_id, hires.c.job_post_id == post_id)
    return await session.scalar(query) is not None


def hire_from_row(row: Any) -> Hire:
    """The domain hire from a ``hires`` row (or a row read back from a combined statement)."""
    m = row._mapping
    return Hire(
        id=m["id"],
        enterprise_uscc=m["enterprise_uscc"],
        seeker_id=m["seeker_id"],
        job_post_id=m["job_post_id"],
        start_date=m["start_date"],
        contract_type=ContractType(m["contract_type"]),
        contract_months=m["contract_months"],
        monthly_wage_fen=m["monthly_wage_fen"],
        recorded_at=m["recorded_at"],
        application_id=m["application_id"],
        end_date=m["end_date"],
        end_reason=SeparationReason(m["end_reason"]) if m["end_reason"] else None,
        confirmed_by=HireConfirmation(m["confirmed_by"]) if m["confirmed_by"] else None,
        confirmed_at=m["confirmed_at"],
        denied_at=m["denied_at"],
    )


async def get_hire(session: AsyncSession, hire_id: uuid.UUID) -> Hire | None:
    row = await get_hire_row(session, hire_id)
    return hire_from_row(row) if row is not None else None


async def get_hire_row(
    session: AsyncSession, hire_id: uuid.UUID, *, lock: bool = False
) -> Any | None:
    query = select(hires).where(hires.c.id == hire_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def end_hire(session: AsyncSession, hire_id: uuid.UUID, values: dict[str, Any]) -> None:
    await session.execute(
        update(hires).where(hires.c.id == hire_id).values(**values, version=hires.c.version + 1)
    )


async def has_active_hire(session: AsyncSession, seeker_id: uuid.UUID) -> bool:
    query = select(hires.c.id).where(hires.c.seeker_id == seeker_id, hires.c.end_date.is_(None))
    return await session.scalar(query.limit(1)) is not None


async def set_seeker_match_keys(
    session: AsyncSession, seeker_id: uuid.UUID, keys: list[str]
) -> None:
    await session.execute(update(seekers).where(seekers.c.id == seeker_id).values(match_keys=keys))


# --- applications -------------------------------------------------------------------------


async def add_application(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert; False if this person already has a live application to this post."""
    row = await session.execute(
        insert(applications).values(**values).on_conflict_do_nothing().returning(applications.c.id)
    )
    return row.first() is not None


async def get_application_row(
    session: AsyncSession, application_id: uuid.UUID, *, lock: bool = False
) -> Any | None:
    query = select(applications).where(applications.c.id == application_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def set_application_status(
    session: AsyncSession, application_id: uuid.UUID, status: str, note: str | None = None
) -> None:
    values: dict[str, Any] = {
        "status": status,
        "version": applications.c.version + 1,
        "updated_at": func.now(),
    }
    if note:
        values["note"] = note
    await session.execute(
        update(applications).where(applications.c.id == application_id).values(**values)
    )


async def list_applications(
    session: AsyncSession,
    *,
    limit: int,
    job_post_id: uuid.UUID | None = None,
    seeker_id: uuid.UUID | None = None,
    status: str | None = None,
    after: tuple[Any, uuid.UUID] | None = None,
) -> list[Any]:
    query = select(applications)
    if job_post_id is not None:
        query = query.where(applications.c.job_post_id == job_post_id)
    if seeker_id is not None:
        query = query.where(applications.c.seeker_id == seeker_id)
    if status is not None:
        query = query.where(applications.c.status == status)
    if after is not None:
        query = query.where(tuple_(applications.c.submitted_at, applications.c.id) > tuple_(*after))
    query = query.order_by(applications.c.submitted_at, applications.c.id).limit(limit)
    return list((await session.execute(query)).all())


# --- services delivered ("131", "1+3") ----------------------------------------------------


async def add_service(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert; False if this post was already recommended to this person in the programme."""
    row = await session.execute(
        insert(services_delivered)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(services_delivered.c.id)
    )
    return row.first() is not None


async def services_of(session: AsyncSession, seeker_id: uuid.UUID) -> list[Any]:
    query = (
        select(services_delivered)
        .where(services_delivered.c.seeker_id == seeker_id)
        .order_by(services_delivered.c.delivered_at, services_delivered.c.id)
    )
    return list((await session.execute(query)).all())
