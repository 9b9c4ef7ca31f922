"""Reads and writes of coverages, platforms, order cover, the ledger and claims, as domain
objects. The session is passed in."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from injury_insurance.adapters import orders_sql
from injury_insurance.adapters.tables import (
    claim_history,
    claims,
    contribution_ledger,
    coverages,
    gig_workers,
    order_covers,
    platforms,
)
from injury_insurance.contracts import CoveredLine, GigWorker, Platform
from injury_insurance.domain.claims import Claim, ClaimStage, CoveringOrder, Step
from injury_insurance.domain.model import Coverage, CoverageStatus, Scheme
from injury_insurance.domain.orders import Industry, OrderCover
from suxin_common.db import driver_connection

_COVERAGE_COLUMNS = (
    "id",
    "hire_id",
    "person_key",
    "masked_resident_id",
    "enterprise_uscc",
    "scheme",
    "status",
    "start_date",
    "city_code",
    "district_code",
    "started_at",
    "worker_id",
    "end_date",
    "ended_at",
)
# One statement, prepared once per connection by asyncpg: the per-hire path (HireRecorded).
_ADD_COVERAGE = (
    f"INSERT INTO coverages ({', '.join(_COVERAGE_COLUMNS)}) "
    f"VALUES ({', '.join(f'${i}' for i in range(1, len(_COVERAGE_COLUMNS) + 1))}) "
    "ON CONFLICT (hire_id) DO NOTHING RETURNING id"
)


async def add_coverage(session: AsyncSession, coverage: Coverage) -> bool:
    """Insert; False if this hire already started a cover (the natural key backs up the inbox)."""
    driver = await driver_connection(session)
    c = coverage
    inserted = await driver.fetchval(
        _ADD_COVERAGE,
        c.id,
        c.hire_id,
        c.person_key,
        c.masked_resident_id,
        c.enterprise_uscc,
        c.scheme.value,
        c.status.value,
        c.start_date,
        c.city_code,
        c.district_code,
        c.started_at,
        c.worker_id,
        c.end_date,
        c.ended_at,
    )
    return inserted is not None


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
    region: Any = None,
) -> list[Coverage]:
    """Coverages in the order they started, from just after the keyset position ``after``;
    ``region`` is an extra condition (the caller's district scope)."""
    query = sa.select(coverages)
    if region is not None:
        query = query.where(region)
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


async def coverage_for_hire(session: AsyncSession, hire_id: uuid.UUID) -> Coverage | None:
    query = sa.select(coverages).where(coverages.c.hire_id == hire_id).with_for_update()
    row = (await session.execute(query)).first()
    return _coverage(row) if row else None


async def end_coverage(session: AsyncSession, coverage: Coverage) -> None:
    await session.execute(
        sa.update(coverages)
        .where(coverages.c.id == coverage.id)
        .values(
            status=coverage.status.value, end_date=coverage.end_date, ended_at=coverage.ended_at
        )
    )


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
        worker_id=row.worker_id,
        end_date=row.end_date,
        ended_at=row.ended_at,
    )


# --- platforms and workers ------------------------------------------------------------------


async def upsert_platform(session: AsyncSession, p: Platform) -> None:
    """Record a registration; an older version than the one held changes nothing."""
    values = asdict(p)
    stmt = insert(platforms).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[platforms.c.platform_uscc],
            set_={k: stmt.excluded[k] for k in values if k != "platform_uscc"},
            where=platforms.c.version < stmt.excluded.version,
        )
    )


async def get_platform(session: AsyncSession, platform_uscc: str) -> Platform | None:
    row = (
        await session.execute(
            sa.select(platforms).where(platforms.c.platform_uscc == platform_uscc)
        )
    ).first()
    return Platform(**row._mapping) if row else None


async def upsert_gig_worker(session: AsyncSession, w: GigWorker) -> None:
    values = asdict(w)
    stmt = insert(gig_workers).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[gig_workers.c.platform_uscc, gig_workers.c.worker_id],
            set_={
                "masked_resident_id": stmt.excluded.masked_resident_id,
                "city_code": stmt.excluded.city_code,
                "registered_at": stmt.excluded.registered_at,
            },
        )
    )
    # An enrolment made before the registration arrived shows the masked ID from now on.
    await session.execute(
        sa.update(coverages)
        .where(
            coverages.c.enterprise_uscc == w.platform_uscc,
            coverages.c.worker_id == w.worker_id,
            coverages.c.masked_resident_id == "",
        )
        .values(masked_resident_id=w.masked_resident_id)
    )


async def get_gig_worker(
    session: AsyncSession, platform_uscc: str, worker_id: str
) -> GigWorker | None:
    row = (
        await session.execute(
            sa.select(gig_workers).where(
                gig_workers.c.platform_uscc == platform_uscc,
                gig_workers.c.worker_id == worker_id,
            )
        )
    ).first()
    return GigWorker(**row._mapping) if row else None


# --- order cover ----------------------------------------------------------------------------


async def cover_orders(
    session: AsyncSession,
    *,
    chunk_id: uuid.UUID,
    platform_uscc: str,
    covers: list[OrderCover],
) -> list[CoveredLine]:
    """Write a chunk's cover and book its contributions, set-based; the lines newly covered.

    Orders already held (a redelivered chunk) neither cover again nor owe again.
    """
    if not covers:
        return []
    driver = await driver_connection(session)
    rows = await driver.fetch(
        orders_sql.COVER_ORDERS,
        platform_uscc,
        chunk_id,
        [c.order_id for c in covers],
        [c.worker_id for c in covers],
        [c.person_key for c in covers],
        [c.industry.value for c in covers],
        [c.city_code for c in covers],
        [c.accepted_at for c in covers],
        [c.ended_at for c in covers],
        [c.end_status.value if c.end_status else None for c in covers],
        [c.contribution_fen for c in covers],
        [c.rate_version for c in covers],
        [c.month for c in covers],
    )
    return [
        CoveredLine(Industry(r["industry"]), r["city_code"], r["month"], r["orders"], r["fen"])
        for r in rows
    ]


