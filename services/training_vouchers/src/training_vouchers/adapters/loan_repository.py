"""Reads and writes of 创业担保贷款 cases. The case is stored as JSON (dates as ISO strings,
amounts in fen) beside the columns that find it. The session is passed in."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from training_vouchers.adapters.tables import startup_loans
from training_vouchers.domain.startup_loan import InterestPeriod, LoanCase, LoanStatus
from training_vouchers.domain.support_facts import StartupLoan

t = startup_loans
_DATES_APP = ("applied_on", "graduation_date")
_DATES_CASE = ("guaranteed_on", "disbursed_on", "due_on", "repaid_on", "defaulted_on")


def _json(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    return value


def to_document(case: LoanCase) -> dict[str, Any]:
    doc = asdict(case)
    doc.pop("id")
    return _json(doc)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def from_document(case_id: uuid.UUID, doc: dict[str, Any]) -> LoanCase:
    app = dict(doc["application"])
    for k in _DATES_APP:
        app[k] = _day(app.get(k))
    app["borrower_groups"] = frozenset(app["borrower_groups"])
    values = dict(doc) | {
        "application": StartupLoan(**app),
        "status": LoanStatus(doc["status"]),
        "reasons": tuple(doc["reasons"]),
        "applied_at": datetime.fromisoformat(doc["applied_at"]),
        "interest": tuple(
            InterestPeriod(
                _day(p["start"]), _day(p["end"]), p["interest_paid_fen"], p["subsidy_fen"],
                tuple(p["reasons"]),
            )
            for p in doc["interest"]
        ),
    }  # fmt: skip
    for k in _DATES_CASE:
        values[k] = _day(doc.get(k))
    return LoanCase(id=case_id, **values)


async def add(
    session: AsyncSession,
    case: LoanCase,
    *,
    person_key: str | None,
    city_code: str | None,
    district_code: str | None,
) -> bool:
    """False if a case for this loan id exists already."""
    row = await session.execute(
        insert(t)
        .values(
            id=case.id,
            loan_id=case.application.loan_id,
            status=case.status.value,
            person_key=person_key,
            enterprise_uscc=case.application.enterprise_uscc,
            city_code=city_code,
            district_code=district_code,
            document=to_document(case),
            version=case.version,
            applied_at=case.applied_at,
        )
        .on_conflict_do_nothing(index_elements=["loan_id"])
        .returning(t.c.id)
    )
    return row.first() is not None


async def save(session: AsyncSession, case: LoanCase) -> bool:
    result = await session.execute(
        sa.update(t)
        .where(t.c.id == case.id, t.c.version == case.version - 1)
        .values(status=case.status.value, document=to_document(case), version=case.version)
    )
    return result.rowcount == 1


async def get(session: AsyncSession, case_id: uuid.UUID, *, for_update: bool = False):
    """(case, district code or city code) or None."""
    stmt = sa.select(t).where(t.c.id == case_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).first()
    if row is None:
        return None
    return from_document(row.id, row.document), row.district_code or row.city_code
