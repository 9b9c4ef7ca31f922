"""The evidence of a situation: every fact the rules read, with where it comes from.

The same facts as :mod:`~training_vouchers.domain.facts` builds, but each value is either
stated by a source (an authority feed, the confirmed hire, the resident ID, the 社保 records
held here) or only declared (the profile the enterprise's hire carried, the employer's birth
report). Which sources count is the rule's business (:mod:`.provenance`).

Pure code: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from suxin_common.facts import Fact, Provenance, Source
from training_vouchers.domain.facts import (
    BirthFacts,
    EnterpriseYear,
    MonthlyContribution,
    birth_facts,
    enterprise_year_facts,
    graduate_window,
    hire_facts,
    whole_months_between,
)
from training_vouchers.domain.model import HireFacts
from training_vouchers.domain.provenance import (
    Evidence,
    Known,
    declared,
    key_group_members,
    newest,
    stated,
)

S = Source
HIRE_TERMS = ("job_kind", "contract_type", "contract_months", "city_code", "district_code")


def _month_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def _social_insurance(months: Sequence[MonthlyContribution]) -> Provenance:
    last = max((c.month for c in months), default=None)
    return Provenance(S.SOCIAL_INSURANCE, _month_day(last) if last else None, "contributions")


def hire_evidence(
    hire: HireFacts,
    facts: Iterable[Fact],
    contributions: Sequence[MonthlyContribution] = (),
    confirmed: Provenance | None = None,
) -> Evidence:
    """A hire's evidence: the hire's profile values are declared; ``facts`` (verified, about
    the person) state education, key groups and unemployment registration; ``confirmed``
    (the person's confirmation, or 社保 enrolment) makes the hire's own terms stated."""
    facts = list(facts)
    plain = hire_facts(hire, contributions)
    ev: dict[str, Known] = {}
    for name in HIRE_TERMS:
        ev[name] = (
            Known(plain[name], confirmed, plain[name])
            if confirmed is not None
            else declared(plain[name])
        )
    ev["start_date"] = Known(
        plain["start_date"], confirmed or Provenance(S.DECLARED), plain["start_date"]
    )
    ev["enterprise_size"] = declared(plain["enterprise_size"])
    ev["unit_type"] = _unit_type(plain["unit_type"], hire.unit_type)
    ev["age_at_start"] = (
        stated(plain["age_at_start"], S.IDENTITY) if plain["age_at_start"] is not None else Known()
    )
    # 学历 from the education department.
    edu = newest(facts, "education")
    if edu is not None and edu.source is S.EDUCATION:
        graduated = edu.value.get("graduation_date")
        months = (
            whole_months_between(date.fromisoformat(graduated), hire.start_date)
            if graduated
            else None
        )
        ev["education"] = Known(edu.value.get("education"), edu.provenance, plain["education"])
        ev["months_since_graduation"] = Known(
            months, edu.provenance, plain["months_since_graduation"]
        )
        window = graduate_window(
            date.fromisoformat(graduated) if graduated else None, hire.start_date
        )
        for name, value in window.items():
            ev[name] = Known(value, edu.provenance, plain[name])
    else:
        for name in (
            "education",
            "months_since_graduation",
            "in_graduation_year",
            "within_two_years_of_leaving_school",
        ):
            ev[name] = declared(plain[name])
    ev["key_groups"] = Known(
        declared=plain["key_groups"], members=key_group_members(facts, hire.start_date)
    )
    # 失业登记 in force on the day before the start.
    registered = [
        f
        for f in facts
        if f.kind == "unemployment_registration"
        and f.source is S.HRSS_RECORDS
        and not f.revoked
        and (f.valid_from is None or f.valid_from < hire.start_date)
    ]
    if registered:
        f = max(registered, key=lambda f: (f.as_of or date.min, f.version))
        ev["previously_unemployed"] = Known(True, f.provenance, plain["previously_unemployed"])
    else:
        ev["previously_unemployed"] = declared(plain["previously_unemployed"] or None)
    si = _social_insurance(contributions)
    for name in ("social_insurance_months", "unemployment_insurance_months"):
        ev[name] = Known(plain[name], si)
    return ev


def birth_evidence(
    birth: BirthFacts, facts: Iterable[Fact], contributions: Sequence[MonthlyContribution]
) -> Evidence:
    """A birth's evidence: the employer's report is declared; the 卫健 birth fact (出生医学证明
    of the mother, same child order) states the birth, its date and the mother."""
    plain = birth_facts(birth, contributions)
    health = [
        f
        for f in facts
        if f.kind == "birth"
        and f.source is S.HEALTH
        and not f.revoked
        and f.value.get("child_order") == birth.child_order
    ]
    ev: dict[str, Known] = {}
    if health:
        f = max(health, key=lambda f: (f.as_of or date.min, f.version))
        ev["child_order"] = Known(birth.child_order, f.provenance, birth.child_order)
        ev["birth_date"] = Known(f.value.get("birth_date"), f.provenance, plain["birth_date"])
        ev["employee_gender"] = Known("female", f.provenance, plain["employee_gender"])
    else:
        ev["child_order"] = declared(birth.child_order)
        ev["birth_date"] = Known(plain["birth_date"], Provenance(S.DECLARED), plain["birth_date"])
        ev["employee_gender"] = declared(plain["employee_gender"])
    si = _social_insurance(contributions)
    for name in ("employer_contributions", "employer_contribution_months"):
        ev[name] = Known(plain[name], si)
    ev["unit_type"] = _unit_type(plain["unit_type"], birth.unit_type)
    # Her leaving is the employer's recorded separation (job-matching's EmploymentEnded).
    for name in ("employment_ended_in_window", "left_before_birth"):
        ev[name] = Known(
            plain[name],
            Provenance(S.CONFIRMED_HIRE, birth.employment_ended_on, "employment_ended"),
        )
    for name in ("city_code", "district_code"):
        ev[name] = Known(plain[name], Provenance(S.DECLARED), plain[name])
    return ev


def enterprise_year_evidence(year: EnterpriseYear) -> Evidence:
    """An enterprise's year, as the social-insurance system reports it (the only caller of
    that endpoint)."""
    plain: dict[str, Any] = enterprise_year_facts(year)
    source = Provenance(S.SOCIAL_INSURANCE, date(year.year, 12, 31), f"year:{year.year}")
    ev = {name: Known(value, source, None) for name, value in plain.items()}
    ev["unit_type"] = _unit_type(plain["unit_type"], getattr(year, "unit_type", None))
    return ev


def _unit_type(value: Any, registered: str | None) -> Known:
    """The registry's type (市场监管), else what the USCC's codes say (GB 32100)."""
    if value is None:
        return Known()
    return Known(value, Provenance(S.MARKET_REGULATION if registered else S.IDENTITY))


def confirmation_by_enrolment(
    facts: Iterable[Fact], enterprise_uscc: str, start: date
) -> Provenance | None:
    """社保 shows the person enrolled with this employer around the hire's start (参保登记,
    not ended before the start)."""
    for f in facts:
        if (
            f.kind == "social_insurance_enrolment"
            and f.source is S.SOCIAL_INSURANCE
            and f.enterprise_uscc == enterprise_uscc
            and not f.revoked
        ):
            ended = f.value.get("ended_on")
            if ended is None or date.fromisoformat(ended) >= start:
                return Provenance(S.CONFIRMED_HIRE, f.as_of, f.evidence_ref)
    return None
