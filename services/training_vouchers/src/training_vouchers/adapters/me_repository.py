"""Reads of one person's own records ("我的"), by their person key only."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from training_vouchers.adapters.tables import subsidy_cases, vouchers

_CASE_COLUMNS = (
    subsidy_cases.c.id,
    subsidy_cases.c.rule_family,
    subsidy_cases.c.subject_key,
    subsidy_cases.c.enterprise_uscc,
    subsidy_cases.c.rule_id,
    subsidy_cases.c.rule_version,
    subsidy_cases.c.delivery_mode,
    subsidy_cases.c.amount_fen,
    subsidy_cases.c.status,
    subsidy_cases.c.opened_at,
    subsidy_cases.c.review_deadline,
    subsidy_cases.c.decision_reason,
    subsidy_cases.c.decided_at,
    subsidy_cases.c.paid_at,
    subsidy_cases.c.waiting_for,
)
_VOUCHER_COLUMNS = tuple(c for c in vouchers.c if c.name != "resident_id_ciphertext")


async def cases_of(
    session: AsyncSession, person_key: str, *, limit: int, after: tuple[Any, Any] | None = None
) -> list[dict]:
    """The subsidy cases that concern the person, newest first (keyset on opened_at, id)."""
    query = sa.select(*_CASE_COLUMNS).where(subsidy_cases.c.person_key == person_key)
    if after is not None:
        query = query.where(sa.tuple_(subsidy_cases.c.opened_at, subsidy_cases.c.id) < after)
    query = query.order_by(subsidy_cases.c.opened_at.desc(), subsidy_cases.c.id.desc())
    rows = await session.execute(query.limit(limit))
    return [dict(r._mapping) for r in rows]


async def case_of(session: AsyncSession, person_key: str, case_id: uuid.UUID) -> dict | None:
    row = await session.execute(
        sa.select(*_CASE_COLUMNS).where(
            subsidy_cases.c.id == case_id, subsidy_cases.c.person_key == person_key
        )
    )
    found = row.first()
    return dict(found._mapping) if found else None


async def vouchers_of(session: AsyncSession, person_key: str) -> list[dict]:
    rows = await session.execute(
        sa.select(*_VOUCHER_COLUMNS)
        .where(vouchers.c.person_key == person_key)
        .order_by(vouchers.c.issued_at.desc(), vouchers.c.id)
    )
    return [dict(r._mapping) for r in rows]


async def voucher_of(session: AsyncSession, person_key: str, voucher_id: uuid.UUID) -> dict | None:
    row = await session.execute(
        sa.select(*_VOUCHER_COLUMNS).where(
            vouchers.c.id == voucher_id, vouchers.c.person_key == person_key
        )
    )
    found = row.first()
    return dict(found._mapping) if found else None
