"""The one place that maps proto events to talent-card's domain, and back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from suxin.common.v1 import common_pb2 as common
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.talent.v1 import events_pb2 as pb
from suxin.training.v1 import events_pb2 as training
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.messaging.runner import PoisonMessage
from suxin_common.protodates import from_proto_date, to_proto_date
from talent_card.domain.model import Card, CardLevel, Hire, TalentFlow

# Only a full-time job changes whom a talent works for; gig, part-time, internship and
# public-welfare posts sit beside it (or are not a talent's employer at all).
MOVING_JOB_KINDS = frozenset({hiring.JOB_KIND_FULL_TIME})


def hire(e: hiring.HireRecorded) -> Hire:
    """The hire an event reports; PoisonMessage if it lacks what a flow needs."""
    hire_id = _uuid(e.hire_id, "HireRecorded.hire_id")
    missing = [
        name for name in ("person_key", "enterprise_uscc", "city_code") if not getattr(e, name)
    ]
    if not e.HasField("start_date"):
        missing.append("start_date")
    if missing:
        raise PoisonMessage(f"HireRecorded {hire_id} lacks {', '.join(missing)}")
    return Hire(
        hire_id=hire_id,
        person_key=e.person_key,
        enterprise_uscc=e.enterprise_uscc,
        city_code=e.city_code,
        start_date=from_proto_date(e.start_date, "HireRecorded.start_date"),
        industry_code=e.industry_code or None,
        moves_holder=e.job_kind in MOVING_JOB_KINDS,
    )


@dataclass(frozen=True)
class HireConfirmation:
    """A HireConfirmed: the hire is real (``by``: person, offer_accepted, social_insurance)."""

    hire_id: uuid.UUID
    by: str


def hire_confirmation(e: hiring.HireConfirmed) -> HireConfirmation:
    by = hiring.HireConfirmation.Name(e.confirmed_by).removeprefix("HIRE_CONFIRMATION_")
    return HireConfirmation(_uuid(e.hire_id, "HireConfirmed.hire_id"), by.lower())


@dataclass(frozen=True)
class RecordedHire:
    """A HireRecorded as talent-card's handlers see it: the hire, its job kind's code, what it
    shows about the person and employer (the criteria's attributes) and the event it came in
    (offers cite it)."""

    hire: Hire
    job_kind: str
    attributes: dict[str, object]
    event_id: str


def hire_recorded(e: hiring.HireRecorded, meta: EventMeta) -> RecordedHire:
    """The translation of a HireRecorded, once for every handler of it."""
    return RecordedHire(
        hire=hire(e),
        job_kind=job_kind_name(e.job_kind),
        attributes=hire_attributes(e),
        event_id=meta.id,
    )


def job_kind_name(kind: int) -> str:
    return hiring.JobKind.Name(kind).removeprefix("JOB_KIND_").lower()


@dataclass(frozen=True)
class EmploymentEnd:
    hire_id: uuid.UUID
    person_key: str
    enterprise_uscc: str
    city_code: str
    industry_code: str | None
    job_kind: str
    end_date: date
    moves_holder: bool = True  # the end of a full-time job: the card loses its employer


def employment_end(e: hiring.EmploymentEnded) -> EmploymentEnd:
    hire_id = _uuid(e.hire_id, "EmploymentEnded.hire_id")
    if not (e.person_key and e.enterprise_uscc and e.city_code and e.HasField("end_date")):
        raise PoisonMessage(f"EmploymentEnded {hire_id} lacks person, enterprise, city or date")
    return EmploymentEnd(
        hire_id=hire_id,
        person_key=e.person_key,
        enterprise_uscc=e.enterprise_uscc,
        city_code=e.city_code,
        industry_code=e.industry_code or None,
        job_kind=job_kind_name(e.job_kind),
        end_date=from_proto_date(e.end_date, "EmploymentEnded.end_date"),
        moves_holder=e.job_kind in MOVING_JOB_KINDS,
    )


def _level_code(enum_type, value: int, prefix: str) -> str | None:
    return None if value == 0 else enum_type.Name(value).removeprefix(prefix).lower()


def hire_attributes(e: hiring.HireRecorded) -> dict[str, object]:
    """What a hire shows about the person and employer, in the criteria's attribute codes."""
    attributes: dict[str, object] = {
        "key_enterprise": bool(e.key_monitored or e.specialized_sme or e.little_giant)
    }
    skill = _level_code(common.SkillLevel, e.skill_level, "SKILL_LEVEL_")
    title = _level_code(common.ProfessionalTitle, e.professional_title, "PROFESSIONAL_TITLE_")
    education = _level_code(hiring.Education, e.education, "EDUCATION_")
    for name, value in (
        ("skill_level", skill),
        ("professional_title", title),
        ("education", education),
    ):
        if value:
            attributes[name] = value
    return attributes


def training_attributes(e: training.TrainingCertified) -> dict[str, object]:
    skill = _level_code(common.SkillLevel, e.skill_level, "SKILL_LEVEL_")
    return {"skill_level": skill} if skill else {}


def training_certified_on(e: training.TrainingCertified) -> date:
    if not (e.voucher_id and e.person_key and e.HasField("certified_on")):
        raise PoisonMessage("TrainingCertified lacks voucher, person or certification date")
    return from_proto_date(e.certified_on, "TrainingCertified.certified_on")


@dataclass(frozen=True)
class Certification:
    """A TrainingCertified as the offer handler sees it."""

    voucher_id: str
    person_key: str
    city_code: str
    certified_on: date
    attributes: dict[str, object]
    event_id: str


def training_certified(e: training.TrainingCertified, meta: EventMeta) -> Certification:
    return Certification(
        voucher_id=e.voucher_id,
        person_key=e.person_key,
        city_code=e.city_code,
        certified_on=training_certified_on(e),
        attributes=training_attributes(e),
        event_id=meta.id,
    )


def talent_flow_recorded(f: TalentFlow, level: CardLevel) -> pb.TalentFlowRecorded:
    return pb.TalentFlowRecorded(
        flow_id=str(f.id),
        card_id=str(f.card_id),
        person_key=f.person_key,
        hire_id=str(f.hire_id),
        from_uscc=f.origin.employer_uscc or "",
        to_uscc=f.destination.employer_uscc or "",
        from_city_code=f.origin.city_code,
        to_city_code=f.destination.city_code,
        flowed_on=to_proto_date(f.flowed_on),
        recorded_at=_timestamp(f.recorded_at),
        from_industry_code=f.origin.industry_code or "",
        to_industry_code=f.destination.industry_code or "",
        level=_level(level),
    )


def card_issued(card: Card) -> pb.CardIssued:
    return pb.CardIssued(
        card_id=str(card.id),
        person_key=card.person_key,
        level=_level(card.level),
        city_code=card.position.city_code,
        valid_until=to_proto_date(card.valid_until),
        proactive=card.proactive,
        criteria_version=card.criteria_version or "",
        issued_at=_timestamp(card.issued_at),
    )


def card_status_changed(card: Card, reason: str, at: datetime) -> pb.CardStatusChanged:
    return pb.CardStatusChanged(
        card_id=str(card.id),
        person_key=card.person_key,
        status=pb.CardStatus.Value(f"CARD_STATUS_{card.status.name}"),
        reason=reason,
        version=card.version,
        changed_at=_timestamp(at),
    )


def _level(level: CardLevel) -> int:
    return pb.CardLevel.Value(f"CARD_LEVEL_{level.value}")


def _timestamp(at: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise PoisonMessage(f"{name} is not a UUID") from None
