"""Policies (政策): versioned sets of employment-subsidy rules with effective dates.

A policy document (``policies/<version>.yaml``) names its version and the day it takes effect,
the rule families (一类补贴: at most one case per person — or enterprise — and occasion, so the
rules of a family never stack), the shared tables (e.g. minimum wages by area) and the rules:
each with an id, a family, a trigger (what kind of situation it looks at), declarative
conditions and an amount formula (see :mod:`~training_vouchers.domain.engine`).

A version is immutable once decisions were made under it: a change of rules is a new file with
a later ``effective_from``. :class:`PolicyBook` holds every version and answers which one is in
force on a day; stored decisions name their version and replay under it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from suxin_common.facts import Source
from training_vouchers.domain.engine import (
    Condition,
    Decision,
    Facts,
    Formula,
    RuleError,
    Verdict,
    decide,
    parse_condition,
    parse_formula,
)
from training_vouchers.domain.model import DeliveryMode
from training_vouchers.domain.provenance import ACCEPTED_SOURCES, Evidence, split

VERSION_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{0,63}$")


class PolicyError(ValueError):
    """A policy document is invalid."""


class Trigger(StrEnum):
    """What a rule looks at."""

    HIRE = "hire"  # a recorded hire (HireRecorded)
    BIRTH = "birth"  # a woman employee's child birth (from the social-insurance system)
    ENTERPRISE_YEAR = "enterprise_year"  # an enterprise's figures for a year (稳岗返还)
    JOB_SEARCH = "job_search"  # a graduating student looking for work (求职补贴)
    STARTUP_LOAN = "startup_loan"  # a 创业担保贷款 application (贴息)
    STARTUP_BASE_YEAR = "startup_base_year"  # a 创业示范基地's year (运营补贴)
    INNOVATION_PROJECT = "innovation_project"  # 关键工艺改进 by 高技能人员, or 智能化改造
    ENTERPRISE_LOAN = "enterprise_loan"  # a 苏岗贷 application (loan terms, not cash)
    FLEXIBLE_EMPLOYMENT = "flexible_employment"  # contributions paid as a flexible worker


class Occasion(StrEnum):
    """How often a family pays for the same beneficiary."""

    ONCE = "once"  # once per person, ever
    PER_CHILD = "per_child"  # once per person and child order
    PER_YEAR = "per_year"  # once per enterprise and year
    PER_PROJECT = "per_project"  # once per project (or loan) id
    PER_CLAIM = "per_claim"  # once per claim period (e.g. 灵活就业社保补贴 of a quarter)


@dataclass(frozen=True)
class Family:
    id: str
    name_zh: str
    name_en: str
    occasion: Occasion


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    trigger: Trigger
    name_zh: str
    name_en: str
    delivery_mode: DeliveryMode
    conditions: tuple[Condition, ...]
    formula: Formula
    document: Mapping[str, Any] = field(compare=False, repr=False)
    # fact -> the sources this rule decides on (ACCEPTED_SOURCES, narrowed by ``accepts``).
    accepts: Mapping[str, frozenset[Source]] = field(default_factory=dict, compare=False)
    source: str | None = None
    defaults: tuple[str, ...] = ()

    @cached_property
    def reads(self) -> frozenset[str]:
        names = set(self.formula.reads)
        for c in self.conditions:
            names |= c.reads
        return frozenset(names)

    def evaluate(self, facts: Facts, declared: Facts | None = None) -> Decision:
        """The decision on plain facts, every one taken as stated by an accepted source
        (the policy calculator, replays of stored inputs)."""
        return decide(self.conditions, self.formula, facts, declared, self.reads)

    def judge(self, evidence: Evidence) -> Decision:
        """The decision on evidence: only values from the sources this rule accepts count;
        declared ones can make it wait, never pay."""
        seen = split(evidence, self.accepts)
        decision = decide(self.conditions, self.formula, seen.facts, seen.declared, self.reads)
        read = self.reads | set(decision.inputs_used)
        return replace(
            decision,
            sources={k: v for k, v in seen.sources.items() if k in read},
            declared={k: v for k, v in seen.declared.items() if k in read},
        )

    def waiting_for(self, decision: Decision) -> tuple[dict[str, Any], ...]:
        """What a pending decision needs verified: each fact, the sources that would settle
        it, and what was declared."""
        return tuple(
            {
                "fact": name,
                "accepted_sources": sorted(s.value for s in self.accepts.get(name, ())),
                "declared": decision.declared.get(name),
            }
            for name in sorted(decision.awaiting_verification)
        )


@dataclass(frozen=True)
class Policy:
    version: str
    effective_from: date
    review_working_days: int
    amounts_confirmed: bool  # False while default amounts are not yet from a notice
    families: Mapping[str, Family]
    tables: Mapping[str, Any]
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def evaluate(self, facts: Facts, trigger: Trigger) -> list[tuple[Rule, Decision]]:
        """Every rule of ``trigger``'s decision on ``facts``, in the policy's order."""
        return [(r, r.evaluate(facts)) for r in self.rules if r.trigger is trigger]

    def judge(self, evidence: Evidence, trigger: Trigger) -> list[tuple[Rule, Decision]]:
        """Every rule of ``trigger``'s decision on ``evidence`` (sources checked)."""
        return [(r, r.judge(evidence)) for r in self.rules if r.trigger is trigger]


@dataclass(frozen=True)
class Choice:
    """The rule a family grants (or would grant once data arrives), and the others' fate."""

    family: Family
    rule: Rule
    decision: Decision


