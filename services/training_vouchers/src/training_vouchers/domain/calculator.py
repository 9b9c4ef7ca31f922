"""The policy calculator (政策计算器): every rule of the policy, and what a hypothetical
situation would receive under it.

Pure: the same rules and family choice as the cases a real situation opens, on facts the caller
describes. Every rule of the policy comes back, with its verdict, amount and reasons in Chinese;
a rule that would pay nothing says why (a condition not met, data still to come, another rule of
its family granted instead since rules of a family never stack, or a situation of its kind not
described).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from suxin_common import reasons as why
from training_vouchers.domain.engine import REASON_CODES, Decision, Verdict
from training_vouchers.domain.policy import Policy, Rule, Trigger, choose_per_family

# What each trigger is, for "describe a … to see this rule" (English in messages/reasons.yaml).
TRIGGERS_ZH = {
    Trigger.HIRE: "招用",
    Trigger.BIRTH: "女职工生育",
    Trigger.ENTERPRISE_YEAR: "企业年度参保与裁员情况",
    Trigger.JOB_SEARCH: "毕业年度高校毕业生求职",
    Trigger.STARTUP_LOAN: "创业担保贷款申请",
    Trigger.STARTUP_BASE_YEAR: "创业示范基地年度运营情况",
    Trigger.INNOVATION_PROJECT: "企业技改或关键工艺改进项目",
    Trigger.ENTERPRISE_LOAN: "苏岗贷申请",
    Trigger.FLEXIBLE_EMPLOYMENT: "灵活就业社保缴费",
}


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    decision: Decision | None  # None: no situation of the rule's kind was described
    granted: bool
    # Why it pays nothing: stored reasons (suxin_common.reasons), rendered at the edge.
    why_not: tuple[str, ...] | None


def calculate(policy: Policy, situations: Mapping[Trigger, Mapping[str, Any]]) -> list[RuleResult]:
    results = []
    decided: dict[str, tuple[Decision, bool, tuple[str, ...] | None]] = {}
    for trigger, facts in situations.items():
        decisions = policy.evaluate(facts, trigger)
        chosen = choose_per_family(policy, decisions)
        for rule, decision in decisions:
            choice = chosen.get(rule.family)
            granted = choice is not None and choice.rule.id == rule.id
            decided[rule.id] = (decision, granted, _why_not(rule, decision, granted, choice))
    for rule in policy.rules:
        if rule.id in decided:
            decision, granted, why_not = decided[rule.id]
            results.append(RuleResult(rule, decision, granted, why_not))
        else:
            results.append(
                RuleResult(
                    rule,
                    None,
                    False,
                    (why.stored("calculator.not_evaluated", situation=TRIGGERS_ZH[rule.trigger]),),
                )
            )
    return results


def _with_code(decision: Decision, *codes: str) -> tuple[str, ...]:
    return tuple(r for r in decision.reasons if why.code_of(r) in codes)


def _why_not(rule: Rule, decision: Decision, granted: bool, choice) -> tuple[str, ...] | None:
    if decision.verdict is Verdict.NOT_MET:
        return _with_code(decision, REASON_CODES[Verdict.NOT_MET])
    if not granted:
        assert choice is not None
        return (
            why.stored(
                "calculator.not_stackable",
                family={"zh": choice.family.name_zh, "en": choice.family.name_en},
                rule={"zh": choice.rule.name_zh, "en": choice.rule.name_en},
                rule_id=choice.rule.id,
            ),
        )
    if decision.verdict is Verdict.PENDING:
        return _with_code(
            decision, REASON_CODES[Verdict.PENDING], "condition.awaiting_verification"
        )
    return None
