"""Commands job-matching accepts (imperative; one handler each)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from job_matching.domain.model import (
    ContractType,
    Education,
    EnterpriseSize,
    JobKind,
    KeyGroup,
    PostStatus,
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


@dataclass(frozen=True)
class RecordHire:
    enterprise_uscc: str
    seeker_id: uuid.UUID
    job_post_id: uuid.UUID
    start_date: date
    contract_type: ContractType
    contract_months: int
    monthly_wage_fen: int
