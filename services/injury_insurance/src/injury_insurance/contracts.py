"""The one place that maps proto events to injury-insurance's domain, and back."""

from __future__ import annotations

import uuid

from google.protobuf.timestamp_pb2 import Timestamp

from injury_insurance.domain.model import ContractType, Coverage, Hire, JobKind, Scheme
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as pb
from suxin_common.messaging.runner import PoisonMessage
from suxin_common.protodates import from_proto_date, to_proto_date

_JOB_KINDS = {
    hiring.JOB_KIND_FULL_TIME: JobKind.FULL_TIME,
    hiring.JOB_KIND_PART_TIME: JobKind.PART_TIME,
    hiring.JOB_KIND_INTERNSHIP: JobKind.INTERNSHIP,
    hiring.JOB_KIND_PUBLIC_WELFARE: JobKind.PUBLIC_WELFARE,
    hiring.JOB_KIND_GIG: JobKind.GIG,
}
_CONTRACT_TYPES = {
    hiring.CONTRACT_TYPE_FIXED_TERM: ContractType.FIXED_TERM,
    hiring.CONTRACT_TYPE_OPEN_ENDED: ContractType.OPEN_ENDED,
    hiring.CONTRACT_TYPE_PART_TIME: ContractType.PART_TIME,
    hiring.CONTRACT_TYPE_INTERNSHIP_AGREEMENT: ContractType.INTERNSHIP_AGREEMENT,
    hiring.CONTRACT_TYPE_SERVICE_AGREEMENT: ContractType.SERVICE_AGREEMENT,
}
_SCHEMES = {
    Scheme.WORK_INJURY_INSURANCE: pb.SCHEME_WORK_INJURY_INSURANCE,
    Scheme.OCCUPATIONAL_INJURY_PROTECTION: pb.SCHEME_OCCUPATIONAL_INJURY_PROTECTION,
}


def hire(e: hiring.HireRecorded) -> Hire:
    """The hire an event reports; PoisonMessage if it lacks what any cover needs."""
    try:
        hire_id = uuid.UUID(e.hire_id)
    except ValueError:
        raise PoisonMessage("HireRecorded.hire_id is not a UUID") from None
    missing = [
        name
        for name in ("person_key", "enterprise_uscc", "city_code", "district_code")
        if not getattr(e, name)
    ]
    if not e.HasField("start_date"):
        missing.append("start_date")
    if missing:
        raise PoisonMessage(f"HireRecorded {hire_id} lacks {', '.join(missing)}")
    return Hire(
        hire_id=hire_id,
        person_key=e.person_key,
        masked_resident_id=e.masked_resident_id,
        enterprise_uscc=e.enterprise_uscc,
        city_code=e.city_code,
        district_code=e.district_code,
        job_kind=_JOB_KINDS.get(e.job_kind),
        contract_type=_CONTRACT_TYPES.get(e.contract_type),
        start_date=from_proto_date(e.start_date, "HireRecorded.start_date"),
    )


def coverage_started(c: Coverage) -> pb.CoverageStarted:
    started_at = Timestamp()
    started_at.FromDatetime(c.started_at)
    return pb.CoverageStarted(
        coverage_id=str(c.id),
        hire_id=str(c.hire_id),
        person_key=c.person_key,
        enterprise_uscc=c.enterprise_uscc,
        scheme=_SCHEMES[c.scheme],
        start_date=to_proto_date(c.start_date),
        started_at=started_at,
    )
