"""Reads and writes of subsidy cases, as domain objects. The session is passed in."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from training_vouchers.adapters.tables import subsidy_cases
from training_vouchers.domain.model import CaseStatus, DeliveryMode, SubsidyCase


async def add_case(session: AsyncSession, case: SubsidyCase) -> bool:
    """Insert; False if this hire already has a case under this rule."""
    row = await session.execute(
        insert(subsidy_cases)
        .values(
            id=case.id,
            hire_id=case.hire_id,
            enterprise_uscc=case.enterprise_uscc,
            person_key=case.person_key,
            rule_id=case.rule_id,
            rule_version=case.rule_version,
            delivery_mode=case.delivery_mode.value,
            amount_fen=case.amount_fen,
            inputs=dict(case.inputs),
            reasons=list(case.reasons),
            status=case.status.value,
            opened_at=case.opened_at,
            review_deadline=case.review_deadline,
            review_deadline_provisional=case.review_deadline_provisional,
        )
        .on_conflict_do_nothing(constraint="uq_subsidy_cases_hire_rule")
        .returning(subsidy_cases.c.id)
    )
    return row.first() is not None


async def get_case(session: AsyncSession, case_id: uuid.UUID) -> SubsidyCase | None:
    row = (
        await session.execute(sa.select(subsidy_cases).where(subsidy_cases.c.id == case_id))
    ).first()
    return _case(row) if row else None


async def list_cases(
    session: AsyncSession,
    *,
    limit: int,
    hire_id: uuid.UUID | None = None,
    enterprise_uscc: str | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
) -> list[SubsidyCase]:
    """Newest first; ``after`` is the (opened_at, id) of the last case of the previous page."""
    t = subsidy_cases
    query = sa.select(t).order_by(t.c.opened_at.desc(), t.c.id.desc()).limit(limit)
    if hire_id is not None:
        query = query.where(t.c.hire_id == hire_id)
    if enterprise_uscc is not None:
        query = query.where(t.c.enterprise_uscc == enterprise_uscc)
    if after is not None:
        query = query.where(sa.tuple_(t.c.opened_at, t.c.id) < sa.tuple_(*after))
    return [_case(row) for row in (await session.execute(query)).all()]


def _case(row: Any) -> SubsidyCase:
    return SubsidyCase(
        id=row.id,
        hire_id=row.hire_id,
        enterprise_uscc=row.enterprise_uscc,
        person_key=row.person_key,
        rule_id=row.rule_id,
        rule_version=row.rule_version,
        delivery_mode=DeliveryMode(row.delivery_mode),
        amount_fen=row.amount_fen,
        inputs=row.inputs,
        reasons=tuple(row.reasons),
        status=CaseStatus(row.status),
        opened_at=row.opened_at,
        review_deadline=row.review_deadline,
        review_deadline_provisional=row.review_deadline_provisional,
    )
