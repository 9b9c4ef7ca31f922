"""Facts from authority (部门数据比对) as the consuming services keep them.

data-exchange publishes ``suxin.dataexchange.fact_verified.v1`` (FactVerified): one event per
change of a fact about a person or an enterprise, as a department states it. A consumer keeps
the newest version of each fact in its own ``verified_facts`` table (one row per ``fact_key``;
an older or repeated version changes nothing) and decides money, credentials and statistics on
those rows, never on what a person or an enterprise declared.

Every value a rule reads carries its :class:`Provenance`: the source (declared by the person or
enterprise, verified by staff, or an authority feed named by its department), the date the
source's data describes, and the reference of the evidence.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from suxin.common.v1 import common_pb2 as common
from suxin.dataexchange.v1 import events_pb2 as dx
from suxin.dataexchange.v1 import facts_pb2 as dxf
from suxin_common.db import driver_connection
from suxin_common.messaging.runner import PoisonMessage
from suxin_common.protodates import from_proto_date

FACT_VERIFIED_SUBJECT = "suxin.dataexchange.fact_verified.v1"


class Source(StrEnum):
    """Where the value of a fact comes from (事实来源)."""

    DECLARED = "declared"  # 本人或单位申报: a claim, unlocks nothing by itself
    STAFF = "staff"  # 经办人员核实
    # 证件号码: a resident ID's birth date and gender (GB 11643), a USCC's registration codes
    IDENTITY = "identity"
    CONFIRMED_HIRE = "confirmed_hire"  # 录用经本人确认或社保参保印证 (the hire's own terms)
    # Authority feeds, one per department (部门数据), as FactVerified names them.
    SOCIAL_INSURANCE = "social_insurance"  # 人社·社保
    EDUCATION = "education"  # 教育·学籍学历
    SKILLS = "skills"  # 人社·职业技能等级认定/职业资格
    MARKET_REGULATION = "market_regulation"  # 市场监管
    INDUSTRY = "industry"  # 工信 (专精特新, 小巨人)
    CIVIL_AFFAIRS = "civil_affairs"  # 民政 (低保, 低收入)
    RURAL_REVITALIZATION = "rural_revitalization"  # 乡村振兴 (脱贫人口)
    DISABLED_FEDERATION = "disabled_federation"  # 残联
    HEALTH = "health"  # 卫健 (出生医学证明)
    HRSS_RECORDS = "hrss_records"  # 人社经办 (就业失业登记, 就业困难人员认定)
    PROFESSIONAL_TITLES = "professional_titles"  # 人社·职称
    VETERANS_AFFAIRS = "veterans_affairs"  # 退役军人事务


SOURCE_LABELS: dict[Source, str] = {
    Source.DECLARED: "本人或单位申报 (declared)",
    Source.STAFF: "经办人员核实 (verified by staff)",
    Source.IDENTITY: "证件号码 (resident ID / USCC codes)",
    Source.CONFIRMED_HIRE: "本人确认或社保印证的录用 (confirmed hire)",
    Source.SOCIAL_INSURANCE: "社保 (social insurance)",
    Source.EDUCATION: "教育·学籍学历 (education)",
    Source.SKILLS: "职业技能等级认定 (skills registry)",
    Source.MARKET_REGULATION: "市场监管 (market regulation)",
    Source.INDUSTRY: "工信 (industry and IT)",
    Source.CIVIL_AFFAIRS: "民政 (civil affairs)",
    Source.RURAL_REVITALIZATION: "乡村振兴 (rural revitalisation)",
    Source.DISABLED_FEDERATION: "残联 (disabled persons' federation)",
    Source.HEALTH: "卫健 (health)",
    Source.HRSS_RECORDS: "人社经办记录 (HRSS records)",
    Source.PROFESSIONAL_TITLES: "人社·职称 (professional titles)",
    Source.VETERANS_AFFAIRS: "退役军人事务 (veterans affairs)",
}

# Sources that are not claims: what a rule may accept.
VERIFIED_SOURCES = frozenset(Source) - {Source.DECLARED}


@dataclass(frozen=True)
class Provenance:
    """Where one value a decision used comes from."""

    source: Source
    as_of: date | None = None
    evidence_ref: str | None = None

    @property
    def verified(self) -> bool:
        return self.source is not Source.DECLARED

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source.value,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "evidence_ref": self.evidence_ref,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Provenance:
        return cls(
            Source(d["source"]),
            date.fromisoformat(d["as_of"]) if d.get("as_of") else None,
            d.get("evidence_ref"),
        )


DECLARED = Provenance(Source.DECLARED)


@dataclass(frozen=True)
class Fact:
    """One verified fact, the newest version its consumer has seen of ``fact_key``."""

    fact_key: str
    version: int
    kind: str  # FactKind without its prefix, lower case: "education", "birth", …
    source: Source
    as_of: date | None
    person_key: str | None = None
    enterprise_uscc: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    revoked: bool = False
    evidence_ref: str | None = None
    verified_at: datetime | None = None
    value: Mapping[str, Any] = field(default_factory=dict)

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.source, self.as_of, self.evidence_ref)

    def holds_on(self, day: date) -> bool:
        """The fact is in force on ``day`` (not revoked, within its validity)."""
        if self.revoked:
            return False
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


def _name(enum: Any, prefix: str, value: int) -> str | None:
    try:
        name = enum.Name(value)
    except ValueError:
        return None
    return None if name.endswith("UNSPECIFIED") else name.removeprefix(prefix).lower()


def _d(msg: Any, name: str) -> str | None:
    return from_proto_date(getattr(msg, name), name).isoformat() if msg.HasField(name) else None


# EducationRecord.education_level follows hiring's Education enum (1 … 7).
EDUCATION_LEVELS = (
    None,
    "junior_secondary_or_below",
    "senior_secondary",
    "vocational",
    "junior_college",
    "bachelor",
    "master",
    "doctorate",
)


def _value(e: dx.FactVerified) -> dict[str, Any]:
    detail = e.WhichOneof("detail")
    if detail == "enrolment":
        m = e.enrolment
        return {
            "enrolled_on": _d(m, "enrolled_on"),
            "ended_on": _d(m, "ended_on"),
            "district_code": m.district_code or None,
        }
    if detail == "contribution":
        m = e.contribution
        return {
            "month": _d(m, "month_date"),
            "pension_fen": m.employer_pension_fen,
            "medical_fen": m.employer_medical_fen,
            "unemployment_fen": m.employer_unemployment_fen,
            "work_injury_fen": m.employer_work_injury_fen,
            "maternity_fen": m.employer_maternity_fen,
            "employee_fen": m.employee_total_fen,
        }
    if detail == "education":
        m = e.education
        level = m.education_level
        return {
            "education": EDUCATION_LEVELS[level] if 0 < level < len(EDUCATION_LEVELS) else None,
            "graduation_date": _d(m, "graduation_date"),
            "full_time": m.full_time,
        }
    if detail == "skill_certificate":
        m = e.skill_certificate
        return {
            "skill_level": _name(common.SkillLevel, "SKILL_LEVEL_", m.skill_level),
            "occupation_code": m.occupation_code or None,
        }
    if detail == "professional_title":
        m = e.professional_title
        return {"title": _name(common.ProfessionalTitle, "PROFESSIONAL_TITLE_", m.title)}
    if detail == "enterprise_registration":
        m = e.enterprise_registration
        return {
            "unit_type": _name(dxf.UnitType, "UNIT_TYPE_", m.unit_type),
            "status": _name(dxf.RegistrationStatus, "REGISTRATION_STATUS_", m.status),
            "district_code": m.district_code or None,
            "industry_code": m.industry_code or None,
        }
    if detail == "birth":
        m = e.birth
        return {"birth_date": _d(m, "birth_date"), "child_order": m.child_order}
    return {}


def fact_from_event(e: dx.FactVerified) -> Fact:
    """The consumer's view of a FactVerified; a malformed one is poison."""
    kind = _name(dxf.FactKind, "FACT_KIND_", e.kind)
    department = _name(dxf.Department, "DEPARTMENT_", e.department)
    if not e.fact_key or e.version < 1:
        raise PoisonMessage("FactVerified lacks fact_key or version")
    if kind is None or department is None:
        raise PoisonMessage("FactVerified has no kind or department this service knows")
    if e.subject_kind == dxf.SUBJECT_KIND_PERSON and not e.person_key:
        raise PoisonMessage("a person's FactVerified lacks person_key")
    if e.subject_kind == dxf.SUBJECT_KIND_ENTERPRISE and not e.enterprise_uscc:
        raise PoisonMessage("an enterprise's FactVerified lacks enterprise_uscc")
    return Fact(
        fact_key=e.fact_key,
        version=e.version,
        kind=kind,
        source=Source(department),
        as_of=from_proto_date(e.as_of_date, "as_of_date") if e.HasField("as_of_date") else None,
        person_key=e.person_key or None,
        enterprise_uscc=e.enterprise_uscc or None,
        valid_from=from_proto_date(e.valid_from_date, "valid_from_date")
        if e.HasField("valid_from_date")
        else None,
        valid_until=from_proto_date(e.valid_until, "valid_until")
        if e.HasField("valid_until")
        else None,
        revoked=e.revoked,
        evidence_ref=e.evidence_ref or None,
        verified_at=e.verified_at.ToDatetime().replace(tzinfo=None)
        if e.HasField("verified_at")
        else None,
        value=_value(e),
    )


