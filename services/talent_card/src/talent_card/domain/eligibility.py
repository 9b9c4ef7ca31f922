"""Eligibility (认定标准) for the talent card: which recognised attributes give which level.

The criteria are versioned configuration (``criteria/<version>.yaml``), each with the day it
takes effect. A decision uses the version in force on the day of the application or event and
records that version and the rules it matched (the evidence), so a later version never changes
a decision already made.

Attributes a person can present (values are lower-case codes):
- ``talent_programme``: ``national`` | ``provincial`` (国家级/省级人才计划)
- ``professional_title``: ``senior`` (正高级) | ``associate_senior`` (副高级) | …
- ``skill_level``: ``senior_technician`` (高级技师) | ``technician`` (技师) | …
- ``education``: ``doctorate`` | …
- ``honours``: a set, e.g. ``jiangsu_craftsman`` (江苏工匠),
  ``enterprise_chief_expert`` (企业首席专家)
- ``key_enterprise``: ``true`` when the employer is key-monitored or 专精特新

Pure code: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from talent_card.domain.model import CardLevel

VERSION_PATTERN = re.compile(r"[a-z]{2}-\d{4}\.\d{1,3}")
ATTRIBUTES = frozenset(
    {
        "talent_programme",
        "professional_title",
        "skill_level",
        "education",
        "honours",
        "key_enterprise",
    }
)
LEVEL_ORDER = (CardLevel.A, CardLevel.B, CardLevel.C)  # best first

Attributes = Mapping[str, str | bool | frozenset[str]]


class CriteriaError(ValueError):
    """A criteria file is invalid."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    level: CardLevel
    when: Mapping[str, frozenset[str]]  # every attribute must take one of the values

    def matches(self, attributes: Attributes) -> dict[str, Any] | None:
        """The attribute values that satisfy the rule, or None."""
        used: dict[str, Any] = {}
        for name, allowed in self.when.items():
            value = attributes.get(name)
            values = _codes(value)
            hit = sorted(values & allowed)
            if not hit:
                return None
            used[name] = hit if isinstance(value, frozenset | set | list | tuple) else hit[0]
        return used


@dataclass(frozen=True)
class Criteria:
    version: str
    effective_from: date
    validity_years: Mapping[CardLevel, int]
    rules: tuple[Rule, ...]
    # 政策找人: a hire is considered for an offer only when all of these hold.
    offer_on_hire_when: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    rule: str
    name: str
    level: CardLevel
    matched: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "level": self.level.value,
            "matched": dict(self.matched),
        }


@dataclass(frozen=True)
class Decision:
    """The level the criteria give (None: not eligible) and the evidence it rests on."""

    criteria_version: str
    level: CardLevel | None
    evidence: tuple[Evidence, ...]
    validity_years: int | None


def decide(criteria: Criteria, attributes: Attributes) -> Decision:
    evidence = tuple(
        Evidence(rule.id, rule.name, rule.level, used)
        for rule in criteria.rules
        if (used := rule.matches(attributes)) is not None
    )
    levels = {e.level for e in evidence}
    level = next((lv for lv in LEVEL_ORDER if lv in levels), None)
    return Decision(
        criteria_version=criteria.version,
        level=level,
        evidence=evidence,
        validity_years=criteria.validity_years[level] if level else None,
    )


def hire_may_bring_offer(criteria: Criteria, attributes: Attributes) -> bool:
    return all(
        _codes(attributes.get(name)) & allowed
        for name, allowed in criteria.offer_on_hire_when.items()
    )


def in_force(versions: Sequence[Criteria], day: date) -> Criteria:
    """The version in force on ``day``: the latest to take effect on or before it."""
    found = in_force_or_none(versions, day)
    if found is None:
        raise LookupError(f"no talent-card criteria in force on {day}")
    return found


def in_force_or_none(versions: Sequence[Criteria], day: date) -> Criteria | None:
    """The version in force on ``day``, or None for a day before the first version: an event
    of that day (a hire, a certificate) brings no offer, since no criteria then decided."""
    candidates = [c for c in versions if c.effective_from <= day]
    return max(candidates, key=lambda c: c.effective_from) if candidates else None


def better(a: CardLevel, b: CardLevel) -> bool:
    """Whether level ``a`` is above level ``b``."""
    return LEVEL_ORDER.index(a) < LEVEL_ORDER.index(b)


def parse_criteria(document: Mapping[str, Any]) -> Criteria:
    try:
        version = str(document["version"])
        if not VERSION_PATTERN.fullmatch(version):
            raise CriteriaError(f"criteria version {version!r} is malformed")
        effective_from = document["effective_from"]
        if not isinstance(effective_from, date):
            raise CriteriaError("effective_from must be a date")
        validity = {CardLevel(k): int(v) for k, v in document["validity_years"].items()}
        if set(validity) != set(CardLevel) or any(v <= 0 for v in validity.values()):
            raise CriteriaError("validity_years needs a positive number of years for A, B and C")
        rules = tuple(_rule(r) for r in document["rules"])
        if len({r.id for r in rules}) != len(rules):
            raise CriteriaError("rule ids must be unique")
        return Criteria(
            version=version,
            effective_from=effective_from,
            validity_years=validity,
            rules=rules,
            offer_on_hire_when=_conditions(document.get("offer_on_hire_when") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, CriteriaError):
            raise
        raise CriteriaError(f"criteria document is invalid: {exc!r}") from None


def _rule(raw: Mapping[str, Any]) -> Rule:
    when = _conditions(raw["when"])
    if not when:
        raise CriteriaError(f"rule {raw['id']!r} has no conditions")
    return Rule(id=str(raw["id"]), name=str(raw["name"]), level=CardLevel(raw["level"]), when=when)


def _conditions(raw: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    unknown = set(raw) - ATTRIBUTES
    if unknown:
        raise CriteriaError(f"unknown attributes {sorted(unknown)}")
    return {name: frozenset(_code(v) for v in values) for name, values in raw.items()}


def _code(value: Any) -> str:
    return str(value).lower() if not isinstance(value, bool) else str(value).lower()


def _codes(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, frozenset | set | list | tuple):
        return frozenset(_code(v) for v in value)
    return frozenset({_code(value)})
