"""Reads of one person's own records ("我的"), by their person key only."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from injury_insurance.adapters.tables import claim_history, claims, coverages, order_covers


def _dicts(result) -> list[dict]:
    return [dict(r._mapping) for r in result]


async def coverages_of(session: AsyncSession, person_key: str) -> list[dict]:
    """The person's covers (工伤保险 by employment, 职业伤害保障 by platform), newest first."""
    result = await session.execute(
        sa.select(coverages)
        .where(coverages.c.person_key == person_key)
        .order_by(coverages.c.started_at.desc(), coverages.c.id)
    )
    return _dicts(result)


async def order_covers_of(
    session: AsyncSession,
    person_key: str,
    *,
    limit: int,
    after: tuple[datetime, str, str] | None = None,
) -> list[dict]:
    """The person's covered orders, newest accepted first (keyset on accepted_at, platform,
    order)."""
    key = sa.tuple_(
        order_covers.c.accepted_at, order_covers.c.platform_uscc, order_covers.c.order_id
    )
    query = sa.select(
        order_covers.c.platform_uscc,
        order_covers.c.order_id,
        order_covers.c.industry,
        order_covers.c.city_code,
        order_covers.c.accepted_at,
        order_covers.c.ended_at,
        order_covers.c.end_status,
    ).where(order_covers.c.person_key == person_key)
    if after is not None:
        query = query.where(key < after)
    query = query.order_by(
        order_covers.c.accepted_at.desc(),
        order_covers.c.platform_uscc.desc(),
        order_covers.c.order_id.desc(),
    )
    return _dicts(await session.execute(query.limit(limit)))


_CLAIM_COLUMNS = (
    claims.c.id,
    claims.c.platform_uscc,
    claims.c.injured_at,
    claims.c.place,
    claims.c.city_code,
    claims.c.order_id,
    claims.c.description,
    claims.c.stage,
    claims.c.reason,
    claims.c.amount_fen,
    claims.c.created_at,
    claims.c.updated_at,
)


async def claims_of(session: AsyncSession, person_key: str) -> list[dict]:
    result = await session.execute(
        sa.select(*_CLAIM_COLUMNS)
        .where(claims.c.person_key == person_key)
        .order_by(claims.c.created_at.desc(), claims.c.id)
    )
    return _dicts(result)


async def claim_of(session: AsyncSession, person_key: str, claim_id: uuid.UUID) -> dict | None:
    found = (
        await session.execute(
            sa.select(*_CLAIM_COLUMNS).where(
                claims.c.id == claim_id, claims.c.person_key == person_key
            )
        )
    ).first()
    return dict(found._mapping) if found else None


async def history_of(session: AsyncSession, claim_id: uuid.UUID) -> list[dict]:
    """The stages a claim reached, oldest first (without who acted: staff names stay inside)."""
    result = await session.execute(
        sa.select(
            claim_history.c.version,
            claim_history.c.stage,
            claim_history.c.reason,
            claim_history.c.amount_fen,
            claim_history.c.at,
        )
        .where(claim_history.c.claim_id == claim_id)
        .order_by(claim_history.c.version)
    )
    return _dicts(result)
