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


class CaseStatus(StrEnum):
    UNDER_REVIEW = "under_review"


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


@dataclass(frozen=True)
class SubsidyCase:
    """A subsidy case (补贴案件): one hire qualified under one rule of one policy version.

    At most one per (hire, rule). It records the rule, its version and the inputs it used, and
    must be reviewed by ``review_deadline`` (20 working days, seed 004).
    """

    id: uuid.UUID
    hire_id: uuid.UUID
    enterprise_uscc: str
    person_key: str
    rule_id: str
    rule_version: str
    delivery_mode: DeliveryMode
    amount_fen: int
    inputs: Mapping[str, Any]
    reasons: tuple[str, ...]
    status: CaseStatus
    opened_at: datetime
    review_deadline: date
    # True when counted with weekdays for a year the holiday calendar does not know yet.
    review_deadline_provisional: bool = False
