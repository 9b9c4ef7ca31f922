"""Reads of one person's own records ("我的"), by their person key only."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.tables import applications, enterprises, hires, job_posts, seekers

_PROFILE_COLUMNS = (
    seekers.c.id,
    seekers.c.resident_id_masked,
    seekers.c.gender,
    seekers.c.birth_year,
    seekers.c.education,
    seekers.c.graduation_date,
    seekers.c.key_groups,
    seekers.c.skills,
    seekers.c.desired_occupations,
    seekers.c.desired_regions,
    seekers.c.desired_wage_fen,
    seekers.c.skill_level,
    seekers.c.professional_title,
    seekers.c.open_to_offers,
    seekers.c.created_at,
)


async def profile_of(session: AsyncSession, person_key: str) -> dict | None:
    found = (
        await session.execute(
            sa.select(*_PROFILE_COLUMNS).where(seekers.c.person_key == person_key)
        )
    ).first()
    return dict(found._mapping) if found else None


def _of_person(person_key: str):
    return sa.select(seekers.c.id).where(seekers.c.person_key == person_key).scalar_subquery()


async def applications_of(
    session: AsyncSession, person_key: str, application_id: uuid.UUID | None = None
) -> list[dict]:
    """The person's applications with the post and employer, newest first."""
    query = (
        sa.select(
            applications.c.id,
            applications.c.job_post_id,
            job_posts.c.title.label("job_title"),
            enterprises.c.name.label("enterprise_name"),
            applications.c.status,
            applications.c.note,
            applications.c.submitted_at,
            applications.c.updated_at,
        )
        .join(job_posts, job_posts.c.id == applications.c.job_post_id)
        .join(enterprises, enterprises.c.uscc == applications.c.enterprise_uscc)
        .where(applications.c.seeker_id == _of_person(person_key))
        .order_by(applications.c.submitted_at.desc(), applications.c.id)
    )
    if application_id is not None:
        query = query.where(applications.c.id == application_id)
    return [dict(r._mapping) for r in await session.execute(query)]


async def hires_of(session: AsyncSession, person_key: str) -> list[dict]:
    """The person's employment history here (录用与离职), newest start first."""
    query = (
        sa.select(
            hires.c.id,
            hires.c.enterprise_uscc,
            enterprises.c.name.label("enterprise_name"),
            hires.c.job_post_id,
            job_posts.c.title.label("job_title"),
            hires.c.start_date,
            hires.c.contract_type,
            hires.c.contract_months,
            hires.c.monthly_wage_fen,
            hires.c.confirmed_by,
            hires.c.confirmed_at,
            hires.c.denied_at,
            hires.c.end_date,
            hires.c.end_reason,
        )
        .join(job_posts, job_posts.c.id == hires.c.job_post_id)
        .join(enterprises, enterprises.c.uscc == hires.c.enterprise_uscc)
        .where(hires.c.seeker_id == _of_person(person_key))
        .order_by(hires.c.start_date.desc(), hires.c.id)
    )
    return [dict(r._mapping) for r in await session.execute(query)]
