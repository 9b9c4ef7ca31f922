"""The HireRecorded fast path: a hire's subsidy cases and their audit entries in ONE statement.

The consumer's hot path used to take 5–8 round trips per hire (contributions, one insert per
case, then per audit entry the chain lock, the chain head and the insert, then the certified
vouchers). Here, once the audit-chain lock is held in the transaction, a hire takes one:

- the cases are evaluated assuming the person has no contributions at this enterprise, and the
  statement inserts them only if that is so (``NOT EXISTS`` contributions) and the chain head
  is still the one the audit hashes were computed on;
- the audit entries are inserted only if every case was (none ran into ``uq_subsidy_cases_once``);
- it also says whether the person holds a certified voucher without an outcome.

Whenever a guard fails, the statement changed nothing it should not have and says so; the caller
then takes the general (slow) path for that hire. Correctness never rests on a guess: the chain
head is checked in a statement whose snapshot is taken while the chain lock is held.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.security import audit
from training_vouchers.domain.model import SubsidyCase

# The kit's chain lock key (suxin_common.security.audit._CHAIN_LOCK_KEY): appends made here and
# by audit.record must serialise on the same lock.
CHAIN_LOCK_KEY = audit._CHAIN_LOCK_KEY  # noqa: SLF001


@dataclass
class ChainHead:
    """The audit chain's head as this transaction last saw it (the lock is held)."""

    hash: str


# Per root transaction: the advisory lock is transaction-scoped, so the cached head is only
# valid within the transaction that took it.
_heads: weakref.WeakKeyDictionary[Any, ChainHead] = weakref.WeakKeyDictionary()


def _transaction(session: AsyncSession) -> Any:
    return session.sync_session.get_transaction()


async def chain_head(session: AsyncSession) -> ChainHead:
    """Take the chain lock (once per transaction) and return the head as last seen.

    The head read together with the lock may be older than the lock (READ COMMITTED takes the
    statement's snapshot first); the insert's guard re-checks it under the lock.
    """
    txn = _transaction(session)
    head = _heads.get(txn) if txn is not None else None
    if head is not None:
        return head
    row = (await session.execute(_LOCK_AND_HEAD, {"key": CHAIN_LOCK_KEY})).first()
    head = ChainHead(row[1] if row and row[1] else audit.GENESIS_HASH)
    txn = _transaction(session)
    if txn is not None:
        _heads[txn] = head
    return head


def remember_head(session: AsyncSession, hash_: str) -> None:
    txn = _transaction(session)
    if txn is not None:
        _heads.setdefault(txn, ChainHead(hash_)).hash = hash_


def forget_head(session: AsyncSession) -> None:
    """Someone else appended in this transaction (the general path): read the head again."""
    txn = _transaction(session)
    if txn is not None:
        _heads.pop(txn, None)


def _sql_lock_and_head():
    import sqlalchemy as sa

    return sa.text(
        "SELECT pg_advisory_xact_lock(:key), (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)"
    )


_LOCK_AND_HEAD = _sql_lock_and_head()

_CASE_COLUMNS = (
    ("id", "uuid"),
    ("rule_family", "text"),
    ("subject_key", "text"),
    ("occasion", "text"),
    ("trigger", "text"),
    ("hire_id", "uuid"),
    ("enterprise_uscc", "text"),
    ("person_key", "text"),
    ("city_code", "text"),
    ("district_code", "text"),
    ("rule_id", "text"),
    ("rule_version", "text"),
    ("delivery_mode", "text"),
    ("amount_fen", "bigint"),
    ("inputs", "text"),  # JSON text, cast to jsonb
    ("reasons", "text"),  # JSON array text, turned into text[]
    ("status", "text"),
    ("opened_at", "timestamptz"),
    ("review_deadline", "date"),
    ("review_deadline_provisional", "boolean"),
    ("review_started_at", "timestamptz"),
    ("version", "integer"),
    ("sources", "text"),  # JSON text, cast to jsonb
    ("waiting_for", "text"),  # JSON text, cast to jsonb
)
_AUDIT_COLUMNS = (
    ("occurred_at", "timestamptz"),
    ("actor", "text"),
    ("actor_roles", "text"),
    ("client_id", "text"),
    ("action", "text"),
    ("object_type", "text"),
    ("object_id", "text"),
    ("purpose", "text"),
    ("request_id", "text"),
    ("details", "text"),  # JSON text, cast to jsonb
    ("prev_hash", "text"),
    ("hash", "text"),
)


