"""Reads and writes of gig-market rows (other than bulk orders), as domain objects.

The session is passed in.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gig_market.adapters.tables import gig_markets, gig_postings, gig_workers, platforms
from gig_market.domain.model import (
    GigWorker,
    Industry,
    PayUnit,
    Platform,
    Posting,
    PostingStatus,
)


async def get_market(session: AsyncSession, market_id: uuid.UUID) -> Any | None:
    return (await session.execute(select(gig_markets).where(gig_markets.c.id == market_id))).first()


def platform_from_row(row: Any) -> Platform:
    return Platform(
        uscc=row.uscc,
        name=row.name,
        client_id=row.client_id,
        pilot=row.pilot,
        industries=frozenset(Industry(i) for i in row.industries),
        city_code=row.city_code,
        version=row.version,
        registered_at=row.registered_at,
    )


async def get_platform(session: AsyncSession, uscc: str, *, lock: bool = False) -> Platform | None:
    query = select(platforms).where(platforms.c.uscc == uscc)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return platform_from_row(row) if row else None


async def add_platform(session: AsyncSession, p: Platform) -> str | None:
    """Insert; None if done, else the unique column already taken (``uscc`` or ``client_id``)."""
    row = await session.execute(
        insert(platforms)
        .values(
            uscc=p.uscc,
            name=p.name,
            client_id=p.client_id,
            pilot=p.pilot,
            industries=sorted(i.value for i in p.industries),
            city_code=p.city_code,
            version=p.version,
            registered_at=p.registered_at,
            updated_at=p.registered_at,
        )
        .on_conflict_do_nothing()
        .returning(platforms.c.uscc)
    )
    if row.first() is not None:
        return None
    if await get_platform(session, p.uscc) is not None:
        return "uscc"
    return "client_id"


async def save_platform(session: AsyncSession, p: Platform, updated_at: Any) -> None:
    await session.execute(
        update(platforms)
        .where(platforms.c.uscc == p.uscc)
        .values(
            name=p.name,
            pilot=p.pilot,
            industries=sorted(i.value for i in p.industries),
            version=p.version,
            updated_at=updated_at,
        )
    )


def worker_from_row(row: Any) -> GigWorker:
    return GigWorker(
        platform_uscc=row.platform_uscc,
        worker_id=row.worker_id,
        person_key=row.person_key,
        masked_resident_id=row.resident_id_masked,
        masked_name=row.name_masked,
        city_code=row.city_code,
        birth_year=row.birth_year,
        registered_at=row.registered_at,
    )


async def add_worker(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert; False if the worker id or the person is already registered with the platform."""
    row = await session.execute(
        insert(gig_workers)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(gig_workers.c.worker_id)
    )
    return row.first() is not None


async def get_worker(session: AsyncSession, platform_uscc: str, worker_id: str) -> GigWorker | None:
    row = (
        await session.execute(
            select(gig_workers).where(
                gig_workers.c.platform_uscc == platform_uscc, gig_workers.c.worker_id == worker_id
            )
        )
    ).first()
    return worker_from_row(row) if row else None


async def worker_by_person(
    session: AsyncSession, platform_uscc: str, person_key: str
) -> GigWorker | None:
    row = (
        await session.execute(
            select(gig_workers).where(
                gig_workers.c.platform_uscc == platform_uscc,
                gig_workers.c.person_key == person_key,
            )
        )
    ).first()
    return worker_from_row(row) if row else None


def posting_from_row(row: Any) -> Posting:
    return Posting(
        id=row.id,
        market_id=row.market_id,
        poster_uscc=row.poster_uscc,
        title=row.title,
        occupation_code=row.occupation_code,
        district_code=row.district_code,
        pay_unit=PayUnit(row.pay_unit),
        pay_fen=row.pay_fen,
        headcount=row.headcount,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        status=PostingStatus(row.status),
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
        daily_start=row.daily_start,
        daily_end=row.daily_end,
        skills=tuple(row.skills or ()),
    )


async def add_posting(session: AsyncSession, p: Posting) -> None:
    await session.execute(
        insert(gig_postings).values(
            id=p.id,
            market_id=p.market_id,
            poster_uscc=p.poster_uscc,
            title=p.title,
            occupation_code=p.occupation_code,
            district_code=p.district_code,
            pay_unit=p.pay_unit.value,
            pay_fen=p.pay_fen,
            headcount=p.headcount,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            status=p.status.value,
            address=p.address,
            latitude=p.latitude,
            longitude=p.longitude,
            daily_start=p.daily_start,
            daily_end=p.daily_end,
            skills=list(p.skills),
        )
    )


async def get_posting(
    session: AsyncSession, posting_id: uuid.UUID, *, lock: bool = False
) -> Posting | None:
    query = select(gig_postings).where(gig_postings.c.id == posting_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return posting_from_row(row) if row else None


async def set_posting_status(
    session: AsyncSession, posting_id: uuid.UUID, status: PostingStatus
) -> None:
    await session.execute(
        update(gig_postings).where(gig_postings.c.id == posting_id).values(status=status.value)
    )
