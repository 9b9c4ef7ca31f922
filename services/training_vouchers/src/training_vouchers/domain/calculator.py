"""The policy calculator (政策计算器): every subsidy a hypothetical situation would receive.

Pure: the same rules and family choice as the cases a real situation opens, on facts the caller
describes. Each rule comes back with its verdict, amount and reasons; a rule that would pay
nothing says why (a condition not met, data still to come, or another rule of its family
granted instead, since rules of a family never stack).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from training_vouchers.domain.engine import Decision, Verdict
from training_vouchers.domain.policy import Policy, Rule, Trigger, choose_per_family


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    decision: Decision
    granted: bool
    why_not: str | None


def calculate(policy: Policy, situations: Mapping[Trigger, Mapping[str, Any]]) -> list[RuleResult]:
    results = []
    for trigger, facts in situations.items():
        decisions = policy.evaluate(facts, trigger)
        chosen = choose_per_family(policy, decisions)
        for rule, decision in decisions:
            choice = chosen.get(rule.family)
            granted = choice is not None and choice.rule.id == rule.id
            why_not = None
            if decision.verdict is Verdict.NOT_MET:
                why_not = "; ".join(r for r in decision.reasons if r.startswith("not met"))
            elif not granted:
                assert choice is not None
                why_not = (
                    f"not stackable: {choice.rule.id} of the same family "
                    f"({rule.family}) applies instead"
                )
            elif decision.verdict is Verdict.PENDING:
                why_not = "waits for data: " + "; ".join(
                    r for r in decision.reasons if r.startswith("pending")
                )
            results.append(RuleResult(rule, decision, granted, why_not))
    return results
