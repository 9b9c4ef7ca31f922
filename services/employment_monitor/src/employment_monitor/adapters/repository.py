"""Employment-monitor reads and writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from employment_monitor.adapters.tables import hire_facts
from employment_monitor.domain.model import Dimension, HireFact

_COLUMNS = {
    Dimension.CITY: hire_facts.c.city_code,
    Dimension.DISTRICT: hire_facts.c.district_code,
    Dimension.INDUSTRY: hire_facts.c.industry_code,
    Dimension.MONTH: hire_facts.c.month,
}


async def add_hire_fact(session: AsyncSession, fact: HireFact) -> bool:
    """Insert; False if this hire is already counted (the natural key backs up the inbox)."""
    row = await session.execute(
        insert(hire_facts)
        .values({**fact.__dict__, "key_groups": list(fact.key_groups)})
        .on_conflict_do_nothing()
        .returning(hire_facts.c.hire_id)
    )
    return row.first() is not None


async def count_hires(
    session: AsyncSession,
    group_by: Sequence[Dimension],
    *,
    city_code: str | None = None,
    industry_code: str | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
) -> list[dict[str, Any]]:
    columns = [_COLUMNS[d].label(d.value) for d in group_by]
    query = sa.select(*columns, sa.func.count().label("hires")).select_from(hire_facts)
    if city_code:
        query = query.where(hire_facts.c.city_code == city_code)
    if industry_code:
        query = query.where(hire_facts.c.industry_code == industry_code)
    if month_from:
        query = query.where(hire_facts.c.month >= month_from)
    if month_to:
        query = query.where(hire_facts.c.month <= month_to)
    if columns:
        query = query.group_by(*columns).order_by(*columns)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
