"""Facts of the support items other than hires, births and enterprise years (seed 003 and 000):
求职补贴, 创业担保贷款, 创业示范基地运营补贴, awards for 高技能人员 and 智能化改造, 苏岗贷 and
灵活就业社保补贴. One frozen dataclass per situation and one builder of its flat facts.

The dataclasses are what an API body or a data feed becomes after validation; the builders
derive the facts the rules read (windows counted to the day, the unit type from the USCC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from training_vouchers.domain.facts import add_years, graduate_window, unit_type_fact

# 高技能人才: 取得高级工及以上职业资格或职业技能等级的人员 (高级工、技师、高级技师; 中办国办
# 《关于加强新时代高技能人才队伍建设的意见》 2022). Levels as in suxin.common.v1.SkillLevel.
SKILL_LEVELS = (
    "junior_worker",
    "intermediate_worker",
    "senior_worker",
    "technician",
    "senior_technician",
)
HIGH_SKILL_LEVELS = ("senior_worker", "technician", "senior_technician")


@dataclass(frozen=True)
class JobSearch:
    """A student in the graduation year asks for 求职补贴 (一次性求职创业补贴)."""

    applied_on: date
    graduation_date: date
    education: str
    hardships: frozenset[str]  # 低保家庭, 脱贫家庭, 残疾, 国家助学贷款, 特困人员 …


def job_search_facts(a: JobSearch) -> dict[str, Any]:
    return {
        "applied_on": a.applied_on.isoformat(),
        "education": a.education,
        # 毕业年度: the calendar year of graduation, applying before or after graduating.
        "in_graduation_year": a.applied_on.year == a.graduation_date.year,
        "hardships": sorted(a.hardships),
    }


@dataclass(frozen=True)
class StartupLoan:
    """A 创业担保贷款 application: the borrower, the loan, and the interest paid so far."""

    loan_id: str
    applied_on: date
    borrower_kind: str  # individual | small_micro_enterprise
    borrower_groups: frozenset[str]
    amount_fen: int
    term_months: int
    interest_paid_fen: int = 0  # interest the borrower paid in the period claimed
    guarantee_fee_charged_fen: int = 0  # must be 0: 免收借款人担保费
    enterprise_uscc: str | None = None
    graduation_date: date | None = None
    new_hires_share_bp: int | None = None  # 小微企业: 当年新招用符合条件人员占在职职工比例
    defaults_on_record: bool = False  # 借款人有不良信用记录
    employees: int | None = None  # 小微企业: 现有在职职工人数 (over 100: the 8% threshold)


def startup_loan_facts(a: StartupLoan) -> dict[str, Any]:
    facts = {
        "project_id": a.loan_id,
        "applied_on": a.applied_on.isoformat(),
        "borrower_kind": a.borrower_kind,
        "borrower_groups": sorted(a.borrower_groups),
        "loan_amount_fen": a.amount_fen,
        "term_months": a.term_months,
        "interest_paid_fen": a.interest_paid_fen,
        "guarantee_fee_charged_fen": a.guarantee_fee_charged_fen,
        "new_hires_share_bp": a.new_hires_share_bp,
        "employees": a.employees,
        "defaults_on_record": a.defaults_on_record,
        "unit_type": unit_type_fact(a.enterprise_uscc, None) if a.enterprise_uscc else None,
    }
    window = graduate_window(a.graduation_date, a.applied_on)
    facts["graduated_within_five_years"] = (
        a.graduation_date is not None
        and a.graduation_date <= a.applied_on <= add_years(a.graduation_date, 5)
    )
    return facts | {"in_graduation_year": window["in_graduation_year"]}


@dataclass(frozen=True)
class StartupBaseYear:
    """A 创业示范基地's year, for 市级创业示范基地运营补贴."""

    base_id: str
    year: int
    level: str  # municipal | provincial | national
    recognised_on: date
    passed_annual_review: bool
    entities_incubated: int
    jobs_created: int


