"""Policies (政策): a versioned set of employment-subsidy rules, and the rule engine.

A policy document (``policies/<version>.yaml``) names its version and lists rules; each rule
has an id, a type from :data:`~training_vouchers.domain.rules.RULE_TYPES`, a Chinese and an
English name, a delivery mode and the parameters of its type. :func:`parse_policy` validates a
document completely, so a typo in a parameter stops the service at start-up instead of
silently changing who is paid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from training_vouchers.domain.model import DeliveryMode, HireFacts
from training_vouchers.domain.rules import RULE_TYPES, Decision, Parameters

VERSION_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{0,63}$")


class PolicyError(ValueError):
    """A policy document is invalid."""


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    name_zh: str
    name_en: str
    delivery_mode: DeliveryMode
    parameters: Parameters

    def evaluate(self, hire: HireFacts) -> Decision:
        return RULE_TYPES[self.type].evaluate(hire, self.parameters)


@dataclass(frozen=True)
class Policy:
    version: str
    effective_from: date
    review_working_days: int
    amounts_confirmed: bool  # False while the amounts are placeholders, not yet from a notice
    rules: tuple[Rule, ...]

    def evaluate(self, hire: HireFacts) -> list[tuple[Rule, Decision]]:
        """Every rule's decision on ``hire``, in the policy's order."""
        return [(rule, rule.evaluate(hire)) for rule in self.rules]


class _Names(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _RuleDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: str
    name: _Names
    delivery_mode: DeliveryMode
    parameters: dict[str, Any]


class _PolicyDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str = Field(pattern=VERSION_PATTERN.pattern)
    effective_from: date
    review_working_days: int = Field(ge=1)
    amounts_confirmed: bool
    rules: list[_RuleDocument] = Field(min_length=1)


def parse_policy(document: Mapping[str, Any]) -> Policy:
    """A :class:`Policy` from its document; raises :class:`PolicyError` saying what is wrong."""
    try:
        doc = _PolicyDocument.model_validate(document)
    except ValidationError as exc:
        raise PolicyError(f"invalid policy document: {_errors(exc)}") from None
    seen: set[str] = set()
    rules = []
    for r in doc.rules:
        where = f"policy {doc.version}, rule {r.id}"
        if r.id in seen:
            raise PolicyError(f"{where}: duplicate rule id")
        seen.add(r.id)
        rule_type = RULE_TYPES.get(r.type)
        if rule_type is None:
            raise PolicyError(
                f"{where}: unknown rule type {r.type!r} (known: {sorted(RULE_TYPES)})"
            )
        try:
            parameters = rule_type.parameters.model_validate(r.parameters)
        except ValidationError as exc:
            raise PolicyError(f"{where}: invalid parameters: {_errors(exc)}") from None
        rules.append(Rule(r.id, r.type, r.name.zh, r.name.en, r.delivery_mode, parameters))
    return Policy(
        version=doc.version,
        effective_from=doc.effective_from,
        review_working_days=doc.review_working_days,
        amounts_confirmed=doc.amounts_confirmed,
        rules=tuple(rules),
    )


def _errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(document)'}: {e['msg']}" for e in exc.errors()
    )
