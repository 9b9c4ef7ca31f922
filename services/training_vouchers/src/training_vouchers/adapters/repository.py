"""Reads and writes of subsidy cases and of the social-insurance data the rules read, as domain
objects. The session is passed in."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.auth import Principal, district_clause
from suxin_common.db import driver_connection
from training_vouchers.adapters.tables import (
    births,
    contributions,
    employment_ends,
    enterprise_years,
    hire_claims,
    subsidy_cases,
)
from training_vouchers.domain.facts import (
    INSURANCES,
    BirthFacts,
    EnterpriseYear,
    MonthlyContribution,
)
from training_vouchers.domain.model import (
    CaseStatus,
    ContractType,
    DeliveryMode,
    Education,
    EnterpriseSize,
    HireFacts,
    JobKind,
    KeyGroup,
    SubsidyCase,
)

t = subsidy_cases


def _row(case: SubsidyCase) -> dict[str, Any]:
    row = asdict(case)
    row["inputs"] = dict(case.inputs)
    row["reasons"] = list(case.reasons)
    row["status"] = case.status.value
    row["delivery_mode"] = case.delivery_mode.value
    row["sources"] = dict(case.sources)
    row["waiting_for"] = [dict(w) for w in case.waiting_for]
    return row


async def add_case(session: AsyncSession, case: SubsidyCase) -> bool:
    """Insert; False if the family already has a case for this subject and occasion."""
    row = await session.execute(
        insert(t)
        .values(**_row(case))
        .on_conflict_do_nothing(constraint="uq_subsidy_cases_once")
        .returning(t.c.id)
    )
    return row.first() is not None


async def save_case(session: AsyncSession, case: SubsidyCase) -> bool:
    """Write a changed case if nobody changed it meanwhile (version ``case.version - 1``)."""
    values = _row(case)
    result = await session.execute(
        sa.update(t)
        .where(t.c.id == case.id, t.c.version == case.version - 1)
        .values(**{k: v for k, v in values.items() if k != "id"})
    )
    return result.rowcount == 1


async def get_case(
    session: AsyncSession, case_id: uuid.UUID, *, for_update: bool = False
) -> SubsidyCase | None:
    query = sa.select(t).where(t.c.id == case_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return _case(row) if row else None


async def find_case(
    session: AsyncSession, family: str, subject_key: str, occasion: str
) -> SubsidyCase | None:
    row = (
        await session.execute(
            sa.select(t).where(
                t.c.rule_family == family, t.c.subject_key == subject_key, t.c.occasion == occasion
            )
        )
    ).first()
    return _case(row) if row else None


async def cases_of_subject(session: AsyncSession, subject_key: str) -> list[SubsidyCase]:
    rows = await session.execute(sa.select(t).where(t.c.subject_key == subject_key))
    return [_case(r) for r in rows.all()]


async def awaiting_cases(
    session: AsyncSession, enterprise_uscc: str, person_key: str
) -> list[SubsidyCase]:
    rows = await session.execute(
        sa.select(t)
        .where(
            t.c.enterprise_uscc == enterprise_uscc,
            t.c.person_key == person_key,
            t.c.status == CaseStatus.AWAITING_DATA.value,
        )
        .with_for_update()
    )
    return [_case(r) for r in rows.all()]


async def list_cases(
    session: AsyncSession,
    *,
    limit: int,
    hire_id: uuid.UUID | None = None,
    enterprise_uscc: str | None = None,
    status: CaseStatus | None = None,
    overdue_on: date | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
    principal: Principal | None = None,
) -> list[SubsidyCase]:
    """Newest first; ``after`` is the (opened_at, id) of the last case of the previous page.
    ``overdue_on``: only cases still in review whose deadline passed before that day.
    ``principal``: only cases in the caller's district scope (HRSS staff)."""
    query = sa.select(t).order_by(t.c.opened_at.desc(), t.c.id.desc()).limit(limit)
    if principal is not None:
        query = query.where(district_clause(division_of(t), principal))
    if hire_id is not None:
        query = query.where(t.c.hire_id == hire_id)
    if enterprise_uscc is not None:
        query = query.where(t.c.enterprise_uscc == enterprise_uscc)
    if status is not None:
        query = query.where(t.c.status == status.value)
    if overdue_on is not None:
        query = query.where(
            t.c.status.in_([CaseStatus.UNDER_REVIEW.value, CaseStatus.RETURNED.value]),
            t.c.review_deadline < overdue_on,
        )
    if after is not None:
        query = query.where(sa.tuple_(t.c.opened_at, t.c.id) < sa.tuple_(*after))
    return [_case(row) for row in (await session.execute(query)).all()]


def division_of(table: sa.Table) -> Any:
    """The division code a row is bound to: its district, else its city (else NULL)."""
    return sa.func.coalesce(table.c.district_code, table.c.city_code)


def _case(row: Any) -> SubsidyCase:
    m = row._mapping
    values = {c.name: m[c.name] for c in t.columns}
    values["delivery_mode"] = DeliveryMode(values["delivery_mode"])
    values["status"] = CaseStatus(values["status"])
    values["reasons"] = tuple(values["reasons"])
    values["waiting_for"] = tuple(values["waiting_for"] or ())
    values["sources"] = values["sources"] or {}
    return SubsidyCase(**values)