def _statement() -> str:
    n = 4  # $1 uscc, $2 person key, $3 expected head, $4 certified status
    case_params = []
    for _name, typ in _CASE_COLUMNS:
        n += 1
        case_params.append(f"${n}::{typ}[]")
    audit_params = []
    for _name, typ in _AUDIT_COLUMNS:
        n += 1
        audit_params.append(f"${n}::{typ}[]")
    case_select = ", ".join(
        f"c.{name}::jsonb"
        if name in ("inputs", "sources", "waiting_for")
        else "ARRAY(SELECT jsonb_array_elements_text(c.reasons::jsonb))"
        if name == "reasons"
        else f"c.{name}"
        for name, _ in _CASE_COLUMNS
    )
    audit_select = ", ".join(
        "a.details::jsonb" if name == "details" else f"a.{name}" for name, _ in _AUDIT_COLUMNS
    )
    return f"""
WITH ok AS (
  SELECT NOT EXISTS (
           SELECT 1 FROM contributions WHERE enterprise_uscc = $1 AND person_key = $2)
     AND coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '{audit.GENESIS_HASH}')
         = $3 AS ok
), ins AS (
  INSERT INTO subsidy_cases ({", ".join(name for name, _ in _CASE_COLUMNS)})
  SELECT {case_select}
  FROM unnest({", ".join(case_params)}) AS c({", ".join(name for name, _ in _CASE_COLUMNS)})
  WHERE (SELECT ok FROM ok)
  ON CONFLICT ON CONSTRAINT uq_subsidy_cases_once DO NOTHING
  RETURNING id
), aud AS (
  INSERT INTO audit_log ({", ".join(name for name, _ in _AUDIT_COLUMNS)})
  SELECT {audit_select}
  FROM unnest({", ".join(audit_params)}) WITH ORDINALITY
       AS a({", ".join(name for name, _ in _AUDIT_COLUMNS)}, ord)
  WHERE (SELECT ok FROM ok) AND (SELECT count(*) FROM ins) = cardinality(${5}::uuid[])
  ORDER BY a.ord
  RETURNING 1
)
SELECT (SELECT ok FROM ok),
       ARRAY(SELECT id::text FROM ins),
       (SELECT count(*) FROM aud),
       EXISTS (SELECT 1 FROM vouchers
               WHERE person_key = $2 AND status = $4 AND outcome IS NULL)
"""


STATEMENT = _statement()


@dataclass(frozen=True)
class Outcome:
    ok: bool  # no contributions, chain head as expected: the cases were tried
    inserted: frozenset[str]  # ids (text) of the cases inserted
    audited: bool  # every case inserted, and its audit entry with it
    certified_voucher: bool  # the person holds a certified voucher without an outcome


def _json(value: Any) -> str:
    # What SQLAlchemy's JSONB type sends (json.dumps), so the stored values are the same.
    return json.dumps(value)


async def insert_hire_cases(
    session: AsyncSession,
    *,
    enterprise_uscc: str,
    person_key: str,
    expected_head: str,
    certified_status: str,
    cases: Sequence[SubsidyCase],
    audits: Sequence[dict[str, Any]],
) -> Outcome:
    """Run the one statement (see the module docstring)."""
    case_cols: list[list[Any]] = [[] for _ in _CASE_COLUMNS]
    for case in cases:
        for i, (name, _) in enumerate(_CASE_COLUMNS):
            value = getattr(case, name)
            if name in ("inputs", "sources"):
                value = _json(dict(value))
            elif name == "waiting_for":
                value = _json([dict(w) for w in value])
            elif name == "reasons":
                value = _json(list(value))
            elif name in ("status", "delivery_mode"):
                value = value.value
            case_cols[i].append(value)
    audit_cols: list[list[Any]] = [[] for _ in _AUDIT_COLUMNS]
    for entry in audits:
        for i, (name, _) in enumerate(_AUDIT_COLUMNS):
            value = entry[name]
            if name == "details":
                value = _json(value)
            audit_cols[i].append(value)
    conn = await session.connection()
    result = await conn.exec_driver_sql(
        STATEMENT,
        (enterprise_uscc, person_key, expected_head, certified_status, *case_cols, *audit_cols),
    )
    ok, inserted, audited, certified = result.one()
    return Outcome(
        ok=bool(ok),
        inserted=frozenset(inserted or ()),
        audited=bool(ok) and len(cases) > 0 and audited == len(audits) == len(cases),
        certified_voucher=bool(certified),
    )