async def enrol_workers(
    session: AsyncSession, *, platform_uscc: str, covers: list[OrderCover], now: datetime
) -> list[Coverage]:
    """Enrol the chunk's workers not enrolled with this platform yet; the new enrolments."""
    if not covers:
        return []
    driver = await driver_connection(session)
    rows = await driver.fetch(
        orders_sql.ENROL_WORKERS,
        platform_uscc,
        [c.worker_id for c in covers],
        [c.person_key for c in covers],
        [c.city_code for c in covers],
        [c.accepted_at for c in covers],
        now,
    )
    return [_coverage(_Row(r)) for r in rows]


class _Row:
    """Attribute access over an asyncpg record, to share _coverage with SQLAlchemy rows."""

    def __init__(self, record: Any) -> None:
        self._record = record

    def __getattr__(self, name: str) -> Any:
        return self._record[name]


async def orders_covering(
    session: AsyncSession, *, person_key: str, instant: datetime, max_cover: Any
) -> list[dict[str, Any]]:
    """Candidate orders of a person accepted within the longest window before ``instant``."""
    query = (
        sa.select(order_covers)
        .where(
            order_covers.c.person_key == person_key,
            order_covers.c.accepted_at <= instant,
            order_covers.c.accepted_at >= instant - max_cover,
        )
        .order_by(order_covers.c.accepted_at, order_covers.c.platform_uscc, order_covers.c.order_id)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def ledger(session: AsyncSession, platform_uscc: str, month: str) -> list[dict[str, Any]]:
    query = (
        sa.select(contribution_ledger)
        .where(
            contribution_ledger.c.platform_uscc == platform_uscc,
            contribution_ledger.c.month == month,
        )
        .order_by(contribution_ledger.c.industry)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def recount(session: AsyncSession, platform_uscc: str, month: str) -> dict[str, tuple]:
    """Orders and contributions per industry, recomputed from the cover rows themselves."""
    query = (
        sa.select(
            order_covers.c.industry,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(order_covers.c.contribution_fen), 0),
        )
        .where(order_covers.c.platform_uscc == platform_uscc, order_covers.c.month == month)
        .group_by(order_covers.c.industry)
    )
    return {r[0]: (int(r[1]), int(r[2])) for r in (await session.execute(query)).all()}


# --- claims ---------------------------------------------------------------------------------


def _claim_values(c: Claim) -> dict[str, Any]:
    values = asdict(c)
    values["stage"] = c.stage.value
    values["industry"] = c.industry.value if c.industry else None
    return values


async def add_claim(session: AsyncSession, claim: Claim) -> None:
    await session.execute(sa.insert(claims).values(**_claim_values(claim)))


async def save_claim(session: AsyncSession, claim: Claim, *, previous_version: int) -> bool:
    """Write a changed claim if nobody changed it meanwhile (optimistic concurrency)."""
    values = _claim_values(claim)
    values.pop("id")
    result = await session.execute(
        sa.update(claims)
        .where(claims.c.id == claim.id, claims.c.version == previous_version)
        .values(**values)
    )
    return result.rowcount == 1


async def add_history(session: AsyncSession, claim_id: uuid.UUID, step: Step) -> None:
    await session.execute(
        sa.insert(claim_history).values(
            claim_id=claim_id,
            version=step.version,
            stage=step.stage.value,
            actor=step.actor,
            reason=step.reason,
            amount_fen=step.amount_fen,
            at=step.at,
        )
    )


async def get_claim(session: AsyncSession, claim_id: uuid.UUID) -> Claim | None:
    row = (await session.execute(sa.select(claims).where(claims.c.id == claim_id))).first()
    return _claim(row) if row else None


async def list_claims(
    session: AsyncSession,
    *,
    platform_uscc: str | None,
    person_key: str | None,
    stage: ClaimStage | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    region: Any = None,
) -> list[Claim]:
    """Claims in the order they were reported; ``region`` is an extra condition (the caller's
    district scope)."""
    query = sa.select(claims)
    if region is not None:
        query = query.where(region)
    if platform_uscc is not None:
        query = query.where(claims.c.platform_uscc == platform_uscc)
    if person_key is not None:
        query = query.where(claims.c.person_key == person_key)
    if stage is not None:
        query = query.where(claims.c.stage == stage.value)
    if after is not None:
        query = query.where(sa.tuple_(claims.c.created_at, claims.c.id) > sa.tuple_(*after))
    query = query.order_by(claims.c.created_at, claims.c.id).limit(limit)
    return [_claim(r) for r in (await session.execute(query)).all()]


async def claim_history_of(session: AsyncSession, claim_id: uuid.UUID) -> list[dict[str, Any]]:
    query = (
        sa.select(claim_history)
        .where(claim_history.c.claim_id == claim_id)
        .order_by(claim_history.c.version)
    )
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


def _claim(row: Any) -> Claim:
    values = dict(row._mapping)
    values["stage"] = ClaimStage(values["stage"])
    values["industry"] = Industry(values["industry"]) if values["industry"] else None
    return Claim(**values)


def covering_order(row: dict[str, Any]) -> CoveringOrder:
    return CoveringOrder(
        platform_uscc=row["platform_uscc"],
        order_id=row["order_id"],
        industry=Industry(row["industry"]),
        accepted_at=row["accepted_at"],
        ended_at=row["ended_at"],
    )
