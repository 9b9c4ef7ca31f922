"""The one place that maps job-matching's domain events to their proto contracts, and the
events of other contexts this service consumes to its domain objects (inbox notices)."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from job_matching.domain import enterprise_notices, model
from job_matching.domain import notifications as person_notices
from job_matching.domain.enterprise_notices import EnterpriseNotice
from job_matching.domain.notifications import Notice
from suxin.common.v1 import common_pb2 as common
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as pb
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.protodates import to_proto_date

_GENDER = {"male": pb.GENDER_MALE, "female": pb.GENDER_FEMALE}


def _timestamp(at: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def _education(e: model.Education | None) -> int:
    return pb.Education.Value(f"EDUCATION_{e.name}") if e else pb.EDUCATION_UNSPECIFIED


def _key_groups(groups) -> list[int]:
    return sorted(pb.KeyGroup.Value(f"KEY_GROUP_{g.name}") for g in groups)


def _job_kind(kind: model.JobKind) -> int:
    return pb.JobKind.Value(f"JOB_KIND_{kind.name}")


def _skill_level(level: model.SkillLevel | None) -> int:
    return common.SkillLevel.Value(f"SKILL_LEVEL_{level.name}") if level else 0


def _title(title: model.ProfessionalTitle | None) -> int:
    return common.ProfessionalTitle.Value(f"PROFESSIONAL_TITLE_{title.name}") if title else 0


def hire_recorded(e: model.HireRecorded) -> pb.HireRecorded:
    return pb.HireRecorded(
        hire_id=str(e.hire_id),
        version=e.version,
        enterprise_uscc=e.enterprise.uscc,
        enterprise_name=e.enterprise.name,
        industry_code=e.enterprise.industry_code,
        specialized_sme=e.enterprise.specialized_sme,
        little_giant=e.enterprise.little_giant,
        key_monitored=e.enterprise.key_monitored,
        city_code=e.post.city_code,
        district_code=e.post.district_code,
        person_key=e.seeker.person_key,
        masked_resident_id=e.seeker.masked_resident_id,
        gender=_GENDER[e.seeker.gender],
        birth_year=e.seeker.birth_year,
        age_at_start=e.seeker.age_on(e.terms.start_date),
        education=_education(e.seeker.education),
        graduation_date=to_proto_date(e.seeker.graduation_date),
        key_groups=_key_groups(e.seeker.key_groups),
        job_post_id=str(e.post.id),
        occupation_code=e.post.occupation_code,
        job_kind=_job_kind(e.post.kind),
        contract_type=pb.ContractType.Value(f"CONTRACT_TYPE_{e.terms.contract_type.name}"),
        contract_months=e.terms.contract_months,
        start_date=to_proto_date(e.terms.start_date),
        monthly_wage_fen=e.terms.monthly_wage_fen,
        recorded_at=_timestamp(e.recorded_at),
        skill_level=_skill_level(e.seeker.skill_level),
        professional_title=_title(e.seeker.professional_title),
        application_id=str(e.application_id) if e.application_id else "",
        previously_unemployed=e.seeker.previously_unemployed,
        enterprise_size=common.EnterpriseSize.Value(f"ENTERPRISE_SIZE_{e.enterprise.size.name}"),
    )


def employment_ended(e: model.EmploymentEnded) -> pb.EmploymentEnded:
    s = e.snapshot
    return pb.EmploymentEnded(
        hire_id=str(e.hire_id),
        version=e.version,
        enterprise_uscc=s.enterprise_uscc,
        person_key=s.person_key,
        city_code=s.city_code,
        district_code=s.district_code,
        industry_code=s.industry_code,
        job_kind=_job_kind(s.job_kind),
        end_date=to_proto_date(e.end_date),
        reason=pb.SeparationReason.Value(f"SEPARATION_REASON_{e.reason.name}"),
        specialized_sme=s.specialized_sme,
        little_giant=s.little_giant,
        key_monitored=s.key_monitored,
        key_groups=_key_groups(s.key_groups),
        skill_level=_skill_level(s.skill_level),
        professional_title=_title(s.professional_title),
        recorded_at=_timestamp(e.recorded_at),
    )


def job_post_opened(e: model.JobPostOpened) -> pb.JobPostOpened:
    p = e.post
    return pb.JobPostOpened(
        job_post_id=str(p.id),
        version=p.version,
        enterprise_uscc=p.enterprise_uscc,
        city_code=p.city_code,
        district_code=p.district_code,
        industry_code=p.industry_code,
        occupation_code=p.occupation_code,
        job_kind=_job_kind(p.kind),
        headcount=p.headcount,
        wage_min_fen=p.wage_min_fen,
        wage_max_fen=p.wage_max_fen,
        min_education=_education(p.min_education),
        specialized_zone=p.specialized_zone,
        opened_at=_timestamp(e.opened_at),
    )


def job_post_closed(e: model.JobPostClosed) -> pb.JobPostClosed:
    p = e.post
    return pb.JobPostClosed(
        job_post_id=str(p.id),
        version=p.version,
        enterprise_uscc=p.enterprise_uscc,
        city_code=p.city_code,
        district_code=p.district_code,
        occupation_code=p.occupation_code,
        reason=pb.JobPostCloseReason.Value(f"JOB_POST_CLOSE_REASON_{e.reason.name}"),
        hires_made=p.hired,
        closed_at=_timestamp(e.closed_at),
    )


def application_submitted(e: model.ApplicationSubmitted) -> pb.ApplicationSubmitted:
    return pb.ApplicationSubmitted(
        application_id=str(e.application_id),
        job_post_id=str(e.post.id),
        enterprise_uscc=e.post.enterprise_uscc,
        person_key=e.seeker.person_key,
        city_code=e.post.city_code,
        district_code=e.post.district_code,
        occupation_code=e.post.occupation_code,
        job_kind=_job_kind(e.post.kind),
        key_groups=_key_groups(e.seeker.key_groups),
        submitted_at=_timestamp(e.submitted_at),
    )


def hire_confirmed(e: model.HireConfirmed) -> pb.HireConfirmed:
    return pb.HireConfirmed(
        hire_id=str(e.hire_id),
        version=e.version,
        enterprise_uscc=e.enterprise_uscc,
        person_key=e.person_key,
        start_date=to_proto_date(e.start_date),
        job_kind=_job_kind(e.job_kind),
        confirmed_by=pb.HireConfirmation.Value(f"HIRE_CONFIRMATION_{e.confirmed_by.name}"),
        evidence_ref=e.evidence_ref or "",
        confirmed_at=_timestamp(e.confirmed_at),
    )


def job_fair_held(fair, counts: dict[str, int], held_at: datetime) -> pb.JobFairHeld:
    """A held fair (domain.job_fairs.JobFair) with what it gathered."""
    return pb.JobFairHeld(
        job_fair_id=str(fair.id),
        name=fair.name,
        mode=pb.JobFairMode.Value(f"JOB_FAIR_MODE_{fair.mode.name}"),
        theme=pb.JobFairTheme.Value(f"JOB_FAIR_THEME_{fair.theme.name}"),
        city_code=fair.city_code,
        district_code=fair.district_code or "",
        starts_on=to_proto_date(fair.starts_on),
        ends_on=to_proto_date(fair.ends_on),
        booths=counts["booths"],
        job_posts=counts["job_posts"],
        positions=counts["positions"],
        registrations=counts["registrations"],
        check_ins=counts["check_ins"],
        held_at=_timestamp(held_at),
    )


# --- inbound: events of any context that land in an inbox ------------------------------------
# Translated at the consumer edge (consumers.py): each event, with its envelope (the event id
# and time), becomes a notice, or None when it concerns no person (站内消息) or no enterprise
# (单位消息).


def _at(message: Message, field: str, meta: EventMeta) -> datetime:
    if message.HasField(field):
        return getattr(message, field).ToDatetime(tzinfo=UTC)
    return meta.time


_CLAIM_STAGES = {
    insurance.CLAIM_STAGE_REPORTED: "reported",
    insurance.CLAIM_STAGE_UNDER_REVIEW: "under_review",
    insurance.CLAIM_STAGE_APPROVED: "approved",
    insurance.CLAIM_STAGE_REJECTED: "rejected",
    insurance.CLAIM_STAGE_PAID: "paid",
}
_CARD_LEVELS = {talent.CARD_LEVEL_A: "A", talent.CARD_LEVEL_B: "B", talent.CARD_LEVEL_C: "C"}


def notice_of_case_opened(event: subsidy.SubsidyCaseOpened, meta: EventMeta) -> Notice | None:
    if not event.person_key:
        return None
    return person_notices.subsidy_case_opened(
        person_key=event.person_key,
        event_id=meta.id,
        case_id=event.case_id,
        family=event.rule_family,
        awaiting_data=event.awaiting_data,
        at=_at(event, "opened_at", meta),
    )


def notice_of_case_decided(event: subsidy.SubsidyCaseDecided, meta: EventMeta) -> Notice | None:
    if not event.person_key or event.decision not in (
        subsidy.DECISION_APPROVED,
        subsidy.DECISION_REJECTED,
    ):
        return None
    return person_notices.subsidy_case_decided(
        person_key=event.person_key,
        event_id=meta.id,
        case_id=event.case_id,
        family=event.rule_family,
        approved=event.decision == subsidy.DECISION_APPROVED,
        at=_at(event, "decided_at", meta),
    )


def notice_of_claim_stage(event: insurance.ClaimStageChanged, meta: EventMeta) -> Notice | None:
    stage = _CLAIM_STAGES.get(event.stage)
    if not event.person_key or stage is None:
        return None
    return person_notices.claim_stage_changed(
        person_key=event.person_key,
        event_id=meta.id,
        claim_id=event.claim_id,
        stage=stage,
        amount_fen=event.amount_fen,
        reason=event.reason,
        at=_at(event, "changed_at", meta),
    )


def notice_of_card_issued(event: talent.CardIssued, meta: EventMeta) -> Notice | None:
    if not event.person_key:
        return None
    return person_notices.card_issued(
        person_key=event.person_key,
        event_id=meta.id,
        card_id=event.card_id,
        level=_CARD_LEVELS.get(event.level, ""),
        proactive=event.proactive,
        at=meta.time,
    )


def notice_of_hire_confirmed(event: pb.HireConfirmed, meta: EventMeta) -> Notice | None:
    if not event.person_key:
        return None
    return person_notices.hire_confirmed(
        person_key=event.person_key,
        event_id=meta.id,
        hire_id=event.hire_id,
        at=_at(event, "confirmed_at", meta),
    )


GIG_STATUS = {
    gig.GIG_APPLICATION_STATUS_INVITED: "invited",
    gig.GIG_APPLICATION_STATUS_APPLIED: "applied",
    gig.GIG_APPLICATION_STATUS_CONFIRMED: "confirmed",
    gig.GIG_APPLICATION_STATUS_COMPLETED: "completed",
    gig.GIG_APPLICATION_STATUS_DECLINED: "declined",
    gig.GIG_APPLICATION_STATUS_WITHDRAWN: "withdrawn",
}


def notice_of_gig_application(event: gig.GigApplicationChanged, meta: EventMeta) -> Notice | None:
    if not event.person_key or event.status not in GIG_STATUS:
        return None
    return person_notices.gig_application_changed(
        person_key=event.person_key,
        event_id=meta.id,
        application_id=event.application_id,
        status=GIG_STATUS[event.status],
        invited=event.invited,
        title=event.posting_title,
        at=_at(event, "changed_at", meta),
    )


def enterprise_notice_of_application(
    e: pb.ApplicationSubmitted, meta: EventMeta
) -> EnterpriseNotice | None:
    if not e.enterprise_uscc:
        return None
    return enterprise_notices.application_received(
        uscc=e.enterprise_uscc,
        event_id=meta.id,
        application_id=e.application_id,
        job_post_id=e.job_post_id,
        at=_at(e, "submitted_at", meta),
    )


def enterprise_notice_of_gig_application(
    e: gig.GigApplicationChanged, meta: EventMeta
) -> EnterpriseNotice | None:
    if not e.poster_uscc or e.status not in GIG_STATUS:
        return None
    return enterprise_notices.gig_application_changed(
        uscc=e.poster_uscc,
        event_id=meta.id,
        posting_id=e.posting_id,
        status=GIG_STATUS[e.status],
        invited=e.invited,
        title=e.posting_title,
        at=_at(e, "changed_at", meta),
    )


def enterprise_notice_of_case_opened(
    e: subsidy.SubsidyCaseOpened, meta: EventMeta
) -> EnterpriseNotice | None:
    if not e.enterprise_uscc:
        return None
    return enterprise_notices.subsidy_case_opened(
        uscc=e.enterprise_uscc,
        event_id=meta.id,
        case_id=e.case_id,
        family=e.rule_family,
        amount_fen=e.amount_fen,
        at=_at(e, "opened_at", meta),
    )


def enterprise_notice_of_case_decided(
    e: subsidy.SubsidyCaseDecided, meta: EventMeta
) -> EnterpriseNotice | None:
    if not e.enterprise_uscc or e.decision not in (
        subsidy.DECISION_APPROVED,
        subsidy.DECISION_REJECTED,
    ):
        return None
    return enterprise_notices.subsidy_case_decided(
        uscc=e.enterprise_uscc,
        event_id=meta.id,
        case_id=e.case_id,
        family=e.rule_family,
        approved=e.decision == subsidy.DECISION_APPROVED,
        at=_at(e, "decided_at", meta),
    )
