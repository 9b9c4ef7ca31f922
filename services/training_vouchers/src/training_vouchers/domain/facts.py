"""The facts the rules read, as flat JSON-ready mappings: one builder per trigger.

A decision stores the facts it used, so these builders run once, when the situation is
evaluated; replaying a decision evaluates the stored facts, never rebuilds them.

Hire facts: education, months_since_graduation, in_graduation_year (毕业年度: the hire starts in
the calendar year of graduation), within_two_years_of_leaving_school (离校2年内: after graduation
and at most two years after it, to the day), key_groups, job_kind, contract_type,
contract_months, age_at_start, previously_unemployed, enterprise_size, unit_type (用人单位类型:
the registry's, else the USCC's), city_code, district_code, start_date; and from the
social-insurance system: social_insurance_months and unemployment_insurance_months (months
this enterprise paid for this person since the start).

Birth facts: employee_gender, child_order, birth_date, unit_type, employer_contributions (one row
per month of the six from the birth month: the employer-paid fen of each insurance; the
employee's share is never included), employer_contribution_months, employment_ended_in_window
(she left this employer before the sixth month was paid: no more months will come, and seed 003
pays on what the employer actually paid), left_before_birth (her last day at this employer was
before the birth: 企业女职工生育…产假期间 does not describe her).

Enterprise-year facts: year, enterprise_size, unit_type, insured_headcount, layoffs,
layoff_rate_bp (basis points, rounded up), unemployment_insurance_paid_fen,
contributions_in_arrears.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from training_vouchers.domain.model import EnterpriseSize, HireFacts
from training_vouchers.domain.unit_type import resolve_unit_type

INSURANCES = ("pension", "medical", "unemployment", "work_injury", "maternity")
MATERNITY_MONTHS = 6


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months_to_month(month: str, n: int) -> str:
    year, m = int(month[:4]), int(month[5:7])
    index = year * 12 + m - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def whole_months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (negative if ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


@dataclass(frozen=True)
class MonthlyContribution:
    """One month of contributions an enterprise paid for a person (from the social-insurance
    system), in fen: the employer share per insurance, and the employee's own share."""

    month: str  # YYYY-MM
    employer_fen: Mapping[str, int]
    employee_fen: int


