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


class SkillLevel(StrEnum):
    """职业技能等级, five levels from 五级/初级工 to 一级/高级技师."""

    JUNIOR_WORKER = "junior_worker"
    INTERMEDIATE_WORKER = "intermediate_worker"
    SENIOR_WORKER = "senior_worker"
    TECHNICIAN = "technician"
    SENIOR_TECHNICIAN = "senior_technician"


class ProfessionalTitle(StrEnum):
    """专业技术职称."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    ASSOCIATE_SENIOR = "associate_senior"
    SENIOR = "senior"


class SeparationReason(StrEnum):
    """离职原因."""

    RESIGNATION = "resignation"
    DISMISSAL = "dismissal"
    CONTRACT_EXPIRY = "contract_expiry"
    ECONOMIC_LAYOFF = "economic_layoff"
    RETIREMENT = "retirement"
    OTHER = "other"


class PostCloseReason(StrEnum):
    FILLED = "filled"
    CLOSED = "closed"
    EXPIRED = "expired"


EDUCATION_RANK: dict[Education, int] = {e: i for i, e in enumerate(Education)}


class TransitionRefused(Exception):
    """A state change the lifecycle does not allow (answered as 409)."""


# Job post lifecycle (岗位状态): draft -> open -> filled | closed. A filled post may still be
# closed (taken off the list); nothing reopens a closed post.
POST_TRANSITIONS: dict[PostStatus, frozenset[PostStatus]] = {
    PostStatus.DRAFT: frozenset({PostStatus.OPEN, PostStatus.CLOSED}),
    PostStatus.OPEN: frozenset({PostStatus.FILLED, PostStatus.CLOSED}),
    PostStatus.FILLED: frozenset({PostStatus.CLOSED}),
    PostStatus.CLOSED: frozenset(),
}


def check_post_transition(current: PostStatus, wanted: PostStatus) -> None:
    if wanted not in POST_TRANSITIONS[current]:
        raise TransitionRefused(f"a {current.value} job post cannot become {wanted.value}")


class ApplicationStatus(StrEnum):
    """求职申请状态."""

    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"  # 入围
    OFFERED = "offered"  # 发放录用意向
    ACCEPTED = "accepted"  # 求职者接受录用意向 (a hire from it is confirmed by the person)
    HIRED = "hired"  # 录用 (closes the loop through POST /v1/hires)
    REJECTED = "rejected"  # 不合适
    WITHDRAWN = "withdrawn"  # 求职者撤回


# Who may move an application where: the enterprise reviews, the seeker withdraws, and the
# hire (recorded by the enterprise) closes it. Terminal states have no way out.
APPLICATION_TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.SHORTLISTED,
            ApplicationStatus.OFFERED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.SHORTLISTED: frozenset(
        {ApplicationStatus.OFFERED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.OFFERED: frozenset(
        {ApplicationStatus.HIRED, ApplicationStatus.WITHDRAWN, ApplicationStatus.ACCEPTED}
    ),
    ApplicationStatus.ACCEPTED: frozenset({ApplicationStatus.HIRED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.HIRED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}


def check_application_transition(current: ApplicationStatus, wanted: ApplicationStatus) -> None:
    if wanted not in APPLICATION_TRANSITIONS[current]:
        raise TransitionRefused(f"a {current.value} application cannot become {wanted.value}")


class HireConfirmation(StrEnum):
    """How a recorded hire became real (录用确认方式); a hire with none is only declared."""

    PERSON = "person"  # 本人确认 the hire the enterprise filed
    OFFER_ACCEPTED = "offer_accepted"  # the person accepted the offer before the hire
    SOCIAL_INSURANCE = "social_insurance"  # 社保 shows the enrolment with this employer


@dataclass(frozen=True)
class HireConfirmed:
    """Event: a recorded hire was confirmed (carries no raw personal data)."""

    hire_id: uuid.UUID
    version: int
    enterprise_uscc: str
    person_key: str
    start_date: date
    job_kind: JobKind
    confirmed_by: HireConfirmation
    evidence_ref: str | None
    confirmed_at: datetime


@dataclass(frozen=True)
class Hire:
    """A recorded hire as the service keeps it (录用): the enterprise's declaration, its end if
    the employment ended, and whether and how it became real (confirmed or denied)."""

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
    confirmed_by: HireConfirmation | None = None
    confirmed_at: datetime | None = None
    denied_at: datetime | None = None

    @property
    def confirmation(self) -> str:
        """declared (the enterprise's word only), confirmed or denied."""
        if self.confirmed_by is not None:
            return "confirmed"
        return "denied" if self.denied_at is not None else "declared"


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

    @property
    def in_specialized_zone(self) -> bool:
        """Its posts are listed in the 专精特新 recruitment zone (专精特新专区)."""
        return self.specialized_sme or self.little_giant


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
    skill_level: SkillLevel | None = None
    professional_title: ProfessionalTitle | None = None
    previously_unemployed: bool = False
    # From the resident ID; None for seekers registered before dates of birth were kept.
    birth_date: date | None = None

    def age_on(self, day: date) -> int:
        """Age in whole years (周岁) on `day`: one more on each birthday (a 29 February birthday
        falls on 1 March in other years). By year of birth alone when the date is not known or
        the year was corrected since (a profile correction changes the year, not the date)."""
        born = self.birth_date
        if born is None or born.year != self.birth_year:
            return day.year - self.birth_year
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_recent_graduate(graduation_date: date | None, today: date) -> bool:
    """Graduated within the last two years (离校两年内), the window graduate policies use."""
    if graduation_date is None or graduation_date > today:
        return False
    try:
        two_years_on = graduation_date.replace(year=graduation_date.year + 2)
    except ValueError:  # 29 February
        two_years_on = graduation_date.replace(year=graduation_date.year + 2, day=28)
    return today <= two_years_on


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
    version: int = 1
    industry_code: str = ""
    min_education: Education | None = None
    wage_min_fen: int = 0
    wage_max_fen: int = 0
    specialized_zone: bool = False


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
    application_id: uuid.UUID | None = None


@dataclass(frozen=True)
class HireSnapshot:
    """What a hire's event said about the job and the person, kept so that the separation
    event can repeat it (consumers undo the hire's contribution without a lookup)."""

    person_key: str
    enterprise_uscc: str
    city_code: str
    district_code: str
    industry_code: str
    job_kind: JobKind
    specialized_sme: bool
    little_giant: bool
    key_monitored: bool
    key_groups: frozenset[KeyGroup]
    skill_level: SkillLevel | None
    professional_title: ProfessionalTitle | None


def check_separation(start_date: date, end_date: date, today: date) -> None:
    """A separation ends on or after the first working day and not in the future."""
    if end_date < start_date:
        raise HireRejected("end_date is before the hire's start_date", "end_date")
    if end_date > today:
        raise HireRejected(
            "end_date is in the future; record the separation when it happens", "end_date"
        )


@dataclass(frozen=True)
class EmploymentEnded:
    """Event: a recorded hire ended (解除/终止劳动关系)."""

    hire_id: uuid.UUID
    version: int
    snapshot: HireSnapshot
    end_date: date
    reason: SeparationReason
    recorded_at: datetime


@dataclass(frozen=True)
class JobPostOpened:
    """Event: a job post was opened to applicants (岗位发布)."""

    post: JobPost
    opened_at: datetime


@dataclass(frozen=True)
class JobPostClosed:
    """Event: a job post stopped taking applicants (岗位关闭)."""

    post: JobPost
    reason: PostCloseReason
    closed_at: datetime


@dataclass(frozen=True)
class ApplicationSubmitted:
    """Event: a job seeker applied to a job post (求职申请)."""

    application_id: uuid.UUID
    post: JobPost
    seeker: Seeker
    submitted_at: datetime


@dataclass(frozen=True)
class Actor:
    """Who acts, as far as ownership goes: HRSS staff, one enterprise, or one seeker account.

    Objects of another tenant are answered as not found (404), never as forbidden. HRSS staff
    act only on objects in their district scope (`districts`, division-code prefixes; None for
    province-level staff): an enterprise-side object by its job post's district, a person by
    the district that serves them.
    """

    staff: bool = False
    uscc: str | None = None  # set for the enterprise role
    subject: str | None = None  # set for the seeker role
    districts: tuple[str, ...] | None = None  # staff district scope; None: the province

    def sees_district(self, code: str | None) -> bool:
        """Whether staff may act on an object in division `code` (always, province-wide)."""
        if self.districts is None:
            return True
        return code is not None and any(code.startswith(prefix) for prefix in self.districts)

    def owns_enterprise(self, uscc: str, district_code: str | None) -> bool:
        """The enterprise itself, or staff of the object's district."""
        if self.uscc is not None and self.uscc == uscc:
            return True
        return self.staff and self.sees_district(district_code)

    def owns_seeker(self, account_subject: str | None, district_code: str | None) -> bool:
        """The person's own account, or staff of the district that serves them."""
        if self.subject is not None and self.subject == account_subject:
            return True
        return self.staff and self.sees_district(district_code)

    def is_the_seeker(self, account_subject: str | None) -> bool:
        """The person themself (whose own reads are not audited)."""
        return self.subject is not None and self.subject == account_subject
