"""Current facts and their version history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from data_exchange.adapters.tables import facts
from data_exchange.domain.facts import CurrentFact
from suxin_common.db import driver_connection

_CURRENT = (
    "SELECT fact_key, version, value_hash, revoked FROM facts"
    " WHERE fact_key = ANY($1::text[]) FOR UPDATE"
)


async def current(session: AsyncSession, keys: Sequence[str]) -> dict[str, CurrentFact]:
    """The current version of each of ``keys`` that exists, locked for this transaction so
    that two writers of the same fact cannot both take the next version."""
    if not keys:
        return {}
    rows = await (await driver_connection(session)).fetch(_CURRENT, list(keys))
    return {r[0]: CurrentFact(r[0], r[1], r[2], r[3]) for r in rows}


_FACT_COLUMNS = (
    ("fact_key", "text"),
    ("kind", "text"),
    ("subject", "text"),
    ("person_key", "text"),
    ("uscc", "text"),
    ("department", "text"),
    ("version", "int"),
    ("value_hash", "text"),
    ("detail", "jsonb"),
    ("valid_from", "date"),
    ("valid_until", "date"),
    ("revoked", "bool"),
    ("as_of", "date"),
    ("evidence_ref", "text"),
    ("verified_at", "timestamptz"),
)
_UNNEST = ", ".join(
    f"${i}::{'text' if kind == 'jsonb' else kind}[]" for i, (_, kind) in enumerate(_FACT_COLUMNS, 1)
)
_SELECT = ", ".join(f"{name}::jsonb" if kind == "jsonb" else name for name, kind in _FACT_COLUMNS)
_NAMES = ", ".join(name for name, _ in _FACT_COLUMNS)
_UPDATES = ", ".join(
    f"{name} = excluded.{name}"
    for name, _ in _FACT_COLUMNS
    if name not in ("fact_key", "kind", "subject")
)
_UPSERT = (
    f"INSERT INTO facts ({_NAMES}) SELECT {_SELECT} FROM unnest({_UNNEST}) AS t({_NAMES})"
    f" ON CONFLICT (fact_key) DO UPDATE SET {_UPDATES}"
)
VERSION_COLUMNS = (
    "fact_key",
    "version",
    "change",
    "value_hash",
    "detail",
    "revoked",
    "department",
    "as_of",
    "evidence_ref",
    "event_id",
    "verified_at",
)


async def save(
    session: AsyncSession, fact_rows: Iterable[dict[str, Any]], version_rows: Iterable[dict]
) -> None:
    """Upsert the changed facts (one statement over arrays) and append their versions (COPY).
    ``detail`` is JSON text in both."""
    fact_rows, version_rows = list(fact_rows), list(version_rows)
    if not fact_rows:
        return
    driver = await driver_connection(session)
    await driver.execute(_UPSERT, *([r[name] for r in fact_rows] for name, _ in _FACT_COLUMNS))
    await driver.copy_records_to_table(
        "fact_versions",
        records=[tuple(r[c] for c in VERSION_COLUMNS) for r in version_rows],
        columns=VERSION_COLUMNS,
    )


async def facts_of(
    session: AsyncSession, *, person_key: str | None = None, uscc: str | None = None
) -> list[dict[str, Any]]:
    query = sa.select(facts).order_by(facts.c.fact_key)
    if person_key is not None:
        query = query.where(facts.c.person_key == person_key)
    if uscc is not None:
        query = query.where(facts.c.uscc == uscc)
    return [dict(r._mapping) for r in await session.execute(query.limit(1000))]