def startup_base_facts(b: StartupBaseYear) -> dict[str, Any]:
    return {
        "project_id": f"{b.base_id}-{b.year}",
        "year": b.year,
        "base_level": b.level,
        # Recognised before the year ended: it ran as a base in that year.
        "recognised_by_year_end": b.recognised_on <= date(b.year, 12, 31),
        "passed_annual_review": b.passed_annual_review,
        "entities_incubated": b.entities_incubated,
        "jobs_created": b.jobs_created,
    }


@dataclass(frozen=True)
class InnovationProject:
    """An enterprise project: 关键工艺改进与创新 by 高技能人员 it employs, or 智能化改造."""

    project_id: str
    enterprise_uscc: str
    kind: str  # key_process_innovation | intelligent_upgrade
    completed_on: date
    investment_fen: int  # 研发投入 (process innovation) or 相关投入 (智能化改造)
    high_skill_staff: int = 0  # 高技能人员 employed on the project (高级工 and above)
    unit_type: str | None = None  # the registry's, when known


def innovation_facts(p: InnovationProject) -> dict[str, Any]:
    return {
        "project_id": p.project_id,
        "project_kind": p.kind,
        "completed_on": p.completed_on.isoformat(),
        "investment_fen": p.investment_fen,
        "high_skill_staff": p.high_skill_staff,
        "unit_type": unit_type_fact(p.enterprise_uscc, p.unit_type),
    }


@dataclass(frozen=True)
class EnterpriseLoan:
    """A 苏岗贷 application (seed 000): a startup that hires many, keeps jobs and employs by
    the rules gets a loan without collateral at a preferential rate."""

    application_id: str
    enterprise_uscc: str
    applied_on: date
    established_on: date
    insured_headcount: int
    new_hires_last_year: int
    layoff_rate_bp: int  # 上年度裁员率, basis points
    labour_violations: int  # 劳动保障违法行为 on record in the last year
    wage_arrears: bool
    unit_type: str | None = None


def enterprise_loan_facts(e: EnterpriseLoan) -> dict[str, Any]:
    return {
        "project_id": e.application_id,
        "unit_type": unit_type_fact(e.enterprise_uscc, e.unit_type),
        # 创业企业: established within three years of the application (to the day).
        "established_within_three_years": e.established_on
        <= e.applied_on
        <= add_years(e.established_on, 3),
        "insured_headcount": e.insured_headcount,
        "new_hires_last_year": e.new_hires_last_year,
        "layoff_rate_bp": e.layoff_rate_bp,
        "labour_violations": e.labour_violations,
        "wage_arrears": e.wage_arrears,
    }


@dataclass(frozen=True)
class FlexibleEmployment:
    """A claim for 灵活就业社保补贴: contributions a flexible worker paid in a period."""

    claim_period: str  # YYYY-MM (the first month of the period claimed)
    registered_flexible_on: date  # 灵活就业登记
    groups: frozenset[str]
    graduation_date: date | None
    months_claimed: int
    months_subsidised_before: int
    paid_fen: int  # pension + medical + unemployment the person paid in the period
    years_to_retirement: int | None = None


def flexible_employment_facts(f: FlexibleEmployment) -> dict[str, Any]:
    first = date(int(f.claim_period[:4]), int(f.claim_period[5:7]), 1)
    return {
        "claim_period": f.claim_period,
        "groups": sorted(f.groups),
        "registered_flexible": f.registered_flexible_on <= first
        or f.registered_flexible_on.strftime("%Y-%m") == f.claim_period,
        # 离校2年内未就业高校毕业生: counted from leaving school to the first month claimed.
        "within_two_years_of_leaving_school": f.graduation_date is not None
        and f.graduation_date < first <= add_years(f.graduation_date, 2),
        "months_after_claim": f.months_subsidised_before + f.months_claimed,
        "years_to_retirement": f.years_to_retirement,
        "paid_fen": f.paid_fen,
    }
