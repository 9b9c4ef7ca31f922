"""Facts (经部门核验的事实) and what counts as a change of one.

A fact is what an authority states about a person or an enterprise under a stable key
(``education:<person_key>``, ``specialized_sme:<uscc>``). Each change (new, changed value,
no longer holds) is a new version and one FactVerified event; stating the same thing again is
no change and publishes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from typing import Any

import orjson

from data_exchange.domain.departments import Department


class FactKind(StrEnum):
    SOCIAL_INSURANCE_ENROLMENT = "social_insurance_enrolment"
    SOCIAL_INSURANCE_CONTRIBUTION = "social_insurance_contribution"
    EDUCATION = "education"
    SKILL_CERTIFICATE = "skill_certificate"
    PROFESSIONAL_TITLE = "professional_title"
    ENTERPRISE_REGISTRATION = "enterprise_registration"
    SPECIALIZED_SME = "specialized_sme"
    LITTLE_GIANT = "little_giant"
    LOW_INCOME = "low_income"
    POVERTY_ALLEVIATED = "poverty_alleviated"
    DISABILITY = "disability"
    BIRTH = "birth"
    UNEMPLOYMENT_REGISTRATION = "unemployment_registration"
    EMPLOYMENT_DIFFICULTY = "employment_difficulty"
    VETERAN = "veteran"


class Subject(StrEnum):
    PERSON = "person"
    ENTERPRISE = "enterprise"


@dataclass(frozen=True, slots=True)
class FactDraft:
    """A fact as one source row (or staff decision) states it, before versioning."""

    fact_key: str
    kind: FactKind
    subject: Subject
    department: Department
    person_key: str | None = None
    uscc: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    revoked: bool = False
    # The value: JSON-able (dates as ISO text, enums as their names); see contracts.py.
    detail: dict[str, Any] = field(default_factory=dict)

    def value_hash(self) -> str:
        """What decides "changed": everything but provenance (batch, row, as-of date)."""
        canonical = orjson.dumps(
            {
                "uscc": self.uscc,
                "from": _iso(self.valid_from),
                "until": _iso(self.valid_until),
                "revoked": self.revoked,
                "detail": self.detail,
            },
            option=orjson.OPT_SORT_KEYS,
            default=_json_default,
        )
        return hashlib.sha256(canonical).hexdigest()

    def detail_json(self) -> str:
        return orjson.dumps(
            self.detail, option=orjson.OPT_SORT_KEYS, default=_json_default
        ).decode()


@dataclass(frozen=True, slots=True)
class CurrentFact:
    fact_key: str
    version: int
    value_hash: str
    revoked: bool


class Change(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    REVOKED = "revoked"
    UNCHANGED = "unchanged"
    # A revocation of a fact that was never stated: nothing to do.
    NOTHING_TO_REVOKE = "nothing_to_revoke"


def decide(draft: FactDraft, current: CurrentFact | None, value_hash: str) -> tuple[Change, int]:
    """The change ``draft`` makes to ``current`` and the version it gets (0 for none)."""
    if current is None:
        if draft.revoked:
            return Change.NOTHING_TO_REVOKE, 0
        return Change.NEW, 1
    if current.value_hash == value_hash:
        return Change.UNCHANGED, 0
    if draft.revoked:
        return (Change.UNCHANGED, 0) if current.revoked else (Change.REVOKED, current.version + 1)
    return Change.CHANGED, current.version + 1


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"not JSON-able: {type(value).__name__}")
