"""The hire's fast path: three statements between BEGIN and COMMIT, on the driver connection.

``POST /v1/hires`` used to send a dozen statements (the context read, the person's lock, the
full-time check, the 社保 feed, the hire and its count, the audit chain's lock, head and insert,
the outbox insert, NOTIFY). Here:

1. :func:`read_context` — the enterprise, the seeker, the post and whether this seeker is
   already hired into it, and (full-time posts) the person's lock (``facts.lock_subject``);
2. :func:`read_decision` — after that lock: the person's active full-time hires elsewhere, their
   社保 enrolments, and the audit chain claimed for the transaction (``audit.claim_from``);
3. :func:`write_hire` — ONE statement: the hire, its count into the post (the post's row lock is
   held from here to COMMIT only), its audit entry (chained by the kit) and its ``HireRecorded``
   outbox row with the relays' wake-up; the entry and the event only if the hire was counted,
   the event only if the post is the one it was built from (same version, bar the fill).

What a guard turns away is done the general way by the caller (an event published on the unit of
work), so correctness never rests on a guess.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from job_matching.adapters.repository import enterprise_from_row, post_from_row
from job_matching.domain.model import Enterprise, JobPost
from suxin_common import facts
from suxin_common.db import OutboxRows, driver_connection
from suxin_common.facts import Fact
from suxin_common.security import audit

_ENTERPRISE = (
    "uscc",
    "name",
    "city_code",
    "district_code",
    "industry_code",
    "size",
    "specialized_sme",
    "little_giant",
    "key_monitored",
)
_SEEKER = (
    "id",
    "person_key",
    "resident_id_masked",
    "account_subject",
    "gender",
    "birth_year",
    "birth_date",
    "education",
    "graduation_date",
    "key_groups",
    "skill_level",
    "professional_title",
    "previously_unemployed",
)
_POST = (
    "id",
    "enterprise_uscc",
    "title",
    "occupation_code",
    "city_code",
    "district_code",
    "kind",
    "status",
    "headcount",
    "hired",
    "version",
    "min_education",
    "wage_min_fen",
    "wage_max_fen",
    "specialized_zone",
)
_PARTS = (("e", _ENTERPRISE), ("s", _SEEKER), ("p", _POST))

_CONTEXT = f"""
SELECT {", ".join(f"{t}.{c} AS {t}_{c}" for t, cols in _PARTS for c in cols)},
       EXISTS (SELECT 1 FROM hires h WHERE h.seeker_id = $2 AND h.job_post_id = $3) AS hire_exists,
       CASE WHEN p.kind = 'full_time' AND s.person_key IS NOT NULL
            THEN (SELECT true FROM {facts.subject_lock_sql("s.person_key")}) END AS locked
FROM (SELECT 1) AS one
LEFT JOIN enterprises e ON e.uscc = $1
LEFT JOIN seekers s ON s.id = $2
LEFT JOIN job_posts p ON p.id = $3
"""


@dataclass(frozen=True)
class Context:
    enterprise: Enterprise | None
    seeker_row: Any | None
    post: JobPost | None
    hire_exists: bool
    person_locked: bool


async def read_context(uow: Any, uscc: str, seeker_id: uuid.UUID, post_id: uuid.UUID) -> Context:
    """Statement 1 (see the module docstring)."""
    driver = await driver_connection(uow)
    row = await driver.fetchrow(_CONTEXT, uscc, seeker_id, post_id)
    parts = {t: SimpleNamespace(**{c: row[f"{t}_{c}"] for c in cols}) for t, cols in _PARTS}
    return Context(
        enterprise=enterprise_from_row(parts["e"]) if parts["e"].uscc is not None else None,
        seeker_row=parts["s"] if parts["s"].id is not None else None,
        post=post_from_row(parts["p"]) if parts["p"].id is not None else None,
        hire_exists=bool(row["hire_exists"]),
        person_locked=bool(row["locked"]),
    )


_FACT_COLUMNS = (
    "fact_key",
    "version",
    "kind",
    "source",
    "as_of",
    "person_key",
    "enterprise_uscc",
    "valid_from",
    "valid_until",
    "revoked",
    "evidence_ref",
    "value",
)

_DECISION = f"""
SELECT audit_claim.claimed, audit_claim.head, act.active,
       {", ".join(f"f.{c} AS f_{c}" for c in _FACT_COLUMNS)}
