"""Opening subsidy cases (免申即享): the policy finds the enterprise, no application needed.

A situation (a hire, a birth, an enterprise's year) is evaluated against every rule of its
trigger in the policy version in force; per family the best rule is chosen (no stacking). A met
rule opens a case under review, due within the policy's number of working days; a rule that
waits only for social-insurance data opens a case awaiting data, re-evaluated when it arrives.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from training_vouchers.domain.engine import Verdict
from training_vouchers.domain.model import CaseStatus, SubsidyCase
from training_vouchers.domain.policy import Occasion, Policy, Trigger, choose_per_family
from training_vouchers.domain.provenance import Evidence, Known
from training_vouchers.domain.working_days import Deadline, case_deadline

DeadlineOf = Callable[[datetime, int], Deadline]


@dataclass(frozen=True)
class Situation:
    """What is evaluated: the trigger, its facts, and who the cases would concern."""

    trigger: Trigger
    facts: Mapping[str, Any]
    enterprise_uscc: str
    person_key: str | None = None
    hire_id: uuid.UUID | None = None
    city_code: str | None = None
    district_code: str | None = None
    # Where each fact comes from; without it every fact counts as stated (the calculator).
    evidence: Evidence | None = None


def occasion_of(occasion: Occasion, facts: Mapping[str, Any]) -> str:
    if occasion is Occasion.PER_CHILD:
        return f"child-{facts['child_order']}"
    if occasion is Occasion.PER_YEAR:
        return str(facts["year"])
    if occasion is Occasion.PER_PROJECT:
        return f"project-{facts['project_id']}"
    if occasion is Occasion.PER_CLAIM:
        return f"claim-{facts['claim_period']}"
    return "once"


def open_cases(
    situation: Situation,
    policy: Policy,
    opened_at: datetime,
    *,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
    deadline_of: DeadlineOf = case_deadline,
) -> list[SubsidyCase]:
    """The cases ``situation`` opens under ``policy`` at ``opened_at`` (possibly none)."""
    if situation.evidence is not None:
        decisions = policy.judge(situation.evidence, situation.trigger)
    else:
        decisions = policy.evaluate(situation.facts, situation.trigger)
    cases = []
    for family_id, choice in choose_per_family(policy, decisions).items():
        met = choice.decision.verdict is Verdict.MET
        deadline = deadline_of(opened_at, policy.review_working_days) if met else None
        subject = situation.person_key or situation.enterprise_uscc
        if choice.family.occasion is Occasion.PER_YEAR:
            subject = situation.enterprise_uscc
        cases.append(
            SubsidyCase(
                id=new_id(),
                rule_family=family_id,
                subject_key=subject,
                occasion=occasion_of(choice.family.occasion, situation.facts),
                trigger=situation.trigger.value,
                hire_id=situation.hire_id,
                enterprise_uscc=situation.enterprise_uscc,
                person_key=situation.person_key,
                city_code=situation.city_code,
                district_code=situation.district_code,
                rule_id=choice.rule.id,
                rule_version=policy.version,
                delivery_mode=choice.rule.delivery_mode,
                amount_fen=choice.decision.amount_fen,
                inputs=choice.decision.inputs_used,
                reasons=choice.decision.reasons,
                status=CaseStatus.UNDER_REVIEW if met else CaseStatus.AWAITING_DATA,
                opened_at=opened_at,
                review_deadline=deadline.day if deadline else None,
                review_deadline_provisional=deadline.provisional if deadline else False,
                review_started_at=opened_at if met else None,
                sources=choice.decision.sources,
                waiting_for=choice.rule.waiting_for(choice.decision),
            )
        )
    return cases


def reevaluate(
    case: SubsidyCase,
    policy: Policy,
    facts: Mapping[str, Any] | Evidence,
    at: datetime,
    *,
    deadline_of: DeadlineOf = case_deadline,
) -> SubsidyCase | None:
    """A case awaiting data, evaluated again on fresher ``facts`` (plain, or evidence with
    sources) under its own version and rule; the changed case, or None if nothing changed."""
    if case.status is not CaseStatus.AWAITING_DATA:
        return None
    rule = policy.rule(case.rule_id)
    if any(isinstance(v, Known) for v in facts.values()):
        decision = rule.judge(facts)  # type: ignore[arg-type]
    else:
        decision = rule.evaluate(facts)
    waiting = rule.waiting_for(decision)
    if decision.verdict is Verdict.PENDING:
        if (
            dict(decision.inputs_used) == dict(case.inputs)
            and dict(decision.sources) == dict(case.sources)
            and waiting == tuple(case.waiting_for)
        ):
            return None
        return replace(
            case,
            inputs=decision.inputs_used,
            reasons=decision.reasons,
            amount_fen=decision.amount_fen,
            sources=decision.sources,
            waiting_for=waiting,
            version=case.version + 1,
        )
    if decision.verdict is Verdict.NOT_MET:
        return replace(
            case,
            inputs=decision.inputs_used,
            reasons=decision.reasons,
            amount_fen=0,
            sources=decision.sources,
            waiting_for=(),
            status=CaseStatus.REJECTED,
            decision_reason="conditions no longer met on the data received",
            decided_at=at,
            decided_by="policy-engine",
            version=case.version + 1,
        )
    deadline = deadline_of(at, policy.review_working_days)
    return replace(
        case,
        inputs=decision.inputs_used,
        reasons=decision.reasons,
        amount_fen=decision.amount_fen,
        sources=decision.sources,
        waiting_for=(),
        status=CaseStatus.UNDER_REVIEW,
        review_deadline=deadline.day,
        review_deadline_provisional=deadline.provisional,
        review_started_at=at,
        version=case.version + 1,
    )


def replay(case: SubsidyCase, policy: Policy):
    """The decision ``case``'s stored inputs give under its rule and version (explainability:
    the same inputs and version always give the same verdict and amount)."""
    if policy.version != case.rule_version:
        raise ValueError("replay a case under the version that decided it")
    declared = {w["fact"]: w["declared"] for w in case.waiting_for}
    return policy.rule(case.rule_id).evaluate(case.inputs, declared or None)
