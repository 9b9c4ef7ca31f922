"""Current facts and their version history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from data_exchange.adapters.tables import fact_versions, facts
from data_exchange.domain.facts import CurrentFact

_CURRENT = sa.select(facts.c.fact_key, facts.c.version, facts.c.value_hash, facts.c.revoked)


async def current(session: AsyncSession, keys: Sequence[str]) -> dict[str, CurrentFact]:
    """The current version of each of ``keys`` that exists, locked for this transaction so
    that two writers of the same fact cannot both take the next version."""
    if not keys:
        return {}
    rows = await session.execute(
        _CURRENT.where(
            facts.c.fact_key == sa.any_(sa.literal(list(keys), sa.ARRAY(sa.Text)))
        ).with_for_update()
    )
    return {r.fact_key: CurrentFact(r.fact_key, r.version, r.value_hash, r.revoked) for r in rows}


_UPSERT = pg_insert(facts)
_UPSERT = _UPSERT.on_conflict_do_update(
    index_elements=[facts.c.fact_key],
    set_={
        c.name: _UPSERT.excluded[c.name]
        for c in facts.columns
        if c.name not in ("fact_key", "kind", "subject")
    },
)


async def save(
    session: AsyncSession, fact_rows: Iterable[dict[str, Any]], version_rows: Iterable[dict]
) -> None:
    fact_rows, version_rows = list(fact_rows), list(version_rows)
    if fact_rows:
        await session.execute(_UPSERT, fact_rows)
        await session.execute(sa.insert(fact_versions), version_rows)


async def facts_of(
    session: AsyncSession, *, person_key: str | None = None, uscc: str | None = None
) -> list[dict[str, Any]]:
    query = sa.select(facts).order_by(facts.c.fact_key)
    if person_key is not None:
        query = query.where(facts.c.person_key == person_key)
    if uscc is not None:
        query = query.where(facts.c.uscc == uscc)
    return [dict(r._mapping) for r in await session.execute(query.limit(1000))]
