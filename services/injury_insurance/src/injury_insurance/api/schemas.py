"""Response bodies of the injury-insurance API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, computed_field, model_validator

from injury_insurance.domain.benefits import InjuryCategory
from injury_insurance.domain.claims import ClaimStage
from injury_insurance.domain.model import CoverageStatus, Scheme
from injury_insurance.domain.orders import Industry
from suxin_common.codes import label
from suxin_common.freetext import FreeText
from suxin_common.identity import Uscc
from suxin_common.reasons import Rendered
from suxin_common.regions import JiangsuCityCode, JiangsuDistrictCode
from suxin_common.web import InputModel


class CoverageOut(BaseModel):
    id: uuid.UUID
    hire_id: uuid.UUID | None
    person_key: str
    masked_resident_id: str
    enterprise_uscc: str
    scheme: Scheme
    status: CoverageStatus
    start_date: date
    city_code: str
    district_code: str | None
    started_at: datetime
    worker_id: str | None
    end_date: date | None
    ended_at: datetime | None

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)


# --- platform work ---------------------------------------------------------------------------


class CoveringOrderOut(BaseModel):
    platform_uscc: str
    order_id: str
    industry: Industry
    accepted_at: datetime
    ended_at: datetime | None
    covered_until: datetime  # end of the window: the reported end, or the cap while open


class CoverAt(BaseModel):
    """Whether a worker was covered at an instant, and by which orders."""

    at: datetime
    covered: bool
    orders: list[CoveringOrderOut]


class LedgerLine(BaseModel):
    industry: Industry
    orders: int
    contribution_fen: int


class LedgerOut(BaseModel):
    """Contributions a platform owes for the orders accepted in one month (缴费台账)."""

    platform_uscc: str
    month: str
    lines: list[LedgerLine]
    orders: int
    contribution_fen: int


class ReconciliationLine(BaseModel):
    industry: Industry
    ledger_orders: int
    ledger_fen: int
    recomputed_orders: int
    recomputed_fen: int
    balanced: bool


class ReconciliationOut(BaseModel):
    """The ledger of a month against a recount of its cover rows (对账)."""

    platform_uscc: str
    month: str
    balanced: bool
    lines: list[ReconciliationLine]


# --- claims ----------------------------------------------------------------------------------


class ClaimIn(InputModel):
    """An injury report (报案): who, when, where, in which order, what happened. The stage, the
    amount and the covering order are not the reporter's to set (unknown fields are a 422)."""

    platform_uscc: Uscc
    worker_id: str = Field(min_length=1, max_length=64)
    injured_at: AwareDatetime
    place: FreeText = Field(min_length=1, max_length=200)
    city_code: JiangsuCityCode
    district_code: JiangsuDistrictCode | None = Field(
        default=None, description="district (区/县) of the injury, within city_code"
    )
    order_id: str | None = Field(default=None, min_length=1, max_length=64)
    description: FreeText = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _district_in_city(self) -> ClaimIn:
        if self.district_code is not None and not self.district_code.startswith(self.city_code):
            raise ValueError("district_code must lie in city_code")
        return self


class DecisionIn(InputModel):
    """The review's decision (认定): approved with an amount, or rejected with a reason."""

    decision: Literal["approved", "rejected"]
    # The schema bound only stops typos; the benefit schedule bounds the amount (422 naming
    # amount_fen and the limit).
    amount_fen: int | None = Field(default=None, ge=1, le=100_000_000_00)
    injury_category: InjuryCategory | None = Field(
        default=None, description="伤情类别: the schedule row that bounds the amount"
    )
    reason: FreeText | None = Field(default=None, min_length=1, max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> DecisionIn:
        if self.decision == "approved" and self.amount_fen is None:
            raise ValueError("an approval needs amount_fen")
        if self.decision == "approved" and self.injury_category is None:
            raise ValueError("an approval needs injury_category")
        if self.decision == "rejected" and not self.reason:
            raise ValueError("a rejection needs a reason")
        if self.decision == "rejected" and self.amount_fen is not None:
            raise ValueError("a rejection has no amount")
        return self


class PaymentIn(InputModel):
    """The benefit was paid (待遇支付): the payment's reference in the fund's system."""

    reference: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")


class ClaimOut(BaseModel):
    id: uuid.UUID
    platform_uscc: str
    worker_id: str
    person_key: str
    injured_at: datetime
    place: str
    city_code: str
    district_code: str | None
    order_id: str | None
    description: str
    stage: ClaimStage
    version: int
    reason: Rendered | None  # a stored reason code, or what staff wrote
    amount_fen: int
    covering_order_id: str | None
    industry: Industry | None
    payment_reference: str | None
    created_at: datetime
    updated_at: datetime
    decided_by: str | None = None
    approved_by: str | None = None
    injury_category: str | None = None
    schedule_version: str | None = None
    pending_approval_id: uuid.UUID | None = Field(
        default=None, description="a proposal waiting for a second staff member"
    )
    pending_required_level: str | None = None

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)


class ClaimStepOut(BaseModel):
    version: int
    stage: ClaimStage
    actor: str
    reason: Rendered | None  # a stored reason code, or what staff wrote
    amount_fen: int
    at: datetime
