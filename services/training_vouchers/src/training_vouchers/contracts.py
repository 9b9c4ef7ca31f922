"""The one place that maps proto events <-> training-vouchers' domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from google.protobuf.timestamp_pb2 import Timestamp

from suxin.common.v1 import common_pb2 as common
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.messaging.runner import PoisonMessage
from suxin_common.protodates import to_proto_date
from training_vouchers.domain.facts import EmploymentEnd
from training_vouchers.domain.model import (
    CaseStatus,
    ContractType,
    Education,
    EnterpriseSize,
    HireFacts,
    JobKind,
    KeyGroup,
    SubsidyCase,
)

E = TypeVar("E", bound=StrEnum)


def hire_facts(e: hiring.HireRecorded) -> HireFacts:
    """The facts of a HireRecorded the subsidy rules use: the translation of the HireRecorded
    subscription (once per event; PoisonMessage when a required field is missing or malformed).

    Unspecified enum values become ``None`` and values this service does not know yet (from a
    newer publisher) are treated the same way, so they never qualify for a rule by accident.
    """
    if not e.HasField("start_date"):
        raise PoisonMessage("HireRecorded has no start_date")
    if not e.enterprise_uscc or not e.person_key:
        raise PoisonMessage("HireRecorded lacks enterprise_uscc or person_key")
    return HireFacts(
        hire_id=_uuid(e.hire_id, "hire_id"),
        enterprise_uscc=e.enterprise_uscc,
        person_key=e.person_key,
        start_date=_date(e.start_date, "start_date"),
        education=_enum(hiring.Education, "EDUCATION_", e.education, Education),
        graduation_date=_date(e.graduation_date, "graduation_date")
        if e.HasField("graduation_date")
        else None,
        key_groups=frozenset(
            g
            for g in (_enum(hiring.KeyGroup, "KEY_GROUP_", v, KeyGroup) for v in e.key_groups)
            if g is not None
        ),
        job_kind=_enum(hiring.JobKind, "JOB_KIND_", e.job_kind, JobKind),
        contract_type=_enum(hiring.ContractType, "CONTRACT_TYPE_", e.contract_type, ContractType),
        contract_months=e.contract_months,
        city_code=e.city_code or None,
        district_code=e.district_code or None,
        enterprise_size=_enum(
            common.EnterpriseSize, "ENTERPRISE_SIZE_", e.enterprise_size, EnterpriseSize
        ),
        birth_year=e.birth_year or None,
        age_at_start=e.age_at_start or None,
        previously_unemployed=e.previously_unemployed,
        occupation_code=e.occupation_code or None,
    )


@dataclass(frozen=True)
class HireConfirmation:
    """A hire confirmed (HireConfirmed): by the person ("person", "offer_accepted") or 社保
    ("social_insurance")."""

    hire_id: uuid.UUID
    enterprise_uscc: str
    person_key: str
    start_date: date
    confirmed_by: str


def hire_confirmation(e: hiring.HireConfirmed) -> HireConfirmation:
    if not e.person_key or not e.enterprise_uscc or not e.HasField("start_date"):
        raise PoisonMessage("HireConfirmed lacks person_key, enterprise_uscc or start_date")
    by = _enum(hiring.HireConfirmation, "HIRE_CONFIRMATION_", e.confirmed_by, _Confirmation)
    return HireConfirmation(
        hire_id=_uuid(e.hire_id, "hire_id"),
        enterprise_uscc=e.enterprise_uscc,
        person_key=e.person_key,
        start_date=_date(e.start_date, "start_date"),
        confirmed_by=by.value if by else "unspecified",
    )


class _Confirmation(StrEnum):
    PERSON = "person"
    OFFER_ACCEPTED = "offer_accepted"
    SOCIAL_INSURANCE = "social_insurance"


def _timestamp(at) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(at)
    return ts


def subsidy_case_opened(case: SubsidyCase) -> subsidy.SubsidyCaseOpened:
    event = subsidy.SubsidyCaseOpened(
        case_id=str(case.id),
        hire_id=str(case.hire_id) if case.hire_id else "",
        enterprise_uscc=case.enterprise_uscc,
        person_key=case.person_key or "",
        rule_id=case.rule_id,
        rule_version=case.rule_version,
        amount_fen=case.amount_fen,
        delivery_mode=subsidy.DeliveryMode.Value(f"DELIVERY_MODE_{case.delivery_mode.name}"),
        opened_at=_timestamp(case.opened_at),
        rule_family=case.rule_family,
        city_code=case.city_code or "",
        district_code=case.district_code or "",
        awaiting_data=case.status is CaseStatus.AWAITING_DATA,
    )
    if case.review_deadline is not None:
        event.review_deadline.CopyFrom(to_proto_date(case.review_deadline))
    return event


def subsidy_case_review_started(case: SubsidyCase) -> subsidy.SubsidyCaseReviewStarted:
    assert case.review_deadline is not None and case.review_started_at is not None
    return subsidy.SubsidyCaseReviewStarted(
        case_id=str(case.id),
        rule_id=case.rule_id,
        rule_version=case.rule_version,
        rule_family=case.rule_family,
        enterprise_uscc=case.enterprise_uscc,
        person_key=case.person_key or "",
        amount_fen=case.amount_fen,
        review_deadline=to_proto_date(case.review_deadline),
        city_code=case.city_code or "",
        started_at=_timestamp(case.review_started_at),
    )


_DECISIONS = {
    CaseStatus.APPROVED: subsidy.DECISION_APPROVED,
    CaseStatus.REJECTED: subsidy.DECISION_REJECTED,
    CaseStatus.RETURNED: subsidy.DECISION_RETURNED,
}


def subsidy_case_decided(
    case: SubsidyCase, decided_on: date, in_time: bool
) -> subsidy.SubsidyCaseDecided:
    assert case.decided_at is not None
    event = subsidy.SubsidyCaseDecided(
        case_id=str(case.id),
        rule_id=case.rule_id,
        rule_version=case.rule_version,
        rule_family=case.rule_family,
        enterprise_uscc=case.enterprise_uscc,
        person_key=case.person_key or "",
        decision=_DECISIONS[case.status],
        reason=case.decision_reason or "",
        amount_fen=case.amount_fen if case.status is CaseStatus.APPROVED else 0,
        decided_on=to_proto_date(decided_on),
        decided_in_time=in_time,
        city_code=case.city_code or "",
        decided_at=_timestamp(case.decided_at),
    )
    if case.review_deadline is not None:
        event.review_deadline.CopyFrom(to_proto_date(case.review_deadline))
    return event


def subsidy_case_paid(
    case: SubsidyCase, payment_id: uuid.UUID | None = None, attempt: int = 0
) -> subsidy.SubsidyCasePaid:
    assert case.paid_at is not None
    return subsidy.SubsidyCasePaid(
        case_id=str(case.id),
        rule_family=case.rule_family,
        enterprise_uscc=case.enterprise_uscc,
        amount_fen=case.amount_fen,
        city_code=case.city_code or "",
        paid_at=_timestamp(case.paid_at),
        payment_id=str(payment_id) if payment_id else "",
        attempt=attempt,
    )


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise PoisonMessage(f"{name} is not a UUID") from None


def _date(d: Date, name: str) -> date:
    try:
        return date(d.year, d.month, d.day)
    except ValueError:
        raise PoisonMessage(f"{name} is not a valid date") from None


def _enum(proto_enum, prefix: str, value: int, domain: type[E]) -> E | None:
    if value not in proto_enum.values():
        return None
    name = proto_enum.Name(value).removeprefix(prefix).lower()
    try:
        return domain(name)
    except ValueError:  # "unspecified", or a value added to the contract after this service
        return None


def subsidy_case_deadline_recomputed(
    case: SubsidyCase, previous: date | None, schedule_year: int, at
) -> subsidy.SubsidyCaseDeadlineRecomputed:
    event = subsidy.SubsidyCaseDeadlineRecomputed(
        case_id=str(case.id),
        rule_family=case.rule_family,
        enterprise_uscc=case.enterprise_uscc,
        city_code=case.city_code or "",
        provisional=case.review_deadline_provisional,
        schedule_year=schedule_year,
        recomputed_at=_timestamp(at),
    )
    if previous is not None:
        event.previous_deadline.CopyFrom(to_proto_date(previous))
    if case.review_deadline is not None:
        event.review_deadline.CopyFrom(to_proto_date(case.review_deadline))
    return event


def employment_ended(e: hiring.EmploymentEnded) -> EmploymentEnd:
    """The translation of an EmploymentEnded (PoisonMessage when it lacks what is needed)."""
    if not e.enterprise_uscc or not e.person_key or not e.HasField("end_date"):
        raise PoisonMessage("EmploymentEnded lacks enterprise_uscc, person_key or end_date")
    return EmploymentEnd(
        _uuid(e.hire_id, "hire_id"),
        e.enterprise_uscc,
        e.person_key,
        _date(e.end_date, "end_date"),
    )
