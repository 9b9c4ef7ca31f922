"""Request and response bodies of the job-matching API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, computed_field

from job_matching.domain.employment_services import Programme, ServiceKind
from job_matching.domain.model import (
    ApplicationStatus,
    ContractType,
    Education,
    EnterpriseSize,
    HireConfirmation,
    JobKind,
    KeyGroup,
    PostCloseReason,
    PostStatus,
    ProfessionalTitle,
    SeparationReason,
    SkillLevel,
)
from job_matching.reasons import part_name, reason_text
from suxin_common.codes import name_of, names_of
from suxin_common.freetext import FreeText
from suxin_common.i18n import current_language
from suxin_common.identity import ResidentId, Uscc
from suxin_common.regions import (
    IndustrySection,
    JiangsuCityCode,
    JiangsuDistrictCode,
    city_of,
)
from suxin_common.web import InputModel


def _label(table: str, code: str | None) -> str | None:
    """A code's name beside it: Chinese, or English where the table has it and was asked."""
    return name_of(table, code, current_language.get())


def _labels(table: str, codes: list[str] | None) -> list[str | None]:
    return names_of(table, codes, current_language.get())


def _region(code: str) -> str:
    city_of(code)
    return code


Fen = Field(ge=0, le=10_000_000_00, description="amount in fen (分)")
OCCUPATION_PATTERN = r"^\d-\d{2}-\d{2}-\d{2}$"
OccupationCode = Annotated[
    str, Field(pattern=OCCUPATION_PATTERN, description="职业分类大典 code, e.g. 4-04-05-03")
]
Skill = Annotated[str, Field(min_length=1, max_length=40)]
Region = Annotated[
    str,
    AfterValidator(_region),
    Field(description="Jiangsu city (4 digits) or district (6 digits) code"),
]


class Strict(InputModel):
    """Request bodies: the kit's InputModel (unknown fields are a 422, no mass assignment)."""


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

    @computed_field
    def city_name(self) -> str | None:
        return _label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return _label("regions", self.district_code)

    @computed_field
    def industry_name(self) -> str | None:
        return _label("industries", self.industry_code)

    @computed_field
    def size_name(self) -> str | None:
        return _label("enterprise-sizes", self.size)


class SeekerProfileIn(Strict):
    """The parts of a profile a seeker edits (PATCH: fields left out stay as they are)."""

    education: Education | None = None
    graduation_date: date | None = None
    key_groups: list[KeyGroup] | None = Field(None, max_length=len(KeyGroup))
    skills: list[Skill] | None = Field(None, max_length=30)
    desired_occupations: list[OccupationCode] | None = Field(None, max_length=5)
    desired_regions: list[Region] | None = Field(None, max_length=5)
    desired_wage_fen: int | None = Field(None, ge=0, le=10_000_000_00, description="in fen")
    skill_level: SkillLevel | None = None
    professional_title: ProfessionalTitle | None = None
    previously_unemployed: bool | None = Field(None, description="registered unemployed (失业登记)")
    open_to_offers: bool | None = Field(None, description="enterprises may find this profile")


class SeekerIn(SeekerProfileIn):
    resident_id: ResidentId
    education: Education
    district_code: JiangsuDistrictCode | None = Field(
        None,
        description="district whose employment office serves the person (default: the "
        "household-registration district of the resident ID, if in Jiangsu)",
    )
    key_groups: list[KeyGroup] = Field(default_factory=list, max_length=len(KeyGroup))


class SeekerOut(BaseModel):
    id: uuid.UUID
    masked_resident_id: str
    district_code: str | None = None
    gender: str
    birth_year: int
    education: Education
    graduation_date: date | None
    recent_graduate: bool = Field(description="graduated within two years (离校两年内)")
    key_groups: list[KeyGroup]
    skills: list[str]
    desired_occupations: list[str]
    desired_regions: list[str]
    desired_wage_fen: int | None
    skill_level: SkillLevel | None
    professional_title: ProfessionalTitle | None
    previously_unemployed: bool
    open_to_offers: bool

    @computed_field
    def district_name(self) -> str | None:
        return _label("regions", self.district_code)

    @computed_field
    def education_name(self) -> str | None:
        return _label("education-levels", self.education)

    @computed_field
    def key_group_names(self) -> list[str | None]:
        return _labels("key-groups", list(self.key_groups))

    @computed_field
    def desired_occupation_names(self) -> list[str | None]:
        return _labels("occupations", self.desired_occupations)

    @computed_field
    def desired_region_names(self) -> list[str | None]:
        return _labels("regions", self.desired_regions)

    @computed_field
    def skill_level_name(self) -> str | None:
        return _label("skill-levels", self.skill_level)

    @computed_field
    def professional_title_name(self) -> str | None:
        return _label("professional-titles", self.professional_title)


class JobPostIn(Strict):
    enterprise_uscc: Uscc
    title: str = Field(min_length=2, max_length=200)
    occupation_code: OccupationCode
    district_code: JiangsuDistrictCode
    kind: JobKind
    headcount: int = Field(ge=1, le=10_000)
    wage_min_fen: int = Fen
    wage_max_fen: int = Fen
    status: Literal[PostStatus.DRAFT, PostStatus.OPEN] = PostStatus.OPEN
    description: FreeText = Field("", max_length=5000)
    required_skills: list[Skill] = Field(default_factory=list, max_length=30)
    min_education: Education | None = None