# --- social-insurance data ------------------------------------------------------------------


async def record_contribution(
    session: AsyncSession, uscc: str, person_key: str, c: MonthlyContribution, at: datetime
) -> None:
    """Insert or correct one month (the social-insurance system may report a month again)."""
    values = {f"{i}_fen": int(c.employer_fen.get(i, 0)) for i in INSURANCES} | {
        "employee_fen": c.employee_fen,
        "recorded_at": at,
    }
    await session.execute(
        insert(contributions)
        .values(enterprise_uscc=uscc, person_key=person_key, month=c.month, **values)
        .on_conflict_do_update(
            index_elements=["enterprise_uscc", "person_key", "month"], set_=values
        )
    )


async def contributions_of(
    session: AsyncSession, uscc: str, person_key: str
) -> list[MonthlyContribution]:
    c = contributions
    rows = await session.execute(
        sa.select(c)
        .where(c.c.enterprise_uscc == uscc, c.c.person_key == person_key)
        .order_by(c.c.month)
    )
    return [
        MonthlyContribution(
            month=r.month,
            employer_fen={i: getattr(r, f"{i}_fen") for i in INSURANCES},
            employee_fen=r.employee_fen,
        )
        for r in rows.all()
    ]


async def record_birth(session: AsyncSession, b: BirthFacts, at: datetime) -> bool:
    """False if this child order was already recorded for this person."""
    row = await session.execute(
        insert(births)
        .values(
            **{k: v for k, v in asdict(b).items() if k in births.c},
            recorded_at=at,
        )
        .on_conflict_do_nothing(index_elements=["person_key", "child_order"])
        .returning(births.c.person_key)
    )
    return row.first() is not None


async def births_of(session: AsyncSession, person_key: str) -> list[BirthFacts]:
    rows = await session.execute(sa.select(births).where(births.c.person_key == person_key))
    return [
        BirthFacts(
            person_key=r.person_key,
            enterprise_uscc=r.enterprise_uscc,
            birth_date=r.birth_date,
            child_order=r.child_order,
            employee_gender=r.employee_gender,
            city_code=r.city_code,
            district_code=r.district_code,
        )
        for r in rows.all()
    ]


async def record_enterprise_year(session: AsyncSession, y: EnterpriseYear, at: datetime) -> None:
    values = {k: v for k, v in asdict(y).items() if k in enterprise_years.c} | {
        "enterprise_size": y.enterprise_size.value,
        "recorded_at": at,
    }
    await session.execute(
        insert(enterprise_years)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["enterprise_uscc", "year"],
            set_={k: v for k, v in values.items() if k not in ("enterprise_uscc", "year")},
        )
    )


def enterprise_year_of(row: Any) -> EnterpriseYear:
    return EnterpriseYear(
        enterprise_uscc=row.enterprise_uscc,
        year=row.year,
        enterprise_size=EnterpriseSize(row.enterprise_size),
        insured_headcount=row.insured_headcount,
        layoffs=row.layoffs,
        unemployment_insurance_paid_fen=row.unemployment_insurance_paid_fen,
        contributions_in_arrears=row.contributions_in_arrears,
        city_code=row.city_code,
        district_code=row.district_code,
    )


# --- hires as declared, and their confirmation ------------------------------------------------


def _hire_json(h: HireFacts) -> dict[str, Any]:
    return {
        "hire_id": str(h.hire_id),
        "enterprise_uscc": h.enterprise_uscc,
        "person_key": h.person_key,
        "start_date": h.start_date.isoformat(),
        "education": h.education.value if h.education else None,
        "graduation_date": h.graduation_date.isoformat() if h.graduation_date else None,
        "key_groups": sorted(g.value for g in h.key_groups),
        "job_kind": h.job_kind.value if h.job_kind else None,
        "contract_type": h.contract_type.value if h.contract_type else None,
        "contract_months": h.contract_months,
        "city_code": h.city_code,
        "district_code": h.district_code,
        "enterprise_size": h.enterprise_size.value if h.enterprise_size else None,
        "birth_year": h.birth_year,
        "age_at_start": h.age_at_start,
        "previously_unemployed": h.previously_unemployed,
        "occupation_code": h.occupation_code,
        "unit_type": h.unit_type,
    }


def _hire_from_json(d: dict[str, Any]) -> HireFacts:
    def opt(enum, value):  # noqa: ANN001, ANN202
        return enum(value) if value else None

    return HireFacts(
        hire_id=uuid.UUID(d["hire_id"]),
        enterprise_uscc=d["enterprise_uscc"],
        person_key=d["person_key"],
        start_date=date.fromisoformat(d["start_date"]),
        education=opt(Education, d["education"]),
        graduation_date=opt(date.fromisoformat, d["graduation_date"]),
        key_groups=frozenset(KeyGroup(g) for g in d["key_groups"]),
        job_kind=opt(JobKind, d["job_kind"]),
        contract_type=opt(ContractType, d["contract_type"]),
        contract_months=d["contract_months"],
        city_code=d["city_code"],
        district_code=d["district_code"],
        enterprise_size=opt(EnterpriseSize, d["enterprise_size"]),
        birth_year=d["birth_year"],
        age_at_start=d.get("age_at_start"),
        previously_unemployed=d["previously_unemployed"],
        occupation_code=d["occupation_code"],
        unit_type=d.get("unit_type"),
    )