# --- the local facts table ------------------------------------------------------------------


def _columns() -> list[sa.Column]:
    return [
        sa.Column("fact_key", sa.Text, primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("as_of", sa.Date, nullable=True),
        sa.Column("person_key", sa.Text, nullable=True),
        sa.Column("enterprise_uscc", sa.String(18), nullable=True),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("evidence_ref", sa.Text, nullable=True),
        sa.Column("value", JSONB, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    ]


_INDEXES = {
    "ix_verified_facts_person": ["person_key"],
    "ix_verified_facts_enterprise": ["enterprise_uscc"],
}


def facts_table(metadata: sa.MetaData) -> sa.Table:
    """The ``verified_facts`` table in a service's metadata (its tables.py)."""
    table = sa.Table("verified_facts", metadata, *_columns())
    for name, cols in _INDEXES.items():
        sa.Index(name, *(table.c[c] for c in cols))
    return table


verified_facts = facts_table(sa.MetaData())


def create_facts_table(op: Any) -> None:
    """For a service's migration: the ``verified_facts`` table and its indexes."""
    op.create_table("verified_facts", *_columns())
    for name, cols in _INDEXES.items():
        op.create_index(name, "verified_facts", cols)


def drop_facts_table(op: Any) -> None:
    op.drop_table("verified_facts")


async def keep_fact(session: AsyncSession, fact: Fact, at: datetime) -> bool:
    """Store ``fact`` if it is newer than the version held; False if it changed nothing
    (a redelivery or an older version arriving late)."""
    t = verified_facts
    values = {
        "fact_key": fact.fact_key,
        "version": fact.version,
        "kind": fact.kind,
        "source": fact.source.value,
        "as_of": fact.as_of,
        "person_key": fact.person_key,
        "enterprise_uscc": fact.enterprise_uscc,
        "valid_from": fact.valid_from,
        "valid_until": fact.valid_until,
        "revoked": fact.revoked,
        "evidence_ref": fact.evidence_ref,
        "value": dict(fact.value),
        "received_at": at,
    }
    stmt = insert(t).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.c.fact_key],
        set_={k: stmt.excluded[k] for k in values if k != "fact_key"},
        where=t.c.version < stmt.excluded.version,
    ).returning(t.c.fact_key)
    return (await session.execute(stmt)).first() is not None


