"""Which sources the subsidy rules accept for each fact, and the evidence a situation has.

A rule decides on facts from the sources it accepts (:data:`ACCEPTED_SOURCES`, narrowed per
rule by its ``accepts`` in the policy file); what the person or the enterprise declared stays
visible on the case but can only make a condition wait (awaiting verification, 待核验), never
meet it. docs/trust.md is generated from these tables (scripts/trust_table.py).

Pure code: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from suxin_common.facts import Fact, Provenance, Source

S = Source

# fact -> the sources a rule may decide on. Facts a rule reads must be listed here (the policy
# loader refuses a rule reading a fact without accepted sources).
ACCEPTED_SOURCES: dict[str, frozenset[Source]] = {
    # the person
    "education": frozenset({S.EDUCATION}),
    "months_since_graduation": frozenset({S.EDUCATION}),
    "in_graduation_year": frozenset({S.EDUCATION}),
    "within_two_years_of_leaving_school": frozenset({S.EDUCATION}),
    "key_groups": frozenset(
        {S.HRSS_RECORDS, S.RURAL_REVITALIZATION, S.DISABLED_FEDERATION, S.VETERANS_AFFAIRS}
        | {S.EDUCATION, S.STAFF}
    ),
    "previously_unemployed": frozenset({S.HRSS_RECORDS}),
    "age_at_start": frozenset({S.IDENTITY}),
    # the hire's own terms count once the person confirmed the hire or 社保 shows it
    "job_kind": frozenset({S.CONFIRMED_HIRE}),
    "contract_type": frozenset({S.CONFIRMED_HIRE}),
    "contract_months": frozenset({S.CONFIRMED_HIRE}),
    "city_code": frozenset({S.CONFIRMED_HIRE, S.SOCIAL_INSURANCE}),
    "district_code": frozenset({S.CONFIRMED_HIRE, S.SOCIAL_INSURANCE}),
    # 社保
    "social_insurance_months": frozenset({S.SOCIAL_INSURANCE}),
    "unemployment_insurance_months": frozenset({S.SOCIAL_INSURANCE}),
    "employer_contributions": frozenset({S.SOCIAL_INSURANCE}),
    "employer_contribution_months": frozenset({S.SOCIAL_INSURANCE}),
    # 卫健: the birth itself, not the employer's report
    "child_order": frozenset({S.HEALTH}),
    "employee_gender": frozenset({S.HEALTH, S.IDENTITY}),
    # the end of the employment (recorded separation, or 社保 enrolment ended)
    "employment_ended_in_window": frozenset({S.CONFIRMED_HIRE, S.SOCIAL_INSURANCE}),
    "left_before_birth": frozenset({S.CONFIRMED_HIRE, S.SOCIAL_INSURANCE}),
    # the employing unit: the 市场监管 registry, else its USCC's registration codes
    "unit_type": frozenset({S.MARKET_REGULATION, S.IDENTITY}),
    # an enterprise's year (稳岗返还), as the social-insurance system reports it
    "enterprise_size": frozenset({S.SOCIAL_INSURANCE, S.MARKET_REGULATION}),
    "insured_headcount": frozenset({S.SOCIAL_INSURANCE}),
    "layoffs": frozenset({S.SOCIAL_INSURANCE}),
    "layoff_rate_bp": frozenset({S.SOCIAL_INSURANCE}),
    "unemployment_insurance_paid_fen": frozenset({S.SOCIAL_INSURANCE}),
    "contributions_in_arrears": frozenset({S.SOCIAL_INSURANCE}),
}

# Facts of the rules decided on an application that HRSS staff check (就业见习, 求职创业补贴,
# 创业担保贷款, 创业孵化基地, 技能创新, 苏岗贷, 灵活就业社保补贴): the staff's check is their source
# until a department feed states them.
APPLICATION_FACTS = (
    "hardships", "borrower_groups", "borrower_kind", "defaults_on_record",
    "guarantee_fee_charged_fen", "interest_paid_fen", "loan_amount_fen", "new_hires_share_bp",
    "employees",
    "term_months", "base_level", "entities_incubated", "passed_annual_review",
    "recognised_by_year_end", "high_skill_staff", "investment_fen", "project_kind",
    "established_within_three_years", "labour_violations", "new_hires_last_year", "wage_arrears",
    "groups", "months_after_claim", "paid_fen", "registered_flexible", "years_to_retirement",
)  # fmt: skip
ACCEPTED_SOURCES.update({name: frozenset({S.STAFF}) for name in APPLICATION_FACTS})

# A key group counts only when the fact of its kind comes from its department.
KEY_GROUP_FACTS: dict[str, tuple[str, frozenset[Source]]] = {
    "employment_difficulty": ("employment_difficulty", frozenset({S.HRSS_RECORDS})),
    "poverty_alleviated": ("poverty_alleviated", frozenset({S.RURAL_REVITALIZATION})),
    "disabled": ("disability", frozenset({S.DISABLED_FEDERATION})),
    "veteran": ("veteran", frozenset({S.VETERANS_AFFAIRS})),
}
HIGHER_EDUCATION = frozenset({"junior_college", "bachelor", "master", "doctorate"})


@dataclass(frozen=True)
class Known:
    """What is known of one fact: the value a source stated (with its provenance), and what
    was declared. ``members`` (set-valued facts such as key_groups): each member's provenance."""

    value: Any = None
    provenance: Provenance | None = None
    declared: Any = None
    members: Mapping[str, Provenance] | None = None


