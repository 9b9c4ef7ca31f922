"""Reads and writes of gig profiles, gig applications and 零工驿站; distance searches.

Distances are computed in SQL (haversine over plain latitude/longitude columns, narrowed first
by a bounding box on their index), so no GIS extension is needed. The session is passed in.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gig_market.adapters.tables import gig_applications, gig_postings, gig_profiles, gig_stations
from gig_market.domain.gig_work import (
    EARTH_RADIUS_M,
    ApplicationStatus,
    GigApplication,
    GigProfile,
    bounding_box,
)


def distance_sql(lat_col: Any, lon_col: Any, lat: float, lon: float) -> Any:
    """Haversine distance in metres between the row's point and (lat, lon)."""
    f = sa.func
    dlat = f.radians(lat_col - lat) / 2
    dlon = f.radians(lon_col - lon) / 2
    a = f.power(f.sin(dlat), 2) + f.cos(f.radians(lat)) * f.cos(f.radians(lat_col)) * f.power(
        f.sin(dlon), 2
    )
    return 2 * EARTH_RADIUS_M * f.asin(f.least(1.0, f.sqrt(a)))


def within(lat_col: Any, lon_col: Any, lat: float, lon: float, radius_m: float) -> Any:
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_m)
    return sa.and_(
        lat_col.between(min_lat, max_lat),
        lon_col.between(min_lon, max_lon),
        distance_sql(lat_col, lon_col, lat, lon) <= radius_m,
    )


# --- profiles -----------------------------------------------------------------------------


def profile_from_row(row: Any) -> GigProfile:
    return GigProfile(
        id=row.id,
        person_key=row.person_key,
        display_name=row.display_name,
        skills=list(row.skills),
        district_code=row.district_code,
        latitude=row.latitude,
        longitude=row.longitude,
        radius_km=row.radius_km,
        available=row.available,
        updated_at=row.updated_at,
    )


async def save_profile(session: AsyncSession, values: dict[str, Any]) -> GigProfile:
    """Create or replace the person's profile; its id stays the same once given."""
    changes = {k: v for k, v in values.items() if k not in ("person_key", "id")}
    row = (
        await session.execute(
            insert(gig_profiles)
            .values(**values)
            .on_conflict_do_update(index_elements=[gig_profiles.c.person_key], set_=changes)
            .returning(*gig_profiles.c)
        )
    ).one()
    return profile_from_row(row)


async def get_profile(session: AsyncSession, person_key: str) -> GigProfile | None:
    row = (
        await session.execute(select(gig_profiles).where(gig_profiles.c.person_key == person_key))
    ).first()
    return profile_from_row(row) if row else None


async def profile_by_id(session: AsyncSession, profile_id: uuid.UUID) -> GigProfile | None:
    row = (
        await session.execute(select(gig_profiles).where(gig_profiles.c.id == profile_id))
    ).first()
    return profile_from_row(row) if row else None