@dataclass(frozen=True)
class HireClaim:
    """A hire as its enterprise declared it, and who confirmed it (None: nobody yet)."""

    hire: HireFacts | None  # None while only the confirmation has arrived
    confirmed_by: str | None
    confirmed_at: datetime | None
    evidence_ref: str | None = None


# The hire path's two claim statements go to the driver (suxin_common.db.driver_connection):
# asyncpg keeps them prepared, and SQLAlchemy does not build, key and compile an INSERT ... ON
# CONFLICT and a SELECT per hire (issue 21). Same SQL as the Core statements they replace; JSON
# as SQLAlchemy's JSONB sends and reads it (json.dumps / json.loads).
_RECORD_HIRE_CLAIM = """
    INSERT INTO hire_claims (hire_id, enterprise_uscc, person_key, start_date, declared,
                             recorded_at)
    VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)
    ON CONFLICT (hire_id) DO UPDATE SET declared = excluded.declared
    WHERE hire_claims.declared = '{}'::jsonb
"""
_HIRE_CLAIM = (
    "SELECT declared::text AS declared, confirmed_by, confirmed_at FROM hire_claims "
    "WHERE hire_id = $1"
)


async def record_hire_claim(session: AsyncSession, hire: HireFacts, at: datetime) -> None:
    """Keep the declared hire (a confirmation that arrived first keeps its mark)."""
    driver = await driver_connection(session)
    await driver.execute(
        _RECORD_HIRE_CLAIM,
        hire.hire_id,
        hire.enterprise_uscc,
        hire.person_key,
        hire.start_date,
        json.dumps(_hire_json(hire)),
        at,
    )


async def confirm_hire_claim(
    session: AsyncSession,
    hire_id: uuid.UUID,
    *,
    enterprise_uscc: str,
    person_key: str,
    start_date: date,
    by: str,
    at: datetime,
) -> bool:
    """Mark a hire confirmed; False if it already was."""
    stmt = insert(hire_claims).values(
        hire_id=hire_id,
        enterprise_uscc=enterprise_uscc,
        person_key=person_key,
        start_date=start_date,
        declared={},
        confirmed_by=by,
        confirmed_at=at,
        recorded_at=at,
    )
    row = await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["hire_id"],
            set_={"confirmed_by": by, "confirmed_at": at},
            where=hire_claims.c.confirmed_by.is_(None),
        ).returning(hire_claims.c.hire_id)
    )
    return row.first() is not None


async def record_employment_end(
    session: AsyncSession,
    hire_id: uuid.UUID,
    enterprise_uscc: str,
    person_key: str,
    ended_on: date,
    at: datetime,
) -> bool:
    """False if this hire's end was already recorded (a redelivery)."""
    row = await session.execute(
        insert(employment_ends)
        .values(
            hire_id=hire_id,
            enterprise_uscc=enterprise_uscc,
            person_key=person_key,
            ended_on=ended_on,
            recorded_at=at,
        )
        .on_conflict_do_nothing(index_elements=["hire_id"])
        .returning(employment_ends.c.hire_id)
    )
    return row.first() is not None


async def hire_claim(session: AsyncSession, hire_id: uuid.UUID) -> HireClaim | None:
    driver = await driver_connection(session)
    row = await driver.fetchrow(_HIRE_CLAIM, hire_id)
    if row is None:
        return None
    declared = json.loads(row["declared"])
    return HireClaim(
        _hire_from_json(declared) if declared else None,
        row["confirmed_by"],
        row["confirmed_at"],
    )


async def awaiting_cases_of_person(
    session: AsyncSession, person_key: str, enterprise_uscc: str | None = None
) -> list[SubsidyCase]:
    query = (
        sa.select(t)
        .where(t.c.person_key == person_key, t.c.status == CaseStatus.AWAITING_DATA.value)
        .order_by(t.c.opened_at, t.c.id)
        .with_for_update()
    )
    if enterprise_uscc is not None:
        query = query.where(t.c.enterprise_uscc == enterprise_uscc)
    return [_case(r) for r in (await session.execute(query)).all()]


async def employment_ended_on(
    session: AsyncSession, enterprise_uscc: str, person_key: str, since: date
) -> date | None:
    """The first end of her employment at this enterprise on or after ``since``, if any."""
    e = employment_ends
    return (
        await session.execute(
            sa.select(sa.func.min(e.c.ended_on)).where(
                e.c.enterprise_uscc == enterprise_uscc,
                e.c.person_key == person_key,
                e.c.ended_on >= since,
            )
        )
    ).scalar_one()