def _value(member: Any) -> Any:
    return member.value if member is not None else None


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(born: date, day: date) -> int:
    """Age in whole years (周岁) on `day`: one more on each birthday (a 29 February birthday
    falls on 1 March in other years), as job-matching counts it for HireRecorded."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_at_start(hire: HireFacts) -> int | None:
    """The exact age the hire carries; by year of birth for hires recorded before it was."""
    if hire.age_at_start is not None:
        return hire.age_at_start
    return hire.start_date.year - hire.birth_year if hire.birth_year else None


def unit_type_fact(uscc: str | None, registered: str | None) -> str | None:
    unit = resolve_unit_type(uscc, registered)
    return unit.value if unit is not None else None


def graduate_window(graduation_date: date | None, on: date) -> dict[str, Any]:
    """毕业年度 (the calendar year of graduation) and 离校2年内 (after leaving school, up to and
    including the day two years later: 以内 includes the bound, 民法典 第1259条)."""
    if graduation_date is None:
        return {"in_graduation_year": None, "within_two_years_of_leaving_school": None}
    return {
        "in_graduation_year": on.year == graduation_date.year,
        "within_two_years_of_leaving_school": graduation_date < on <= add_years(graduation_date, 2),
    }


def hire_facts(
    hire: HireFacts, contributions: Iterable[MonthlyContribution] = ()
) -> dict[str, Any]:
    since = month_of(hire.start_date)
    months = [c for c in contributions if c.month >= since]
    return graduate_window(hire.graduation_date, hire.start_date) | {
        "start_date": hire.start_date.isoformat(),
        "education": _value(hire.education),
        "months_since_graduation": whole_months_between(hire.graduation_date, hire.start_date)
        if hire.graduation_date
        else None,
        "key_groups": sorted(g.value for g in hire.key_groups),
        "job_kind": _value(hire.job_kind),
        "contract_type": _value(hire.contract_type),
        "contract_months": hire.contract_months,
        "age_at_start": age_at_start(hire),
        "previously_unemployed": hire.previously_unemployed,
        "enterprise_size": _value(hire.enterprise_size),
        "unit_type": unit_type_fact(hire.enterprise_uscc, hire.unit_type),
        "city_code": hire.city_code,
        "district_code": hire.district_code,
        "social_insurance_months": sum(1 for c in months if sum(c.employer_fen.values()) > 0),
        "unemployment_insurance_months": sum(
            1 for c in months if c.employer_fen.get("unemployment", 0) > 0
        ),
    }


def with_contributions(facts: Mapping[str, Any], contributions: Iterable[MonthlyContribution]):
    """Stored hire facts with the social-insurance months recounted (re-evaluation)."""
    since = str(facts["start_date"])[:7]
    months = [c for c in contributions if c.month >= since]
    return dict(facts) | {
        "social_insurance_months": sum(1 for c in months if sum(c.employer_fen.values()) > 0),
        "unemployment_insurance_months": sum(
            1 for c in months if c.employer_fen.get("unemployment", 0) > 0
        ),
    }


@dataclass(frozen=True)
class BirthFacts:
    """A woman employee gave birth (reported by the social-insurance/health system)."""

    person_key: str
    enterprise_uscc: str
    birth_date: date
    child_order: int
    employee_gender: str
    city_code: str | None = None
    district_code: str | None = None
    unit_type: str | None = None  # the registry's type, when known
    # Last day of her employment at this enterprise, if she left (EmploymentEnded).
    employment_ended_on: date | None = None


def birth_facts(birth: BirthFacts, contributions: Iterable[MonthlyContribution]) -> dict[str, Any]:
    first = month_of(birth.birth_date)
    window = {add_months_to_month(first, n) for n in range(MATERNITY_MONTHS)}
    rows = [
        {"month": c.month} | {i: int(c.employer_fen.get(i, 0)) for i in INSURANCES}
        for c in sorted(contributions, key=lambda c: c.month)
        if c.month in window
    ]
    last = add_months_to_month(first, MATERNITY_MONTHS - 1)
    ended = birth.employment_ended_on
    return {
        "employee_gender": birth.employee_gender,
        "child_order": birth.child_order,
        "birth_date": birth.birth_date.isoformat(),
        "unit_type": unit_type_fact(birth.enterprise_uscc, birth.unit_type),
        "employer_contributions": rows,
        "employer_contribution_months": len(rows),
        # Left before the last month of the window was over: the months paid are all there is.
        "employment_ended_in_window": ended is not None and month_of(ended) <= last,
        # Her last day at this employer was before the birth: no 产假 with it, no subsidy
        # (leaving on the day of the birth or later keeps the months the employer paid).
        "left_before_birth": ended is not None and ended < birth.birth_date,
        "city_code": birth.city_code,
        "district_code": birth.district_code,
    }


@dataclass(frozen=True)
class EmploymentEnd:
    """An employment ended (EmploymentEnded): the last working day at this enterprise."""

    hire_id: uuid.UUID
    enterprise_uscc: str
    person_key: str
    ended_on: date


@dataclass(frozen=True)
class EnterpriseYear:
    """An enterprise's figures for a year (from the social-insurance system), for 稳岗返还."""

    enterprise_uscc: str
    year: int
    enterprise_size: EnterpriseSize
    insured_headcount: int  # 参保职工人数 at the start of the year
    layoffs: int  # 裁员人数 during the year
    unemployment_insurance_paid_fen: int  # 实际缴纳失业保险费
    contributions_in_arrears: bool
    city_code: str | None = None
    district_code: str | None = None
    unit_type: str | None = None  # the registry's type, when known


def enterprise_year_facts(y: EnterpriseYear) -> dict[str, Any]:
    rate_bp = -(-y.layoffs * 10000 // y.insured_headcount) if y.insured_headcount else None
    return {
        "year": y.year,
        "enterprise_size": y.enterprise_size.value,
        "unit_type": unit_type_fact(y.enterprise_uscc, y.unit_type),
        "insured_headcount": y.insured_headcount,
        "layoffs": y.layoffs,
        "layoff_rate_bp": rate_bp,
        "unemployment_insurance_paid_fen": y.unemployment_insurance_paid_fen,
        "contributions_in_arrears": y.contributions_in_arrears,
        "city_code": y.city_code,
        "district_code": y.district_code,
    }
