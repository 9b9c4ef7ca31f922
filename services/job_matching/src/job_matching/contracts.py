"""The one place that maps job-matching's domain events to their proto contracts."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from job_matching.domain import model
from suxin.common.v1 import common_pb2 as common
from suxin.hiring.v1 import events_pb2 as pb
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
