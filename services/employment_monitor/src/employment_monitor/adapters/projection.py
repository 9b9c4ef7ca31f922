"""Set-based projection of events into the read models.

An event becomes one or more *facts*: a row for one read-model table (contracts.py decides
which). Facts are applied in batches — one ``INSERT ... SELECT FROM unnest(...) ON CONFLICT``
statement per kind of fact, whatever the batch size — by both the live consumer (a batch of one,
inside the inbox transaction) and the replay (thousands at a time). One code path, so a replay
gives exactly the rows the live projection gave.

Why the result does not depend on delivery order or repeats:

- ``insert`` facts are immutable (a talent flow, an application): the first copy wins and later
  copies change nothing;
- ``update`` facts with a ``newer`` column (a hire's version, a claim's version) replace the row
  only when they are at least as new as what it holds;
- ``update`` facts without one fill in *their own* columns of a row that several events build
  (a subsidy case is opened, decided, paid) and never blank a column another event set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

_DIALECT = postgresql.dialect()


@dataclass(frozen=True, eq=False)
class Upsert:
    """How one kind of fact lands in its table."""

    table: sa.Table
    columns: tuple[str, ...]
    key: tuple[str, ...]
    mode: Literal["insert", "update"]
    newer: str | None = None
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.columns) - set(self.table.c.keys())
        if unknown or not set(self.key) <= set(self.columns):
            raise ValueError(f"bad fact columns for {self.table.name}: {sorted(unknown)}")
        self._index.update({c: i for i, c in enumerate(self.columns)})

    @cached_property
    def key_positions(self) -> tuple[int, ...]:
        return tuple(self._index[k] for k in self.key)

    @cached_property
    def _key_of(self) -> Callable[[tuple[Any, ...]], Any]:
        """A row's key: its key column's value, or a tuple of them (operator.itemgetter)."""
        return itemgetter(*self.key_positions)

    @cached_property
    def array_columns(self) -> frozenset[str]:
        return frozenset(
            c for c in self.columns if isinstance(self.table.c[c].type, postgresql.ARRAY)
        )

    @cached_property
    def sql(self) -> str:
        t = self.table.name
        cols = ", ".join(self.columns)
        params = []
        selects = []
        for i, c in enumerate(self.columns, start=1):
            if c in self.array_columns:
                # unnest cannot take ragged 2-D arrays: each row's array travels as its literal.
                params.append(f"${i}::text[]")
                selects.append(f"u.{c}::text[]")
            else:
                params.append(f"${i}::{self.table.c[c].type.compile(dialect=_DIALECT)}[]")
                selects.append(f"u.{c}")
        sql = (
            f"INSERT INTO {t} ({cols}) SELECT {', '.join(selects)} "
            f"FROM unnest({', '.join(params)}) AS u({cols}) "
            f"ON CONFLICT ({', '.join(self.key)}) "
        )
        if self.mode == "insert":
            return sql + "DO NOTHING"
        updates = ", ".join(
            f"{c} = COALESCE(excluded.{c}, {t}.{c})" for c in self.columns if c not in self.key
        )
        sql += f"DO UPDATE SET {updates}"
        if self.newer:
            sql += f" WHERE {t}.{self.newer} IS NULL OR excluded.{self.newer} >= {t}.{self.newer}"
        return sql

    def reduce(self, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """One row per key, as applying the rows one by one would leave it.

        PostgreSQL refuses to update the same row twice in one statement, so a batch holding two
        facts about one key is folded here with the same rules the SQL applies.
        """
        out: dict[Any, tuple[Any, ...]] = {}
        key_of = self._key_of
        if self.mode == "insert":  # the first copy wins
            for row in rows:
                k = key_of(row)
                if k not in out:
                    out[k] = row
            return list(out.values())
        newer = self._index[self.newer] if self.newer else None
        for row in rows:
            k = key_of(row)
            old = out.get(k)
            if old is None:
                out[k] = row
            elif newer is not None:
                if old[newer] is None or (row[newer] is not None and row[newer] >= old[newer]):
                    out[k] = tuple(n if n is not None else o for n, o in zip(row, old, strict=True))
            else:
                out[k] = tuple(n if n is not None else o for n, o in zip(row, old, strict=True))
        return list(out.values())


Fact = tuple[Upsert, tuple[Any, ...]]


def _array_literal(values: Sequence[str]) -> str:
    return (
        "{"
        + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
        + "}"
    )


async def apply_facts(conn: Any, facts: Iterable[Fact]) -> int:
    """Apply facts on an asyncpg connection (inside the caller's transaction); rows written."""
    grouped: dict[Upsert, list[tuple[Any, ...]]] = {}
    for spec, row in facts:
        grouped.setdefault(spec, []).append(row)
    written = 0
    for spec, rows in grouped.items():
        reduced = spec.reduce(rows)
        columns = [list(col) for col in zip(*reduced, strict=True)]
        for i, name in enumerate(spec.columns):
            if name in spec.array_columns:
                columns[i] = [_array_literal(v) for v in columns[i]]
        status = await conn.execute(spec.sql, *columns)
        written += int(status.rsplit(" ", 1)[-1])
    return written