class JobPostOut(BaseModel):
    id: uuid.UUID
    enterprise_uscc: str | None = None
    enterprise_name: str | None = None
    title: str | None = None
    description: str | None = None
    occupation_code: str | None = None
    city_code: str | None = None
    district_code: str | None = None
    kind: JobKind | None = None
    status: PostStatus | None = None
    headcount: int | None = None
    hired: int | None = None
    wage_min_fen: int | None = None
    wage_max_fen: int | None = None
    required_skills: list[str] | None = None
    min_education: Education | None = None
    specialized_zone: bool | None = Field(None, description="listed in the 专精特新 zone")
    opened_at: datetime | None = None

    @computed_field
    def occupation_name(self) -> str | None:
        return _label("occupations", self.occupation_code)

    @computed_field
    def city_name(self) -> str | None:
        return _label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return _label("regions", self.district_code)

    @computed_field
    def kind_name(self) -> str | None:
        return _label("job-kinds", self.kind)

    @computed_field
    def min_education_name(self) -> str | None:
        return _label("education-levels", self.min_education)


class PostStatusIn(Strict):
    status: Literal[PostStatus.OPEN, PostStatus.CLOSED]
    reason: Literal[PostCloseReason.CLOSED, PostCloseReason.EXPIRED] = PostCloseReason.CLOSED


class ScorePart(BaseModel):
    """One part of the score: `part` and `code` are machine codes; `part_name` and `reason`
    are text in the request's language (Chinese unless `Accept-Language: en`)."""

    part: str
    weight: int
    points: float
    code: str = Field(description="machine code of the reason, e.g. skills_covered")
    facts: dict[str, int] = Field(default_factory=dict, description="numbers in the reason")

    @computed_field
    def part_name(self) -> str:
        return part_name(self.part)

    @computed_field
    def reason(self) -> str:
        return reason_text(self.code, self.facts)


class JobMatchOut(BaseModel):
    """A recommended job and why ("why this job")."""

    score: float = Field(description="0-100, see the service README")
    breakdown: list[ScorePart]
    matched_skills: list[str]
    missing_skills: list[str]
    job_post: JobPostOut


class SeekerSummary(BaseModel):
    """What an enterprise sees of a candidate: no resident ID, no key groups."""

    id: uuid.UUID
    education: Education
    skills: list[str]
    skill_level: SkillLevel | None
    professional_title: ProfessionalTitle | None
    desired_wage_fen: int | None

    @computed_field
    def education_name(self) -> str | None:
        return _label("education-levels", self.education)

    @computed_field
    def skill_level_name(self) -> str | None:
        return _label("skill-levels", self.skill_level)


class SeekerMatchOut(BaseModel):
    score: float
    breakdown: list[ScorePart]
    matched_skills: list[str]
    missing_skills: list[str]
    seeker: SeekerSummary


class ApplicationIn(Strict):
    seeker_id: uuid.UUID
    job_post_id: uuid.UUID
    cover_letter: FreeText = Field("", max_length=2000)


class ReviewIn(Strict):
    note: FreeText = Field("", max_length=2000)


class ApplicationOut(BaseModel):
    id: uuid.UUID
    seeker_id: uuid.UUID
    job_post_id: uuid.UUID
    enterprise_uscc: str
    status: ApplicationStatus
    cover_letter: str
    note: str
    submitted_at: datetime
    updated_at: datetime


class SeparationIn(Strict):
    end_date: date
    reason: SeparationReason


class ServiceIn(Strict):
    programme: Programme
    kind: ServiceKind
    job_post_id: uuid.UUID | None = None
    note: FreeText = Field("", max_length=1000)


class ServiceOut(BaseModel):
    id: uuid.UUID
    programme: Programme
    kind: ServiceKind
    job_post_id: uuid.UUID | None
    note: str
    delivered_at: datetime


class ProgrammeBalance(BaseModel):
    programme: Programme
    delivered: dict[ServiceKind, int]
    owed: dict[ServiceKind, int]
    complete: bool


class SeekerServicesOut(BaseModel):
    seeker_id: uuid.UUID
    programmes: list[ProgrammeBalance]
    delivered: list[ServiceOut]


class OwedOut(BaseModel):
    seeker_id: uuid.UUID
    masked_resident_id: str
    programmes: list[ProgrammeBalance]


class HireIn(Strict):
    enterprise_uscc: Uscc
    seeker_id: uuid.UUID
    job_post_id: uuid.UUID
    start_date: date
    contract_type: ContractType
    contract_months: int = Field(ge=0, le=240, description="0 for an open-ended contract")
    monthly_wage_fen: int = Fen
    application_id: uuid.UUID | None = Field(None, description="the offered application, if any")


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
    application_id: uuid.UUID | None = None
    end_date: date | None = None
    end_reason: SeparationReason | None = None
    confirmation: Literal["declared", "confirmed", "denied"] = Field(
        "declared",
        description=(
            "录用确认: declared (the enterprise's word only), confirmed (by the person, the "
            "accepted offer or 社保 enrolment) or denied (by the person)"
        ),
    )
    confirmed_by: HireConfirmation | None = None
    confirmed_at: datetime | None = None
