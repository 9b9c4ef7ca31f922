"""The HireRecorded fast path: a hire's subsidy cases and their audit entries in ONE statement.

The consumer's hot path used to take 5–8 round trips per hire (contributions, one insert per
case, then per audit entry the chain lock, the chain head and the insert, then the certified
vouchers). Here, once the kit has claimed the audit chain for the transaction
(``audit.claim_chain``, once per consumer batch), a hire takes one:

- the cases are evaluated assuming the person has no contributions at this enterprise, and the
  statement inserts them only if that is so (``NOT EXISTS`` contributions);
- the audit entries (chained by the kit, ``audit.chained``) are inserted only if every case
  was (none ran into ``uq_subsidy_cases_once``);
- it also says whether the person holds a certified voucher without an outcome.

Whenever a guard fails, the statement changed nothing it should not have and says so; the caller
then takes the general (slow) path for that hire. The chain's head is the kit's business: it
holds the chain's lock to COMMIT and moves the head on only when the entries were inserted
(``audit.advanced``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.db import driver_connection
from suxin_common.security import audit
from training_vouchers.domain.model import SubsidyCase

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
_FIRST_CASE_PARAM = 4  # $1 uscc, $2 person key, $3 certified status
_FIRST_AUDIT_PARAM = _FIRST_CASE_PARAM + len(_CASE_COLUMNS)


def _statement() -> str:
    case_params = [
        f"${_FIRST_CASE_PARAM + i}::{typ}[]" for i, (_name, typ) in enumerate(_CASE_COLUMNS)
    ]
    case_select = ", ".join(
        f"c.{name}::jsonb"
        if name in ("inputs", "sources", "waiting_for")
        else "ARRAY(SELECT jsonb_array_elements_text(c.reasons::jsonb))"
        if name == "reasons"
        else f"c.{name}"
        for name, _ in _CASE_COLUMNS
    )
    audit_insert = audit.insert_sql(
        _FIRST_AUDIT_PARAM,
        where=f"(SELECT ok FROM ok) AND (SELECT count(*) FROM ins)"
        f" = cardinality(${_FIRST_CASE_PARAM}::uuid[])",
    )
    return f"""
WITH ok AS (
  SELECT NOT EXISTS (
           SELECT 1 FROM contributions WHERE enterprise_uscc = $1 AND person_key = $2) AS ok
), ins AS (
  INSERT INTO subsidy_cases ({", ".join(name for name, _ in _CASE_COLUMNS)})
  SELECT {case_select}
  FROM unnest({", ".join(case_params)}) AS c({", ".join(name for name, _ in _CASE_COLUMNS)})
  WHERE (SELECT ok FROM ok)
  ON CONFLICT ON CONSTRAINT uq_subsidy_cases_once DO NOTHING
  RETURNING id
), aud AS (
  {audit_insert}
)
SELECT (SELECT ok FROM ok),
       ARRAY(SELECT id::text FROM ins),
       (SELECT count(*) FROM aud),
       EXISTS (SELECT 1 FROM vouchers
               WHERE person_key = $2 AND status = $3 AND outcome IS NULL)
"""


STATEMENT = _statement()


@dataclass(frozen=True)
class Outcome:
    ok: bool  # no contributions: the cases were tried
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
    certified_status: str,
    cases: Sequence[SubsidyCase],
    audits: audit.AuditRows,
) -> Outcome:
    """Run the one statement (see the module docstring); the caller hands the audit rows to
    ``audit.advanced`` when ``Outcome.audited``."""
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
    driver = await driver_connection(session)
    ok, inserted, audited, certified = await driver.fetchrow(
        STATEMENT,
        enterprise_uscc,
        person_key,
        certified_status,
        *case_cols,
        *audits.params(),
    )
    n = len(audits.entries)
    return Outcome(
        ok=bool(ok),
        inserted=frozenset(inserted or ()),
        audited=bool(ok) and len(cases) > 0 and audited == n == len(cases),
        certified_voucher=bool(certified),
    )