Evidence = Mapping[str, Known]


def declared(value: Any) -> Known:
    return Known(declared=value)


def stated(value: Any, source: Source, *, as_of: date | None = None, ref: str | None = None):
    return Known(value=value, provenance=Provenance(source, as_of, ref))


@dataclass(frozen=True)
class Split:
    """Evidence as one rule sees it."""

    facts: dict[str, Any]  # accepted values (None where no accepted source stated one)
    declared: dict[str, Any]  # values that were only declared (or from sources not accepted)
    sources: dict[str, Any]  # JSON: each fact's source, as-of date and evidence


def split(evidence: Evidence, accepts: Mapping[str, frozenset[Source]]) -> Split:
    facts: dict[str, Any] = {}
    claims: dict[str, Any] = {}
    sources: dict[str, Any] = {}
    for name, k in evidence.items():
        ok = accepts.get(name)
        if k.members is not None:
            kept = {m: p for m, p in k.members.items() if ok is None or p.source in ok}
            facts[name] = sorted(kept)
            if set(k.declared or ()) - set(kept):
                claims[name] = sorted(k.declared)
            sources[name] = {
                "members": {m: p.to_json() for m, p in sorted(kept.items())},
                "declared": sorted(k.declared or ()),
            }
            continue
        if k.provenance is not None and (ok is None or k.provenance.source in ok):
            facts[name] = k.value
            sources[name] = k.provenance.to_json()
            continue
        facts[name] = None
        claim = k.declared if k.declared is not None else k.value
        if claim is not None:
            claims[name] = claim
        sources[name] = {
            "source": (k.provenance.source.value if k.provenance else Source.DECLARED.value),
            "as_of": None,
            "evidence_ref": None,
            "declared": claim,
        }
    return Split(facts, claims, sources)


def merged(evidence: Evidence) -> dict[str, Any]:
    """Every fact's value, stated or else declared (for what is not a decision: the case's
    occasion, the calculator)."""
    out = {}
    for name, k in evidence.items():
        if k.members is not None:
            out[name] = sorted(set(k.members) | set(k.declared or ()))
        else:
            out[name] = k.value if k.value is not None else k.declared
    return out


def newest(facts: Iterable[Fact], kind: str, on: date | None = None) -> Fact | None:
    """The newest fact of ``kind`` that holds (on ``on`` if given)."""
    found = [
        f for f in facts if f.kind == kind and (not f.revoked) and (on is None or f.holds_on(on))
    ]
    return max(found, key=lambda f: (f.as_of or date.min, f.version), default=None)


def key_group_members(facts: Iterable[Fact], on: date) -> dict[str, Provenance]:
    facts = list(facts)
    members: dict[str, Provenance] = {}
    for group, (kind, departments) in KEY_GROUP_FACTS.items():
        f = newest(facts, kind, on)
        if f is not None and f.source in departments:
            members[group] = f.provenance
    edu = newest(facts, "education")
    if edu is not None and edu.source is S.EDUCATION:
        if edu.value.get("education") in HIGHER_EDUCATION:
            members["college_graduate"] = edu.provenance
    return members
