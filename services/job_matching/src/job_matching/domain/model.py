"""Job-matching domain: enterprises (用人单位), seekers (求职者), job posts (岗位) and hires (录用).

Pure code: no I/O. The hire (录用) is the platform's central fact; recording one produces
:class:`HireRecorded`, which the other services react to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Education(StrEnum):
    JUNIOR_SECONDARY_OR_BELOW = "junior_secondary_or_below"
    SENIOR_SECONDARY = "senior_secondary"
    VOCATIONAL = "vocational"
    JUNIOR_COLLEGE = "junior_college"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class KeyGroup(StrEnum):
    """Key groups (重点群体) the policies single out."""

    COLLEGE_GRADUATE = "college_graduate"
    EMPLOYMENT_DIFFICULTY = "employment_difficulty"  # 就业困难人员
    POVERTY_ALLEVIATED = "poverty_alleviated"  # 脱贫人口
    VETERAN = "veteran"  # 退役军人
    DISABLED = "disabled"  # 残疾人
    DISPLACED_BY_DIGITAL_TRANSFORMATION = "displaced_by_digital_transformation"  # 智改数转
    MIGRANT_WORKER = "migrant_worker"  # 农民工


class JobKind(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    INTERNSHIP = "internship"  # 见习岗位
    PUBLIC_WELFARE = "public_welfare"  # 公益性岗位
    GIG = "gig"


class ContractType(StrEnum):
    FIXED_TERM = "fixed_term"
    OPEN_ENDED = "open_ended"
    PART_TIME = "part_time"
    INTERNSHIP_AGREEMENT = "internship_agreement"
    SERVICE_AGREEMENT = "service_agreement"


class PostStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"


class EnterpriseSize(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class HireRejected(Exception):
    """A hire that the rules do not allow; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Enterprise:
    uscc: str
    name: str
    city_code: str
    district_code: str
    industry_code: str
    size: EnterpriseSize
    specialized_sme: bool = False  # 专精特新
    little_giant: bool = False  # 专精特新"小巨人"
    key_monitored: bool = False  # 重点监测企业


@dataclass(frozen=True)
class Seeker:
    id: uuid.UUID
    person_key: str
    masked_resident_id: str
    gender: str
    birth_year: int
    education: Education
    graduation_date: date | None
    key_groups: frozenset[KeyGroup] = field(default_factory=frozenset)


@dataclass(frozen=True)
class JobPost:
    id: uuid.UUID
    enterprise_uscc: str
    title: str
    occupation_code: str
    city_code: str
    district_code: str
    kind: JobKind
    status: PostStatus
    headcount: int
    hired: int = 0


@dataclass(frozen=True)
class HireTerms:
    start_date: date
    contract_type: ContractType
    contract_months: int
    monthly_wage_fen: int


# Which contract types fit which kind of post.
_CONTRACTS_FOR_KIND: dict[JobKind, frozenset[ContractType]] = {
    JobKind.FULL_TIME: frozenset({ContractType.FIXED_TERM, ContractType.OPEN_ENDED}),
    JobKind.PART_TIME: frozenset({ContractType.PART_TIME}),
    JobKind.INTERNSHIP: frozenset({ContractType.INTERNSHIP_AGREEMENT}),
    JobKind.PUBLIC_WELFARE: frozenset({ContractType.FIXED_TERM}),
    JobKind.GIG: frozenset({ContractType.SERVICE_AGREEMENT, ContractType.PART_TIME}),
}


def check_hire(enterprise: Enterprise, post: JobPost, terms: HireTerms, today: date) -> None:
    """The rules a hire must satisfy; raises :class:`HireRejected` naming the field."""
    if post.enterprise_uscc != enterprise.uscc:
        raise HireRejected("the job post belongs to another enterprise", "job_post_id")
    if post.status is not PostStatus.OPEN:
        raise HireRejected(f"the job post is {post.status.value}, not open", "job_post_id")
    if post.hired >= post.headcount:
        raise HireRejected("the job post's headcount is already filled", "job_post_id")
    if terms.contract_type not in _CONTRACTS_FOR_KIND[post.kind]:
        allowed = ", ".join(sorted(c.value for c in _CONTRACTS_FOR_KIND[post.kind]))
        raise HireRejected(
            f"a {post.kind.value} post takes a contract of type {allowed}", "contract_type"
        )
    if terms.contract_type is ContractType.OPEN_ENDED and terms.contract_months != 0:
        raise HireRejected("an open-ended contract has contract_months 0", "contract_months")
    if terms.contract_type is not ContractType.OPEN_ENDED and terms.contract_months < 1:
        raise HireRejected("a fixed-term contract lasts at least one month", "contract_months")
    if (terms.start_date - today).days > 366:
        raise HireRejected("start_date is more than a year ahead", "start_date")
    if (today - terms.start_date).days > 366:
        raise HireRejected(
            "start_date is more than a year past; report it as a correction", "start_date"
        )


@dataclass(frozen=True)
class HireRecorded:
    """Event: an enterprise recorded a hire (录用). Carries no raw personal data."""

    hire_id: uuid.UUID
    version: int
    enterprise: Enterprise
    seeker: Seeker
    post: JobPost
    terms: HireTerms
    recorded_at: datetime
