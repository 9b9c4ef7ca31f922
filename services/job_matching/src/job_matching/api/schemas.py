"""Request and response bodies of the job-matching API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from job_matching.domain.model import (
    ContractType,
    Education,
    EnterpriseSize,
    JobKind,
    KeyGroup,
    PostStatus,
)
from suxin_common.identity import ResidentId, Uscc
from suxin_common.regions import IndustrySection, JiangsuCityCode, JiangsuDistrictCode

Fen = Field(ge=0, le=10_000_000_00, description="amount in fen (分)")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnterpriseIn(Strict):
    uscc: Uscc
    name: str = Field(min_length=2, max_length=200)
    city_code: JiangsuCityCode
    district_code: JiangsuDistrictCode
    industry_code: IndustrySection
    size: EnterpriseSize
    specialized_sme: bool = Field(False, description="专精特新 enterprise")
    little_giant: bool = Field(False, description='专精特新"小巨人" (implies specialized_sme)')
    key_monitored: bool = Field(False, description="重点监测企业")


class EnterpriseOut(BaseModel):
    uscc: str
    name: str
    city_code: str
    district_code: str
    industry_code: str
    size: EnterpriseSize
    specialized_sme: bool
    little_giant: bool
    key_monitored: bool


class SeekerIn(Strict):
    resident_id: ResidentId
    education: Education
    graduation_date: date | None = None
    key_groups: list[KeyGroup] = Field(default_factory=list, max_length=len(KeyGroup))


class SeekerOut(BaseModel):
    id: uuid.UUID
    masked_resident_id: str
    gender: str
    birth_year: int
    education: Education
    graduation_date: date | None
    key_groups: list[KeyGroup]


class JobPostIn(Strict):
    enterprise_uscc: Uscc
    title: str = Field(min_length=2, max_length=200)
    occupation_code: str = Field(
        pattern=r"^\d-\d{2}-\d{2}-\d{2}$", description="职业分类大典 code, e.g. 4-04-05-03"
    )
    district_code: JiangsuDistrictCode
    kind: JobKind
    headcount: int = Field(ge=1, le=10_000)
    wage_min_fen: int = Fen
    wage_max_fen: int = Fen
    status: PostStatus = PostStatus.OPEN


class JobPostOut(BaseModel):
    id: uuid.UUID


class HireIn(Strict):
    enterprise_uscc: Uscc
    seeker_id: uuid.UUID
    job_post_id: uuid.UUID
    start_date: date
    contract_type: ContractType
    contract_months: int = Field(ge=0, le=240, description="0 for an open-ended contract")
    monthly_wage_fen: int = Fen


class HireOut(BaseModel):
    id: uuid.UUID
    enterprise_uscc: str
    seeker_id: uuid.UUID
    job_post_id: uuid.UUID
    start_date: date
    contract_type: ContractType
    contract_months: int
    monthly_wage_fen: int
    recorded_at: datetime