def choose_per_family(
    policy: Policy, decisions: Sequence[tuple[Rule, Decision]]
) -> dict[str, Choice]:
    """No stacking within a family: the met rule with the highest amount, else the pending one
    with the highest amount; ties go to the rule listed first."""
    chosen: dict[str, Choice] = {}
    rank = {Verdict.MET: 2, Verdict.PENDING: 1}
    for rule, decision in decisions:
        if decision.verdict is Verdict.NOT_MET:
            continue
        best = chosen.get(rule.family)
        key = (rank[decision.verdict], decision.amount_fen)
        if best is None or key > (rank[best.decision.verdict], best.decision.amount_fen):
            chosen[rule.family] = Choice(policy.families[rule.family], rule, decision)
    return chosen


class PolicyBook:
    """Every policy version, answering which one is in force on a day."""

    def __init__(self, policies: Sequence[Policy]) -> None:
        if not policies:
            raise PolicyError("no policy versions")
        self._by_version = {p.version: p for p in policies}
        if len(self._by_version) != len(policies):
            raise PolicyError("two policy files declare the same version")
        self._ordered = sorted(policies, key=lambda p: p.effective_from)
        if len({p.effective_from for p in policies}) != len(policies):
            raise PolicyError("two policy versions take effect on the same day")

    @property
    def versions(self) -> list[Policy]:
        return list(self._ordered)

    def version(self, version: str) -> Policy:
        return self._by_version[version]

    def in_force(self, on: date) -> Policy | None:
        """The latest version effective on or before ``on``; None before the first."""
        current = None
        for p in self._ordered:
            if p.effective_from <= on:
                current = p
        return current

    @property
    def latest(self) -> Policy:
        return self._ordered[-1]

    def none_in_force(self, on: date) -> str | None:
        """Why no version decides ``on`` (a day before the first version took effect), in
        Chinese with the English beside it; None when a version is in force."""
        if self.in_force(on) is not None:
            return None
        first = self._ordered[0]
        return (
            f"{on.isoformat()} 无生效的政策版本：最早的版本 {first.version} 自"
            f" {first.effective_from.isoformat()} 起施行，此前的情形不按本系统规则计算"
            f" (no policy version is in force on {on.isoformat()}; the first,"
            f" {first.version}, takes effect on {first.effective_from.isoformat()})"
        )


class _Names(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _FamilyDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: _Names
    occasion: Occasion


class _RuleDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    family: str
    trigger: Trigger
    name: _Names
    delivery_mode: DeliveryMode
    conditions: list[Any] = Field(min_length=1)
    amount: dict[str, Any]
    # Narrower accepted sources for some facts than ACCEPTED_SOURCES (never wider).
    accepts: dict[str, list[Source]] = Field(default_factory=dict)
    note: str | None = None
    # Where the rule comes from (seed and sentence, or the national document) and which of its
    # values are documented defaults awaiting the notice that sets them.
    source: str | None = None
    defaults: list[str] = Field(default_factory=list)


class _PolicyDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str = Field(pattern=VERSION_PATTERN.pattern)
    effective_from: date
    review_working_days: int = Field(ge=1)
    amounts_confirmed: bool
    families: list[_FamilyDocument] = Field(min_length=1)
    tables: dict[str, Any] = Field(default_factory=dict)
    rules: list[_RuleDocument] = Field(min_length=1)


def parse_policy(document: Mapping[str, Any]) -> Policy:
    """A :class:`Policy` from its document; raises :class:`PolicyError` saying what is wrong."""
    try:
        doc = _PolicyDocument.model_validate(document)
    except ValidationError as exc:
        raise PolicyError(f"invalid policy document: {_errors(exc)}") from None
    families = {f.id: Family(f.id, f.name.zh, f.name.en, f.occasion) for f in doc.families}
    if len(families) != len(doc.families):
        raise PolicyError(f"policy {doc.version}: duplicate family id")
    seen: set[str] = set()
    rules = []
    for r, raw in zip(doc.rules, document["rules"], strict=True):
        where = f"policy {doc.version}, rule {r.id}"
        if r.id in seen:
            raise PolicyError(f"{where}: duplicate rule id")
        seen.add(r.id)
        if r.family not in families:
            raise PolicyError(f"{where}: unknown family {r.family!r}")
        try:
            conditions = tuple(
                parse_condition(c, f"{where}, condition {i}") for i, c in enumerate(r.conditions)
            )
            formula = parse_formula(r.amount, doc.tables, f"{where}, amount")
        except RuleError as exc:
            raise PolicyError(str(exc)) from None
        rule = Rule(
            r.id,
            r.family,
            r.trigger,
            r.name.zh,
            r.name.en,
            r.delivery_mode,
            conditions,
            formula,
            document=raw,
            source=r.source,
            defaults=tuple(r.defaults),
        )
        accepts = {}
        for name in sorted(rule.reads):
            if name not in ACCEPTED_SOURCES:
                raise PolicyError(f"{where}: reads {name!r}, a fact with no accepted sources")
            accepts[name] = ACCEPTED_SOURCES[name]
        for name, sources in r.accepts.items():
            wider = set(sources) - set(ACCEPTED_SOURCES.get(name, ()))
            if name not in accepts or wider or Source.DECLARED in sources:
                raise PolicyError(f"{where}: accepts for {name!r} must narrow its accepted sources")
            accepts[name] = frozenset(sources)
        rules.append(replace(rule, accepts=accepts))
    return Policy(
        version=doc.version,
        effective_from=doc.effective_from,
        review_working_days=doc.review_working_days,
        amounts_confirmed=doc.amounts_confirmed,
        families=families,
        tables=doc.tables,
        rules=tuple(rules),
    )


def _errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(document)'}: {e['msg']}" for e in exc.errors()
    )
