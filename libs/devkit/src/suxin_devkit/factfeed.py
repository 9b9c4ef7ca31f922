"""FactVerified events built as data-exchange publishes them: for tests and the demo loader,
which stand in for the department feeds (development tooling; no service imports it)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from suxin.common.v1 import common_pb2 as common
from suxin.dataexchange.v1 import events_pb2 as dx
from suxin.dataexchange.v1 import facts_pb2 as dxf
from suxin_common.facts import EDUCATION_LEVELS
from suxin_common.protodates import to_proto_date

AS_OF = date(2026, 9, 1)


def _fact(
    kind: int,
    department: int,
    fact_key: str,
    *,
    person_key: str = "",
    enterprise_uscc: str = "",
    version: int = 1,
    as_of: date = AS_OF,
    valid_from: date | None = None,
    revoked: bool = False,
    evidence_ref: str | None = None,
) -> dx.FactVerified:
    at = Timestamp()
    at.FromDatetime(datetime.now(UTC))
    e = dx.FactVerified(
        fact_id=str(uuid.uuid4()),
        fact_key=fact_key,
        version=version,
        kind=kind,
        subject_kind=dxf.SUBJECT_KIND_PERSON if person_key else dxf.SUBJECT_KIND_ENTERPRISE,
        person_key=person_key,
        enterprise_uscc=enterprise_uscc,
        department=department,
        as_of_date=to_proto_date(as_of),
        revoked=revoked,
        evidence_ref=evidence_ref or f"batch-{uuid.uuid4().hex[:8]}#1",
        verified_at=at,
    )
    if valid_from is not None:
        e.valid_from_date.CopyFrom(to_proto_date(valid_from))
    return e


def education(person_key: str, level: str, graduated: date, **kw) -> dx.FactVerified:
    """学历 from the education department (level as hiring's Education names it)."""
    e = _fact(
        dxf.FACT_KIND_EDUCATION, dxf.DEPARTMENT_EDUCATION, f"education:{person_key}",
        person_key=person_key, **kw,
    )  # fmt: skip
    e.education.education_level = EDUCATION_LEVELS.index(level)
    e.education.graduation_date.CopyFrom(to_proto_date(graduated))
    e.education.full_time = True
    return e


def enrolment(person_key: str, uscc: str, enrolled_on: date, **kw) -> dx.FactVerified:
    """社保 enrolment of the person with an employer (参保登记)."""
    e = _fact(
        dxf.FACT_KIND_SOCIAL_INSURANCE_ENROLMENT, dxf.DEPARTMENT_SOCIAL_INSURANCE,
        f"enrolment:{person_key}:{uscc}", person_key=person_key, enterprise_uscc=uscc, **kw,
    )  # fmt: skip
    e.enrolment.enrolled_on.CopyFrom(to_proto_date(enrolled_on))
    return e


def contribution(
    person_key: str, uscc: str, month: date, employer_fen: dict[str, int], employee_fen: int, **kw
) -> dx.FactVerified:
    """One month of 社保 contributions (employer share per insurance, employee share)."""
    e = _fact(
        dxf.FACT_KIND_SOCIAL_INSURANCE_CONTRIBUTION, dxf.DEPARTMENT_SOCIAL_INSURANCE,
        f"contribution:{person_key}:{uscc}:{month:%Y-%m}", person_key=person_key,
        enterprise_uscc=uscc, **kw,
    )  # fmt: skip
    c = e.contribution
    c.month_date.CopyFrom(to_proto_date(month.replace(day=1)))
    c.employer_pension_fen = employer_fen.get("pension", 0)
    c.employer_medical_fen = employer_fen.get("medical", 0)
    c.employer_unemployment_fen = employer_fen.get("unemployment", 0)
    c.employer_work_injury_fen = employer_fen.get("work_injury", 0)
    c.employer_maternity_fen = employer_fen.get("maternity", 0)
    c.employee_total_fen = employee_fen
    return e


# kind name -> (FactKind, Department) of person facts without a detail value
_PERSON_FLAGS = {
    "employment_difficulty": (dxf.FACT_KIND_EMPLOYMENT_DIFFICULTY, dxf.DEPARTMENT_HRSS_RECORDS),
    "unemployment_registration": (
        dxf.FACT_KIND_UNEMPLOYMENT_REGISTRATION,
        dxf.DEPARTMENT_HRSS_RECORDS,
    ),
    "poverty_alleviated": (
        dxf.FACT_KIND_POVERTY_ALLEVIATED,
        dxf.DEPARTMENT_RURAL_REVITALIZATION,
    ),
    "disability": (dxf.FACT_KIND_DISABILITY, dxf.DEPARTMENT_DISABLED_FEDERATION),
    "veteran": (dxf.FACT_KIND_VETERAN, dxf.DEPARTMENT_VETERANS_AFFAIRS),
    "low_income": (dxf.FACT_KIND_LOW_INCOME, dxf.DEPARTMENT_CIVIL_AFFAIRS),
}


def person_flag(kind: str, person_key: str, **kw) -> dx.FactVerified:
    """就业困难人员认定, 失业登记, 脱贫人口, 残疾人证, 退役军人, 低保 of a person."""
    fact_kind, department = _PERSON_FLAGS[kind]
    return _fact(fact_kind, department, f"{kind}:{person_key}", person_key=person_key, **kw)


def skill(person_key: str, level: str, **kw) -> dx.FactVerified:
    """A 职业技能等级证书 (level as common.SkillLevel names it, e.g. "senior_technician")."""
    e = _fact(
        dxf.FACT_KIND_SKILL_CERTIFICATE, dxf.DEPARTMENT_SKILLS,
        f"skill:{person_key}:{level}", person_key=person_key, **kw,
    )  # fmt: skip
    e.skill_certificate.skill_level = common.SkillLevel.Value(f"SKILL_LEVEL_{level.upper()}")
    return e


def title(person_key: str, grade: str, **kw) -> dx.FactVerified:
    """A 专业技术职称 (grade as common.ProfessionalTitle names it, e.g. "senior")."""
    e = _fact(
        dxf.FACT_KIND_PROFESSIONAL_TITLE, dxf.DEPARTMENT_PROFESSIONAL_TITLES,
        f"title:{person_key}", person_key=person_key, **kw,
    )  # fmt: skip
    e.professional_title.title = common.ProfessionalTitle.Value(
        f"PROFESSIONAL_TITLE_{grade.upper()}"
    )
    return e


def birth(person_key: str, born: date, child_order: int, **kw) -> dx.FactVerified:
    """A 出生医学证明 from 卫健: a child born to the person (the mother)."""
    e = _fact(
        dxf.FACT_KIND_BIRTH, dxf.DEPARTMENT_HEALTH, f"birth:{person_key}:{child_order}",
        person_key=person_key, **kw,
    )  # fmt: skip
    e.birth.birth_date.CopyFrom(to_proto_date(born))
    e.birth.child_order = child_order
    return e


def enterprise_list(kind: str, uscc: str, **kw) -> dx.FactVerified:
    """工信 lists (专精特新 "specialized_sme", 小巨人 "little_giant") and the staff-set 重点监测
    list ("key_monitored", from HRSS records)."""
    fact_kind, department = {
        "specialized_sme": (dxf.FACT_KIND_SPECIALIZED_SME, dxf.DEPARTMENT_INDUSTRY),
        "little_giant": (dxf.FACT_KIND_LITTLE_GIANT, dxf.DEPARTMENT_INDUSTRY),
        "key_monitored": (dxf.FACT_KIND_KEY_MONITORED, dxf.DEPARTMENT_HRSS_RECORDS),
    }[kind]
    return _fact(fact_kind, department, f"{kind}:{uscc}", enterprise_uscc=uscc, **kw)
