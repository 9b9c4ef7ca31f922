"""The one place that maps job-matching's domain events to their proto contracts."""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp

from job_matching.domain import model
from suxin.hiring.v1 import events_pb2 as pb
from suxin_common.protodates import to_proto_date

_GENDER = {"male": pb.GENDER_MALE, "female": pb.GENDER_FEMALE}


def hire_recorded(e: model.HireRecorded) -> pb.HireRecorded:
    recorded_at = Timestamp()
    recorded_at.FromDatetime(e.recorded_at)
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
        education=pb.Education.Value(f"EDUCATION_{e.seeker.education.name}"),
        graduation_date=to_proto_date(e.seeker.graduation_date),
        key_groups=sorted(pb.KeyGroup.Value(f"KEY_GROUP_{g.name}") for g in e.seeker.key_groups),
        job_post_id=str(e.post.id),
        occupation_code=e.post.occupation_code,
        job_kind=pb.JobKind.Value(f"JOB_KIND_{e.post.kind.name}"),
        contract_type=pb.ContractType.Value(f"CONTRACT_TYPE_{e.terms.contract_type.name}"),
        contract_months=e.terms.contract_months,
        start_date=to_proto_date(e.terms.start_date),
        monthly_wage_fen=e.terms.monthly_wage_fen,
        recorded_at=recorded_at,
    )