def from_row(row: Any) -> Fact:
    """A ``verified_facts`` row (attribute access) as a Fact."""
    return _fact(row)


SUBJECT_LOCK_KEY = "hashtextextended({}, 27)"


def subject_lock_sql(key_sql: str) -> str:
    """:func:`lock_subject` as an SQL expression over ``key_sql`` (for a statement that takes
    the lock while it reads)."""
    return f"pg_advisory_xact_lock({SUBJECT_LOCK_KEY.format(key_sql)})"


def _fact(row: Any) -> Fact:
    return Fact(
        fact_key=row.fact_key,
        version=row.version,
        kind=row.kind,
        source=Source(row.source),
        as_of=row.as_of,
        person_key=row.person_key,
        enterprise_uscc=row.enterprise_uscc,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        revoked=row.revoked,
        evidence_ref=row.evidence_ref,
        value=row.value,
    )


# The person's facts (the hire path reads them per hire) and the subject lock go to the driver
# as prepared statements (suxin_common.db.driver_connection): SQLAlchemy no longer builds and
# compiles a SELECT per call. Same SQL, same order, the value as SQLAlchemy's JSONB reads it.
_FACTS_OF_PERSON = """
    SELECT fact_key, version, kind, source, as_of, person_key, enterprise_uscc, valid_from,
           valid_until, revoked, evidence_ref, value::text AS value
    FROM verified_facts WHERE person_key = $1 ORDER BY as_of, fact_key
"""
_LOCK_SUBJECT = "SELECT pg_advisory_xact_lock(hashtextextended($1, 27))"


def _fact_of_record(row: Any) -> Fact:
    return Fact(
        fact_key=row["fact_key"],
        version=row["version"],
        kind=row["kind"],
        source=Source(row["source"]),
        as_of=row["as_of"],
        person_key=row["person_key"],
        enterprise_uscc=row["enterprise_uscc"],
        valid_from=row["valid_from"],
        valid_until=row["valid_until"],
        revoked=row["revoked"],
        evidence_ref=row["evidence_ref"],
        value=json.loads(row["value"]),
    )


async def facts_about(
    session: AsyncSession,
    *,
    person_key: str | None = None,
    enterprise_uscc: str | None = None,
    kinds: Iterable[str] | None = None,
) -> list[Fact]:
    """The facts held about a person and/or an enterprise (either matches), oldest first."""
    if person_key and not enterprise_uscc and kinds is None:
        driver = await driver_connection(session)
        return [_fact_of_record(r) for r in await driver.fetch(_FACTS_OF_PERSON, person_key)]
    t = verified_facts
    who = []
    if person_key:
        who.append(t.c.person_key == person_key)
    if enterprise_uscc:
        who.append(sa.and_(t.c.enterprise_uscc == enterprise_uscc, t.c.person_key.is_(None)))
    if not who:
        return []
    query = sa.select(t).where(sa.or_(*who)).order_by(t.c.as_of, t.c.fact_key)
    if kinds is not None:
        query = query.where(t.c.kind.in_(list(kinds)))
    return [_fact(r) for r in (await session.execute(query)).all()]


async def lock_subject(session: AsyncSession, key: str) -> None:
    """Serialise, for one person or enterprise, the handlers that read facts to decide and the
    handler that stores a new fact and re-decides (so no decision misses a fact arriving
    meanwhile). Transaction-scoped."""
    await (await driver_connection(session)).execute(_LOCK_SUBJECT, key)
