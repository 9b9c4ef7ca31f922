"""Commands job-matching accepts (imperative; one handler each)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from job_matching.domain.employment_services import Programme, ServiceKind
from job_matching.domain.model import (
    ApplicationStatus,
    ContractType,
    Education,
    EnterpriseSize,
    JobKind,
    KeyGroup,
    PostCloseReason,
    PostStatus,
    ProfessionalTitle,
    SeparationReason,
    SkillLevel,
)


@dataclass(frozen=True)
class RegisterEnterprise:
    uscc: str
    name: str
    city_code: str
    district_code: str
    industry_code: str
    size: EnterpriseSize
    specialized_sme: bool
    little_giant: bool
    key_monitored: bool


@dataclass(frozen=True)
class RegisterSeeker:
    resident_id: str  # raw: validated, encrypted and keyed by the handler, never stored as is
    education: Education
    graduation_date: date | None
    key_groups: frozenset[KeyGroup] = field(default_factory=frozenset)
    account_subject: str | None = None
    profile: SeekerProfileUpdate | None = None
    district_code: str | None = None  # the district whose employment office serves them


@dataclass(frozen=True)
class SeekerProfileUpdate:
    """The parts of a seeker's profile the seeker edits; None leaves a field as it is."""

    education: Education | None = None
    graduation_date: date | None = None
    key_groups: frozenset[KeyGroup] | None = None
    skills: tuple[str, ...] | None = None
    desired_occupations: tuple[str, ...] | None = None
    desired_regions: tuple[str, ...] | None = None
    desired_wage_fen: int | None = None
    skill_level: SkillLevel | None = None
    professional_title: ProfessionalTitle | None = None
    previously_unemployed: bool | None = None
    open_to_offers: bool | None = None
    # Fields explicitly set to null (to clear them), as opposed to left out.
    cleared: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PublishJobPost:
    enterprise_uscc: str
    title: str
    occupation_code: str
    district_code: str
    kind: JobKind
    headcount: int
    wage_min_fen: int
    wage_max_fen: int
    status: PostStatus = PostStatus.OPEN
    description: str = ""
    required_skills: tuple[str, ...] = ()
    min_education: Education | None = None


@dataclass(frozen=True)
class ChangePostStatus:
    job_post_id: uuid.UUID
    status: PostStatus  # OPEN or CLOSED; FILLED follows from hires
    reason: PostCloseReason = PostCloseReason.CLOSED


@dataclass(frozen=True)
class SubmitApplication:
    seeker_id: uuid.UUID
    job_post_id: uuid.UUID
    cover_letter: str = ""


@dataclass(frozen=True)
class ReviewApplication:
    """Enterprise review (shortlist, reject, offer) or the seeker's withdrawal."""

    application_id: uuid.UUID
    status: ApplicationStatus
    note: str = ""


@dataclass(frozen=True)
class RecordSeparation:
    hire_id: uuid.UUID
    end_date: date
    reason: SeparationReason


@dataclass(frozen=True)
class RecordServiceDelivered:
    seeker_id: uuid.UUID
    programme: Programme
    kind: ServiceKind
    delivered_by: str
    job_post_id: uuid.UUID | None = None
    note: str = ""


@dataclass(frozen=True)
class RecordHire:
    enterprise_uscc: str
    seeker_id: uuid.UUID
    job_post_id: uuid.UUID
    start_date: date
    contract_type: ContractType
    contract_months: int
    monthly_wage_fen: int
    application_id: uuid.UUID | None = None
