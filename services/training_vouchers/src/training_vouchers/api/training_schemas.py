"""Request and response bodies of the training routes (:mod:`training_vouchers.api.training`):
the occupation catalogue (工种), partner institutions and vouchers."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field, computed_field, field_validator, model_validator

from suxin_common.codes import label
from suxin_common.identity import ResidentId, Uscc
from suxin_common.regions import city_of
from suxin_common.web import InputModel
from training_vouchers.domain.training import (
    Eligibility,
    SkillLevel,
    TrainingKind,
    VoucherStatus,
)

OCCUPATION_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
MAX_FEN = 10**9


class _In(InputModel):
    """A request body: unknown fields are refused (no mass assignment of status, amounts,
    ids or institution), strings stripped and bounded."""


class OccupationIn(_In):
    name: str = Field(min_length=1, max_length=200)
    subsidy_fen: dict[SkillLevel, int] = Field(
        min_length=1, description="training subsidy per certified skill level, in fen"
    )
    digital_skills: bool = False
    shortage: bool = False
    specialised_sme_oriented: bool = False
    active: bool = True
    effective_from: date | None = Field(
        default=None, description="first day the new version is in force; today if absent"
    )

    @field_validator("subsidy_fen")
    @classmethod
    def _amounts(cls, v: dict[SkillLevel, int]) -> dict[SkillLevel, int]:
        if any(not 0 <= a <= MAX_FEN for a in v.values()):
            raise ValueError("amounts must be between 0 and 10,000,000 yuan in fen")
        return v


class OccupationOut(BaseModel):
    table_version: int = Field(description="the approved version of the table in force")
    code: str
    name: str
    subsidy_fen: dict[str, int]
    digital_skills: bool
    shortage: bool
    specialised_sme_oriented: bool
    active: bool


class InstitutionIn(_In):
    uscc: Uscc
    name: str = Field(min_length=1, max_length=200)
    district_code: str = Field(pattern=r"^\d{6}$")

    @field_validator("district_code")
    @classmethod
    def _district(cls, v: str) -> str:
        city_of(v)
        return v


class InstitutionOut(BaseModel):
    id: uuid.UUID
    uscc: str
    name: str
    city_code: str
    district_code: str | None
    active: bool

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)


class VoucherIn(_In):
    resident_id: ResidentId
    occupation_code: str = Field(pattern=OCCUPATION_CODE.pattern)
    training_kind: TrainingKind
    target_level: SkillLevel
    eligibility: Eligibility
    city_code: str = Field(pattern=r"^\d{4}$")
    district_code: str | None = Field(
        default=None, pattern=r"^\d{6}$", description="issuing district, within city_code"
    )
    valid_until: date | None = None

    @field_validator("city_code")
    @classmethod
    def _city(cls, v: str) -> str:
        return city_of(v)

    @model_validator(mode="after")
    def _district_in_city(self):
        if self.district_code is not None and not self.district_code.startswith(self.city_code):
            raise ValueError("district_code must lie within city_code")
        return self


class VoucherOut(BaseModel):
    id: uuid.UUID
    masked_resident_id: str
    person_key: str | None = Field(description="shown to HRSS staff only")
    occupation_code: str
    training_kind: TrainingKind
    target_level: SkillLevel
    eligibility: Eligibility | None = Field(description="shown to HRSS staff only")
    amount_fen: int
    valid_until: date
    city_code: str
    district_code: str | None
    status: VoucherStatus
    issued_at: datetime
    institution_id: uuid.UUID | None
    completed_on: date | None
    passed: bool | None
    certified_on: date | None
    skill_level: SkillLevel | None
    subsidy_fen: int | None = Field(description="training subsidy released on certification")
    table_version: int | None = Field(
        default=None, description="version of the occupation's table that priced the voucher"
    )
    subsidy_table_version: int | None = Field(
        default=None, description="version of the table that priced the released subsidy"
    )
    outcome: str | None

    @computed_field
    def occupation_name(self) -> str | None:
        return label("occupations", self.occupation_code)

    @computed_field
    def target_level_name(self) -> str | None:
        return label("skill-levels", self.target_level)

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)

    @computed_field
    def skill_level_name(self) -> str | None:
        return label("skill-levels", self.skill_level)


class CompletionIn(_In):
    completed_on: date
    passed: bool


class CertificationIn(_In):
    certified_on: date
    skill_level: SkillLevel


class OccupationVersionOut(BaseModel):
    code: str
    version: int
    status: str = Field(description="proposed | approved | refused")
    effective_from: date
    name: str
    subsidy_fen: dict[str, int]
    digital_skills: bool
    shortage: bool
    specialised_sme_oriented: bool
    active: bool
    proposed_by: str
    approved_by: str | None
    approval_id: uuid.UUID | None
