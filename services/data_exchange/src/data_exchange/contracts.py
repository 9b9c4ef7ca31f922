"""The one place that maps data-exchange's facts to its proto contract (suxin.dataexchange.v1)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from data_exchange.domain.departments import Department
from data_exchange.domain.facts import FactDraft, FactKind, Subject
from suxin.common.v1 import common_pb2 as common
from suxin.dataexchange.v1 import events_pb2 as pb
from suxin.dataexchange.v1 import facts_pb2 as facts_pb
from suxin_common.protodates import to_proto_date

DEPARTMENT = {d: facts_pb.Department.Value(f"DEPARTMENT_{d.name}") for d in Department}
KIND = {k: facts_pb.FactKind.Value(f"FACT_KIND_{k.name}") for k in FactKind}
SUBJECT = {
    Subject.PERSON: facts_pb.SUBJECT_KIND_PERSON,
    Subject.ENTERPRISE: facts_pb.SUBJECT_KIND_ENTERPRISE,
}


def _d(value: str | None) -> common.Date | None:
    return to_proto_date(date.fromisoformat(value)) if value else None


def _enrolment(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "enrolment": facts_pb.Enrolment(
            enrolled_on=_d(d["enrolled_on"]),
            ended_on=_d(d.get("ended_on")),
            district_code=d["district_code"],
        )
    }


def _contribution(d: dict[str, Any]) -> dict[str, Any]:
    amounts = {k: v for k, v in d.items() if k.endswith("_fen")}
    return {"contribution": facts_pb.Contribution(month_date=_d(d["month"]), **amounts)}


def _education(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "education": facts_pb.EducationRecord(
            education_level=d["education_level"],
            school=d["school"],
            graduation_date=_d(d["graduation_date"]),
            full_time=d["full_time"],
        )
    }


def _skill(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "skill_certificate": facts_pb.SkillCertificate(
            skill_level=common.SkillLevel.Value(f"SKILL_LEVEL_{d['skill_level']}"),
            occupation_code=d["occupation_code"],
            certificate_no=d["certificate_no"],
            issued_on=_d(d["issued_on"]),
        )
    }


def _title(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "professional_title": facts_pb.ProfessionalTitleRecord(
            title=common.ProfessionalTitle.Value(f"PROFESSIONAL_TITLE_{d['title']}"),
            field=d["field"],
            conferred_on=_d(d["conferred_on"]),
            certificate_no=d["certificate_no"],
        )
    }


def _registration(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "enterprise_registration": facts_pb.EnterpriseRegistration(
            name=d["name"],
            unit_type=facts_pb.UnitType.Value(f"UNIT_TYPE_{d['unit_type']}"),
            status=facts_pb.RegistrationStatus.Value(f"REGISTRATION_STATUS_{d['status']}"),
            district_code=d["district_code"],
            industry_code=d["industry_code"],
            established_on=_d(d["established_on"]),
        )
    }


def _listing(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "list_membership": facts_pb.ListMembership(
            list_year=d["list_year"], level=facts_pb.ListLevel.Value(f"LIST_LEVEL_{d['level']}")
        )
    }


def _assistance(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "social_assistance": facts_pb.SocialAssistance(
            category=facts_pb.AssistanceCategory.Value(f"ASSISTANCE_CATEGORY_{d['category']}"),
            district_code=d["district_code"],
        )
    }


def _poverty(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "poverty_alleviation": facts_pb.PovertyAlleviationRecord(
            year=d["year"], district_code=d["district_code"]
        )
    }


def _disability(d: dict[str, Any]) -> dict[str, Any]:
    return {"disability": facts_pb.DisabilityRecord(category=d["category"], grade=d["grade"])}


def _birth(d: dict[str, Any]) -> dict[str, Any]:
    return {"birth": facts_pb.Birth(birth_date=_d(d["birth_date"]), child_order=d["child_order"])}


def _veteran(d: dict[str, Any]) -> dict[str, Any]:
    return {"veteran": facts_pb.VeteranRecord(discharged_on=_d(d["discharged_on"]))}


def _unemployment(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "employment_status": facts_pb.EmploymentStatusRecord(
            registered_on=_d(d["registered_on"]), district_code=d["district_code"]
        )
    }


def _difficulty(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "employment_difficulty": facts_pb.EmploymentDifficultyRecord(
            category=facts_pb.DifficultyCategory.Value(f"DIFFICULTY_CATEGORY_{d['category']}"),
            district_code=d["district_code"],
            recognised_on=_d(d["recognised_on"]),
            reviewed_on=_d(d.get("reviewed_on")),
        )
    }


DETAIL = {
    FactKind.SOCIAL_INSURANCE_ENROLMENT: _enrolment,
    FactKind.SOCIAL_INSURANCE_CONTRIBUTION: _contribution,
    FactKind.EDUCATION: _education,
    FactKind.SKILL_CERTIFICATE: _skill,
    FactKind.PROFESSIONAL_TITLE: _title,
    FactKind.ENTERPRISE_REGISTRATION: _registration,
    FactKind.SPECIALIZED_SME: _listing,
    FactKind.LITTLE_GIANT: _listing,
    FactKind.LOW_INCOME: _assistance,
    FactKind.POVERTY_ALLEVIATED: _poverty,
    FactKind.DISABILITY: _disability,
    FactKind.BIRTH: _birth,
    FactKind.VETERAN: _veteran,
    FactKind.UNEMPLOYMENT_REGISTRATION: _unemployment,
    FactKind.EMPLOYMENT_DIFFICULTY: _difficulty,
}


def timestamp(moment: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(moment.astimezone(UTC))
    return ts


def fact_verified(
    draft: FactDraft,
    *,
    fact_id: uuid.UUID,
    version: int,
    as_of: date,
    evidence_ref: str,
    verified_at: datetime | Timestamp,
) -> pb.FactVerified:
    """The event of one fact version (``verified_at`` may come converted already, for
    batches)."""
    return pb.FactVerified(
        fact_id=str(fact_id),
        fact_key=draft.fact_key,
        version=version,
        kind=KIND[draft.kind],
        subject_kind=SUBJECT[draft.subject],
        person_key=draft.person_key or "",
        enterprise_uscc=draft.uscc or "",
        department=DEPARTMENT[draft.department],
        as_of_date=to_proto_date(as_of),
        valid_from_date=to_proto_date(draft.valid_from),
        valid_until=to_proto_date(draft.valid_until),
        revoked=draft.revoked,
        evidence_ref=evidence_ref,
        verified_at=verified_at if isinstance(verified_at, Timestamp) else timestamp(verified_at),
        **DETAIL[draft.kind](draft.detail),
    )
