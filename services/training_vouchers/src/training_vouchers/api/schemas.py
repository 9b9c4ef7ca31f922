"""Request and response bodies of the training-vouchers API."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field, field_validator, model_validator

from suxin_common.codes import label
from suxin_common.freetext import FreeText
from suxin_common.identity import ResidentId, Uscc
from suxin_common.regions import city_of
from suxin_common.web import InputModel
from training_vouchers.domain.model import (
    CaseStatus,
    ContractType,
    DeliveryMode,
    Education,
    EnterpriseSize,
    JobKind,
    KeyGroup,
)
from training_vouchers.domain.policy import Policy, Rule
from training_vouchers.domain.unit_type import UnitType

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
PERSON_KEY = r"^pk_[0-9a-f]{32}$"
MAX_FEN = 10**12  # ten billion yuan: anything above is a typo


class Input(InputModel):
    """A request body: unknown fields are refused (no mass assignment of status, amounts or
    ids), strings stripped and bounded."""


def _district(code: str | None) -> str | None:
    if code is None:
        return None
    if len(code) != 6:
        raise ValueError("district code must be 6 digits")
    city_of(code)
    return code


class SubsidyCaseOut(BaseModel):
    id: uuid.UUID
    rule_family: str
    trigger: str
    occasion: str
    hire_id: uuid.UUID | None
    enterprise_uscc: str
    person_key: str | None = Field(
        description="pseudonymous person key; shown to HRSS staff only, null for enterprises"
    )
    city_code: str | None
    district_code: str | None
    rule_id: str
    rule_version: str = Field(description="version of the policy that decided the case")
    delivery_mode: DeliveryMode
    amount_fen: int = Field(description="amount in fen (分)")
    inputs: dict[str, Any] = Field(
        description="the facts the rule used, as accepted sources stated them (null: none did)"
    )
    sources: dict[str, Any] = Field(
        description=(
            "事实来源 (provenance) of each fact the rule read: source (declared, staff, "
            "confirmed_hire, identity, or the department of an authority feed), as_of date and "
            "evidence_ref; `declared` holds what was only declared"
        )
    )
    waiting_for: list[dict[str, Any]] = Field(
        description=(
            "待核验 (awaiting verification): each fact the case needs, the accepted_sources "
            "that would settle it and the declared value; empty unless it waits"
        )
    )
    reasons: list[str]
    status: CaseStatus
    opened_at: datetime
    review_deadline: date | None = Field(
        description="last day of the review (20 working days); null while awaiting data"
    )
    review_deadline_provisional: bool = Field(
        description="counted Monday to Friday: the holiday calendar does not know that year yet"
    )
    overdue: bool
    decision_reason: str | None
    decided_at: datetime | None
    paid_at: datetime | None
    payment_reference: str | None
    rule_amount_fen: int | None = Field(
        default=None, description="what the rule computed, when staff granted less"
    )
    reduction_reason: str | None = None
    decided_by: str | None = Field(
        default=None, description="staff who proposed the decision (maker); staff only"
    )
    approved_by: str | None = Field(
        default=None, description="staff who confirmed the approval (checker); staff only"
    )
    pending_approval_id: uuid.UUID | None = Field(
        default=None,
        description="a proposed approval waiting for a second staff member (POST "
        "/v1/approvals/{id}/check)",
    )
    pending_required_level: str | None = None
    reopened_by_appeal: uuid.UUID | None = None

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)


class ReplayOut(BaseModel):
    case_id: uuid.UUID
    rule_id: str
    rule_version: str
    verdict: str
    amount_fen: int
    reasons: list[str]
    same_as_stored: bool


# One vocabulary for decisions in every service (as injury claims say it): approved, rejected,
# returned. The imperative forms this API first took are still read, as the same decisions.
_LEGACY_DECISIONS = {"approve": "approved", "reject": "rejected", "return": "returned"}


class DecisionIn(Input):
    decision: Literal["approved", "rejected", "returned"] = Field(
        description="决定 / the decision: approved (批准), rejected (不予批准) or returned "
        "(退回补正); approve/reject/return are read as the same"
    )

    @field_validator("decision", mode="before")
    @classmethod
    def _one_vocabulary(cls, value: Any) -> Any:
        return _LEGACY_DECISIONS.get(value, value) if isinstance(value, str) else value

    reason: FreeText | None = Field(default=None, max_length=2000)
    amount_fen: int | None = Field(
        default=None,
        ge=0,
        description="approve only: the amount to grant, at most what the rule computed "
        "(less needs a reason); absent grants the rule's amount",
    )


class ResubmissionIn(Input):
    note: FreeText = Field(min_length=1, max_length=2000)


class PaymentIn(Input):
    reference: str = Field(min_length=1, max_length=100, description="payment voucher number")


class _PersonRef(Input):
    """Who: a resident ID (turned into a person key at once, never stored) or a person key."""

    resident_id: ResidentId | None = None
    person_key: str | None = Field(default=None, pattern=PERSON_KEY)

    @model_validator(mode="after")
    def _one_person(self):
        if (self.resident_id is None) == (self.person_key is None):
            raise ValueError("give exactly one of resident_id or person_key")
        return self


class EmployerShares(Input):
    pension_fen: int = Field(ge=0, le=MAX_FEN)
    medical_fen: int = Field(ge=0, le=MAX_FEN)
    unemployment_fen: int = Field(ge=0, le=MAX_FEN)
    work_injury_fen: int = Field(ge=0, le=MAX_FEN)
    maternity_fen: int = Field(ge=0, le=MAX_FEN)


class MonthIn(Input):
    month: str = Field(description="YYYY-MM")
    employer: EmployerShares
    employee_fen: int = Field(ge=0, le=MAX_FEN, description="the employee's own share")

    @field_validator("month")
    @classmethod
    def _month(cls, v: str) -> str:
        if not MONTH.fullmatch(v):
            raise ValueError("month must be YYYY-MM")
        return v


class ContributionsIn(_PersonRef):
    enterprise_uscc: Uscc
    months: list[MonthIn] = Field(min_length=1, max_length=120)


class ContributionsOut(BaseModel):
    months_recorded: int
    cases_changed: list[uuid.UUID]


class BirthIn(_PersonRef):
    enterprise_uscc: Uscc
    birth_date: date
    child_order: int = Field(ge=1, le=20)
    employee_gender: Literal["female", "male"] | None = Field(
        default=None, description="needed with person_key; read from the resident ID otherwise"
    )
    district_code: str | None = None

    _check_district = field_validator("district_code")(lambda cls, v: _district(v))


class EnterpriseYearIn(Input):
    enterprise_uscc: Uscc
    year: int = Field(ge=2000, le=2100)
    enterprise_size: EnterpriseSize
    insured_headcount: int = Field(ge=0, le=10_000_000)
    layoffs: int = Field(ge=0, le=10_000_000)
    unemployment_insurance_paid_fen: int = Field(ge=0, le=MAX_FEN)
    contributions_in_arrears: bool
    district_code: str | None = None
    unit_type: UnitType | None = Field(
        default=None, description="the 市场监管 registry's type; derived from the USCC when unset"
    )

    _check_district = field_validator("district_code")(lambda cls, v: _district(v))


class CasesOpenedOut(BaseModel):
    cases: list[uuid.UUID]


# --- policy calculator ----------------------------------------------------------------------


class HypotheticalHire(Input):
    start_date: date
    education: Education | None = None
    graduation_date: date | None = None
    key_groups: list[KeyGroup] = Field(default_factory=list, max_length=10)
    job_kind: JobKind
    contract_type: ContractType
    contract_months: int = Field(default=0, ge=0, le=600)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    birth_date: date | None = Field(
        default=None,
        description="出生日期: ages (16-24) count to the day; by year of birth alone by year",
    )
    previously_unemployed: bool = False
    enterprise_size: EnterpriseSize | None = None
    district_code: str | None = None
    social_insurance_months: int | None = Field(
        default=None, ge=0, le=600, description="months paid so far; unset: not yet known"
    )
    unemployment_insurance_months: int | None = Field(default=None, ge=0, le=600)
    enterprise_uscc: Uscc | None = Field(
        default=None, description="the employing unit: its type (GB 32100) decides exclusions"
    )
    unit_type: UnitType | None = Field(
        default=None, description="the 市场监管 registry's type; derived from the USCC when unset"
    )

    _check_district = field_validator("district_code")(lambda cls, v: _district(v))


class HypotheticalBirth(Input):
    birth_date: date
    child_order: int = Field(ge=1, le=20)
    employee_gender: Literal["female", "male"] = "female"
    months: list[MonthIn] = Field(default_factory=list, max_length=12)
    enterprise_uscc: Uscc | None = Field(
        default=None, description="the employer: 机关事业单位 are excluded (seed 003)"
    )
    unit_type: UnitType | None = None
    employment_ended_on: date | None = Field(
        default=None, description="last day at this employer, if she left"
    )


class CalculatorIn(Input):
    hire: HypotheticalHire | None = None
    birth: HypotheticalBirth | None = None
    enterprise_year: EnterpriseYearIn | None = None

    @model_validator(mode="after")
    def _something(self):
        if self.hire is None and self.birth is None and self.enterprise_year is None:
            raise ValueError("describe a hire, a birth or an enterprise year")
        return self


class RuleResultOut(BaseModel):
    rule_id: str
    rule_family: str
    name_zh: str
    name_en: str
    trigger: str = Field(description="the kind of situation the rule looks at")
    verdict: Literal["met", "not_met", "pending", "not_evaluated"]
    granted: bool = Field(description="the rule its family would pay (no stacking)")
    amount_fen: int
    reasons: list[str] = Field(description="each condition, met or not, and how the amount is made")
    why_not: str | None = Field(description="why the rule would pay nothing, if it would not")
    source: str | None = Field(default=None, description="the seed sentence or national document")
    documented_defaults: list[str] = Field(
        default_factory=list, description="values not given by the seeds (documented defaults)"
    )


class CalculatorOut(BaseModel):
    policy_version: str | None
    amounts_confirmed: bool | None
    total_fen: int = Field(description="sum of what the met, granted rules would pay")
    results: list[RuleResultOut]
    note: str | None = Field(
        default=None, description="why nothing was evaluated (no policy version on the day)"
    )


# --- policies -------------------------------------------------------------------------------


class PolicyRuleOut(BaseModel):
    id: str
    family: str
    trigger: str
    name_zh: str
    name_en: str
    delivery_mode: DeliveryMode
    definition: dict[str, Any] = Field(description="conditions and amount, as configured")

    @classmethod
    def of(cls, rule: Rule) -> PolicyRuleOut:
        return cls(
            id=rule.id,
            family=rule.family,
            trigger=rule.trigger.value,
            name_zh=rule.name_zh,
            name_en=rule.name_en,
            delivery_mode=rule.delivery_mode,
            definition={
                "conditions": rule.document.get("conditions"),
                "amount": rule.document.get("amount"),
            },
        )


class PolicyOut(BaseModel):
    version: str
    effective_from: date
    review_working_days: int
    amounts_confirmed: bool = Field(
        description="false while default amounts are not yet taken from a policy notice"
    )
    families: list[dict[str, str]]
    tables: dict[str, Any]
    rules: list[PolicyRuleOut]

    @classmethod
    def of(cls, policy: Policy) -> PolicyOut:
        return cls(
            version=policy.version,
            effective_from=policy.effective_from,
            review_working_days=policy.review_working_days,
            amounts_confirmed=policy.amounts_confirmed,
            families=[
                {"id": f.id, "name_zh": f.name_zh, "name_en": f.name_en, "occasion": f.occasion}
                for f in policy.families.values()
            ],
            tables=dict(policy.tables),
            rules=[PolicyRuleOut.of(r) for r in policy.rules],
        )
