"""Training-vouchers domain model: the facts of a hire as the subsidy rules see them, and the
subsidy case (补贴案件) a qualifying hire opens.

Pure code: no I/O. The vocabulary is this service's own; ``contracts.py`` maps the proto events
onto it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


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
    VETERAN = "veteran"
    DISABLED = "disabled"
    DISPLACED_BY_DIGITAL_TRANSFORMATION = "displaced_by_digital_transformation"
    MIGRANT_WORKER = "migrant_worker"


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


class DeliveryMode(StrEnum):
    """How a subsidy reaches the beneficiary (兑现方式)."""

    NO_APPLICATION = "no_application"  # 免申即享: granted from data already held
    INSTANT_ON_APPLICATION = "instant_on_application"  # 即申即享
    DIRECT_FAST = "direct_fast"  # 直补快办


class EnterpriseSize(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class CaseStatus(StrEnum):
    """Where a subsidy case stands. Allowed moves are in ``domain/review.py``."""

    # 待数据/待核验: a condition waits for social-insurance data, or for a declared fact to be
    # verified by an accepted source (the case's waiting_for says which)
    AWAITING_DATA = "awaiting_data"
    UNDER_REVIEW = "under_review"  # 审核中: the 20 working days run
    RETURNED = "returned"  # 退回补充材料: staff asked the enterprise for information
    APPROVED = "approved"  # 审核通过
    REJECTED = "rejected"  # 不予通过
    PAID = "paid"  # 已拨付


@dataclass(frozen=True)
class HireFacts:
    """What the subsidy rules may know about a hire (from HireRecorded). No raw personal data.

    Fields the publisher left unspecified are ``None``; a rule that needs one is then not met.
    """

    hire_id: uuid.UUID
    enterprise_uscc: str
    person_key: str
    start_date: date
    education: Education | None = None
    graduation_date: date | None = None
    key_groups: frozenset[KeyGroup] = field(default_factory=frozenset)
    job_kind: JobKind | None = None
    contract_type: ContractType | None = None
    contract_months: int = 0  # 0 for an open-ended contract
    city_code: str | None = None
    district_code: str | None = None
    enterprise_size: EnterpriseSize | None = None
    birth_year: int | None = None
    # Age in whole years (周岁) on start_date, counted to the day by job-matching from the date
    # of birth; None in hires recorded before it was carried (the year of birth counts then).
    age_at_start: int | None = None
    previously_unemployed: bool = False
    occupation_code: str | None = None
    # The employing unit's type from the 市场监管 registry (domain/unit_type.py), when known;
    # otherwise the rules derive it from the USCC.
    unit_type: str | None = None


@dataclass(frozen=True)
class SubsidyCase:
    """A subsidy case (补贴案件): one beneficiary qualified (or waits for data to qualify) under
    one rule of one policy version.

    At most one per (rule family, subject, occasion): the subject is the person (person key) for
    person-based families, the enterprise (USCC) for enterprise-level ones, so rules of one
    family never stack and a person is paid once. It records the rule, its version and the
    inputs it used, and must be reviewed by ``review_deadline`` (20 working days, seed 004),
    which starts when its data is complete.
    """

    id: uuid.UUID
    rule_family: str
    subject_key: str
    occasion: str
    trigger: str
    hire_id: uuid.UUID | None
    enterprise_uscc: str
    person_key: str | None
    city_code: str | None
    district_code: str | None
    rule_id: str
    rule_version: str
    delivery_mode: DeliveryMode
    amount_fen: int
    inputs: Mapping[str, Any]
    reasons: tuple[str, ...]
    status: CaseStatus
    opened_at: datetime
    review_deadline: date | None
    # True when counted with weekdays for a year the holiday calendar does not know yet.
    review_deadline_provisional: bool = False
    review_started_at: datetime | None = None
    decision_reason: str | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None
    paid_at: datetime | None = None
    payment_reference: str | None = None
    version: int = 1
    # Each fact the decision read: its source, as-of date and evidence reference (JSON), and
    # what was only declared.
    sources: Mapping[str, Any] = field(default_factory=dict)
    # While awaiting verification: each fact it needs, the sources that would settle it, and
    # the declared value (JSON objects).
    waiting_for: tuple[Mapping[str, Any], ...] = ()
    # Maker-checker (四眼原则): ``decided_by`` proposed the approval, ``approved_by`` confirmed
    # it. When staff granted less than the rule computed, ``rule_amount_fen`` keeps the rule's
    # amount and ``reduction_reason`` says why (staff may reduce, never raise).
    approved_by: str | None = None
    rule_amount_fen: int | None = None
    reduction_reason: str | None = None
    # The appeal (复核) that reopened the case, if one did.
    reopened_by_appeal: uuid.UUID | None = None