FROM {audit.claim_from(1)}
CROSS JOIN (
  SELECT coalesce(array_agg(h.enterprise_uscc), '{{}}') AS active FROM hires h
  WHERE $5 AND h.seeker_id = $2 AND h.end_date IS NULL AND h.denied_at IS NULL
    AND h.enterprise_uscc <> $4 AND h.snapshot ->> 'job_kind' = 'full_time'
) AS act
LEFT JOIN LATERAL (
  SELECT * FROM verified_facts
  WHERE person_key = $3 AND kind = 'social_insurance_enrolment'
  ORDER BY as_of, fact_key
) AS f ON true
"""


@dataclass(frozen=True)
class Decision:
    active_elsewhere: list[str]  # enterprises of the person's active full-time hires elsewhere
    enrolments: list[Fact]  # the person's 社保 enrolments, oldest first
    chain: audit.ChainHead


async def read_decision(
    uow: Any,
    *,
    seeker_id: uuid.UUID,
    person_key: str,
    uscc: str,
    full_time: bool,
) -> Decision:
    """Statement 2 (see the module docstring): run after the person's lock, so it reads what
    committed before the lock was granted."""
    driver = await driver_connection(uow)
    rows = await driver.fetch(_DECISION, audit.CHAINS, seeker_id, person_key, uscc, full_time)
    first = rows[0]
    chain = audit.claimed(uow, first["claimed"], first["head"])
    enrolments = [
        facts.from_row(SimpleNamespace(**{c: r[f"f_{c}"] for c in _FACT_COLUMNS}))
        for r in rows
        if r["f_fact_key"] is not None
    ]
    return Decision(list(first["active"]), enrolments, chain)


HIRE_COLUMNS = (
    ("id", "uuid"),
    ("enterprise_uscc", "text"),
    ("seeker_id", "uuid"),
    ("job_post_id", "uuid"),
    ("start_date", "date"),
    ("contract_type", "text"),
    ("contract_months", "integer"),
    ("monthly_wage_fen", "bigint"),
    ("application_id", "uuid"),
    ("snapshot", "text"),  # JSON text, cast to jsonb
)
_RETURNED_HIRE = (
    "id",
    "enterprise_uscc",
    "seeker_id",
    "job_post_id",
    "start_date",
    "contract_type",
    "contract_months",
    "monthly_wage_fen",
    "version",
    "recorded_at",
    "application_id",
    "snapshot",
    "end_date",
    "end_reason",
    "ended_at",
    "confirmed_by",
    "confirmed_at",
    "confirmation_ref",
    "denied_at",
)
_N_HIRE = len(HIRE_COLUMNS)
_POST_PARAM = _N_HIRE + 1  # the post's version as read
_FIRST_AUDIT = _N_HIRE + 2
_FIRST_OUTBOX = _FIRST_AUDIT + len(audit.COLUMNS)

_WRITE = f"""
WITH new_hire AS (
  INSERT INTO hires ({", ".join(n for n, _ in HIRE_COLUMNS)})
  VALUES ({
    ", ".join(
        f"${i + 1}::{t}" + ("::jsonb" if n == "snapshot" else "")
        for i, (n, t) in enumerate(HIRE_COLUMNS)
    )
})
  ON CONFLICT DO NOTHING
  RETURNING *
), counted AS (
  UPDATE job_posts SET
    hired = hired + 1,
    status = CASE WHEN hired + 1 >= headcount THEN 'filled' ELSE status END,
    version = CASE WHEN hired + 1 >= headcount THEN version + 1 ELSE version END
  WHERE id = $4 AND status = 'open' AND hired < headcount AND EXISTS (SELECT 1 FROM new_hire)
  RETURNING {", ".join(_POST)}
), aud AS (
  {audit.insert_sql(_FIRST_AUDIT, where="EXISTS (SELECT 1 FROM counted)")}
), ob AS (
  {
    OutboxRows.insert_sql(
        _FIRST_OUTBOX,
        where=f"EXISTS (SELECT 1 FROM counted c WHERE c.version"
        f" - CASE WHEN c.status = 'filled' THEN 1 ELSE 0 END = ${_POST_PARAM})",
    )
}
)
SELECT {", ".join(f"h.{c} AS h_{c}" for c in _RETURNED_HIRE)},
       {", ".join(f"c.{c} AS p_{c}" for c in _POST)},
       (SELECT count(*) FROM aud) AS audited,
       (SELECT count(*) FROM ob) AS published,
       {OutboxRows.notify_sql("ob")} AS woken
FROM (SELECT 1) AS one
LEFT JOIN new_hire h ON true
LEFT JOIN counted c ON true
"""


class HireRow(SimpleNamespace):
    """The new ``hires`` row: attributes, and ``_mapping`` as a SQLAlchemy Row has."""

    @property
    def _mapping(self) -> dict[str, Any]:
        return vars(self)


@dataclass(frozen=True)
class Written:
    hire: HireRow | None  # None: this seeker was already hired into this post
    post: JobPost | None  # the post as counted; None: no longer open, or full
    audited: bool  # the audit entry went in (the caller tells the kit: audit.advanced)
    published: bool  # the event went in (else the caller publishes it on the unit of work)


async def write_hire(
    uow: Any,
    values: dict[str, Any],
    *,
    post_version: int,
    audit_rows: audit.AuditRows,
    events: OutboxRows,
) -> Written:
    """Statement 3 (see the module docstring). ``values`` are the hire's columns
    (:data:`HIRE_COLUMNS`, ``snapshot`` as JSON text)."""
    driver = await driver_connection(uow)
    row = await driver.fetchrow(
        _WRITE,
        *(values[n] for n, _ in HIRE_COLUMNS),
        post_version,
        *audit_rows.params(),
        *events.params(),
    )
    if row["h_id"] is None:
        return Written(None, None, False, False)
    hire = HireRow(**{c: row[f"h_{c}"] for c in _RETURNED_HIRE})
    post = None
    if row["p_id"] is not None:
        post = post_from_row(SimpleNamespace(**{c: row[f"p_{c}"] for c in _POST}))
    audited = row["audited"] == len(audit_rows.entries)
    if audited:
        audit.advanced(uow, audit_rows)
    return Written(hire, post, audited, row["published"] == len(events.rows))
