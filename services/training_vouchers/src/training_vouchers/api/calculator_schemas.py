"""Bodies of the policy calculator (政策计算器) for the support items beyond hires, births and
enterprise years: 求职补贴, 创业担保贷款, 创业示范基地, 高技能人员/智能化改造 awards, 苏岗贷 and
灵活就业社保补贴. Each names the facts its rules read; what cannot be true in the domain is a 422
naming the field (see api/calculator.py)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator

from suxin_common.identity import Uscc
from training_vouchers.api.schemas import MAX_FEN, MONTH, Input
from training_vouchers.domain.model import Education
from training_vouchers.domain.unit_type import UnitType

Hardship = Literal[
    "minimum_living_allowance_family",  # 低保家庭
    "poverty_alleviated_family",  # 脱贫家庭（含防止返贫监测对象）
    "disabled",  # 本人残疾
    "disabled_family",  # 残疾人家庭
    "national_student_loan",  # 获得国家助学贷款
    "destitute",  # 特困人员
]
BorrowerGroup = Literal[
    "registered_unemployed",
    "employment_difficulty",
    "veteran",
    "released_prisoner",
    "college_graduate",
    "overcapacity_worker",
    "returning_migrant_worker",
    "online_merchant",
    "poverty_alleviated",
    "rural_entrepreneur",
]


class JobSearchIn(Input):
    applied_on: date
    graduation_date: date
    education: Education
    hardships: list[Hardship] = Field(default_factory=list, max_length=6)


class StartupLoanIn(Input):
    loan_id: str = Field(min_length=1, max_length=64)
    applied_on: date
    borrower_kind: Literal["individual", "small_micro_enterprise"]
    borrower_groups: list[BorrowerGroup] = Field(default_factory=list, max_length=10)
    amount_fen: int = Field(gt=0, le=MAX_FEN)
    term_months: int = Field(ge=1, le=600)
    interest_paid_fen: int = Field(default=0, ge=0, le=MAX_FEN)
    guarantee_fee_charged_fen: int = Field(default=0, ge=0, le=MAX_FEN)
    enterprise_uscc: Uscc | None = None
    graduation_date: date | None = None
    new_hires_share_bp: int | None = Field(default=None, ge=0, le=10000)
    defaults_on_record: bool = False
    employees: int | None = Field(
        default=None, ge=1, le=10_000_000, description="小微企业现有在职职工人数 (over 100: 8%)"
    )


class StartupBaseYearIn(Input):
    base_id: str = Field(min_length=1, max_length=64)
    year: int = Field(ge=2000, le=2100)
    level: Literal["district", "municipal", "provincial", "national"]
    recognised_on: date
    passed_annual_review: bool
    entities_incubated: int = Field(ge=0, le=1_000_000)
    jobs_created: int = Field(ge=0, le=10_000_000)


class InnovationProjectIn(Input):
    project_id: str = Field(min_length=1, max_length=64)
    enterprise_uscc: Uscc
    unit_type: UnitType | None = Field(
        default=None, description="the 市场监管 registry's type; derived from the USCC when unset"
    )
    kind: Literal["key_process_innovation", "intelligent_upgrade"]
    completed_on: date
    investment_fen: int = Field(ge=0, le=MAX_FEN)
    high_skill_staff: int = Field(default=0, ge=0, le=1_000_000)


class EnterpriseLoanIn(Input):
    application_id: str = Field(min_length=1, max_length=64)
    enterprise_uscc: Uscc
    unit_type: UnitType | None = None
    applied_on: date
    established_on: date
    insured_headcount: int = Field(ge=0, le=10_000_000)
    new_hires_last_year: int = Field(ge=0, le=10_000_000)
    layoff_rate_bp: int = Field(ge=0, le=10000)
    labour_violations: int = Field(default=0, ge=0, le=10_000)
    wage_arrears: bool = False


class FlexibleEmploymentIn(Input):
    claim_period: str = Field(description="YYYY-MM, the first month claimed")
    registered_flexible_on: date
    groups: list[Literal["employment_difficulty", "college_graduate"]] = Field(max_length=2)
    graduation_date: date | None = None
    months_claimed: int = Field(ge=1, le=36)
    months_subsidised_before: int = Field(default=0, ge=0, le=600)
    paid_fen: int = Field(ge=0, le=MAX_FEN)
    years_to_retirement: int | None = Field(
        default=None,
        ge=0,
        le=60,
        description="full years left before the statutory retirement age (不足5年: 4 or fewer)",
    )

    @field_validator("claim_period")
    @classmethod
    def _month(cls, v: str) -> str:
        if not MONTH.fullmatch(v):
            raise ValueError("claim_period must be YYYY-MM")
        return v