async def profiles_near(
    session: AsyncSession, lat: float, lon: float, radius_m: float, limit: int
) -> list[tuple[GigProfile, float]]:
    """Available workers within ``radius_m`` whose own travel radius also reaches the point."""
    distance = distance_sql(gig_profiles.c.latitude, gig_profiles.c.longitude, lat, lon)
    query = (
        select(gig_profiles, distance.label("distance_m"))
        .where(gig_profiles.c.available)
        .where(within(gig_profiles.c.latitude, gig_profiles.c.longitude, lat, lon, radius_m))
        .where(distance <= gig_profiles.c.radius_km * 1000)
        .order_by(distance, gig_profiles.c.id)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [(profile_from_row(r), r.distance_m) for r in rows]


# --- postings by distance -----------------------------------------------------------------


async def open_postings_near(
    session: AsyncSession,
    lat: float,
    lon: float,
    radius_m: float,
    today: date,
    limit: int,
    skill: str | None = None,
) -> list[tuple[Any, float]]:
    """Open postings with a place within ``radius_m`` whose work is not over, nearest first."""
    distance = distance_sql(gig_postings.c.latitude, gig_postings.c.longitude, lat, lon)
    query = (
        select(gig_postings, distance.label("distance_m"))
        .where(gig_postings.c.status == "open")
        .where(gig_postings.c.ends_on >= today)
        .where(gig_postings.c.latitude.is_not(None))
        .where(within(gig_postings.c.latitude, gig_postings.c.longitude, lat, lon, radius_m))
        .order_by(distance, gig_postings.c.id)
        .limit(limit)
    )
    if skill:
        query = query.where(gig_postings.c.skills.contains([skill]))
    rows = (await session.execute(query)).all()
    return [(r, r.distance_m) for r in rows]


async def lock_posting(session: AsyncSession, posting_id: uuid.UUID) -> Any | None:
    """The posting row, locked: confirmations of one posting take turns (headcount)."""
    return (
        await session.execute(
            select(gig_postings).where(gig_postings.c.id == posting_id).with_for_update()
        )
    ).first()


# --- applications -------------------------------------------------------------------------


def application_from_row(row: Any) -> GigApplication:
    return GigApplication(
        id=row.id,
        posting_id=row.posting_id,
        person_key=row.person_key,
        profile_id=row.profile_id,
        invited=row.origin == "invited",
        status=ApplicationStatus(row.status),
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def add_application(session: AsyncSession, a: GigApplication) -> bool:
    """False if the person already has an application for the posting."""
    result = await session.execute(
        insert(gig_applications)
        .values(
            id=a.id,
            posting_id=a.posting_id,
            person_key=a.person_key,
            profile_id=a.profile_id,
            origin="invited" if a.invited else "applied",
            status=a.status.value,
            version=a.version,
            created_at=a.created_at,
            updated_at=a.updated_at,
        )
        .on_conflict_do_nothing(constraint="uq_gig_applications_person")
        .returning(gig_applications.c.id)
    )
    return result.first() is not None


async def get_application(
    session: AsyncSession, application_id: uuid.UUID, *, lock: bool = False
) -> GigApplication | None:
    query = select(gig_applications).where(gig_applications.c.id == application_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return application_from_row(row) if row else None


async def application_of(
    session: AsyncSession, posting_id: uuid.UUID, person_key: str
) -> GigApplication | None:
    row = (
        await session.execute(
            select(gig_applications).where(
                gig_applications.c.posting_id == posting_id,
                gig_applications.c.person_key == person_key,
            )
        )
    ).first()
    return application_from_row(row) if row else None


async def save_application(session: AsyncSession, a: GigApplication) -> None:
    await session.execute(
        update(gig_applications)
        .where(gig_applications.c.id == a.id)
        .values(status=a.status.value, version=a.version, updated_at=a.updated_at)
    )


async def count_confirmed(session: AsyncSession, posting_id: uuid.UUID) -> int:
    return (
        await session.execute(
            select(sa.func.count())
            .select_from(gig_applications)
            .where(gig_applications.c.posting_id == posting_id)
            .where(
                gig_applications.c.status.in_(
                    [ApplicationStatus.CONFIRMED.value, ApplicationStatus.COMPLETED.value]
                )
            )
        )
    ).scalar_one()


async def applications_of_person(
    session: AsyncSession, person_key: str, after: uuid.UUID | None, limit: int
) -> list[tuple[GigApplication, Any]]:
    """The person's applications with their postings, by id."""
    query = (
        select(gig_applications, gig_postings.c.title, gig_postings.c.poster_uscc)
        .join(gig_postings, gig_postings.c.id == gig_applications.c.posting_id)
        .where(gig_applications.c.person_key == person_key)
        .order_by(gig_applications.c.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(gig_applications.c.id > after)
    rows = (await session.execute(query)).all()
    return [(application_from_row(r), r) for r in rows]


async def applications_of_posting(
    session: AsyncSession, posting_id: uuid.UUID, after: uuid.UUID | None, limit: int
) -> list[tuple[GigApplication, GigProfile]]:
    """A posting's applications with the workers' profiles, by id."""
    query = (
        select(
            gig_applications,
            gig_profiles.c.display_name,
            gig_profiles.c.skills,
            gig_profiles.c.latitude,
            gig_profiles.c.longitude,
        )
        .join(gig_profiles, gig_profiles.c.id == gig_applications.c.profile_id)
        .where(gig_applications.c.posting_id == posting_id)
        .order_by(gig_applications.c.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(gig_applications.c.id > after)
    return [(application_from_row(r), r) for r in (await session.execute(query)).all()]


# --- 零工驿站 -------------------------------------------------------------------------------


async def add_station(session: AsyncSession, values: dict[str, Any]) -> bool:
    """False if a station of that name exists."""
    result = await session.execute(
        insert(gig_stations)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[gig_stations.c.name])
        .returning(gig_stations.c.id)
    )
    return result.first() is not None


async def get_station(session: AsyncSession, station_id: uuid.UUID) -> Any | None:
    return (
        await session.execute(select(gig_stations).where(gig_stations.c.id == station_id))
    ).first()


async def stations_near(
    session: AsyncSession, lat: float, lon: float, radius_m: float, limit: int
) -> list[tuple[Any, float]]:
    distance = distance_sql(gig_stations.c.latitude, gig_stations.c.longitude, lat, lon)
    query = (
        select(gig_stations, distance.label("distance_m"))
        .where(within(gig_stations.c.latitude, gig_stations.c.longitude, lat, lon, radius_m))
        .order_by(distance, gig_stations.c.id)
        .limit(limit)
    )
    return [(r, r.distance_m) for r in (await session.execute(query)).all()]
