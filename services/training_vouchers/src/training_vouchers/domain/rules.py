"""Employment-subsidy rule types: each is a pure function of a hire's facts and the rule's
parameters, returning a :class:`Decision`.

The parameters (amounts, time limits, groups) are configuration, read from a versioned policy
file (``policies/<version>.yaml``); a rule type only says how they are applied. Every decision
says why (``reasons``: one line per condition, met or not) and which facts it looked at
(``inputs_used``: JSON-ready, only the facts the rule needs).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from training_vouchers.domain.model import ContractType, Education, HireFacts, JobKind, KeyGroup

LABOUR_CONTRACTS = frozenset({ContractType.FIXED_TERM, ContractType.OPEN_ENDED})


@dataclass(frozen=True)
class Decision:
    eligible: bool
    amount_fen: int
    reasons: tuple[str, ...]
    inputs_used: Mapping[str, Any]


class Parameters(BaseModel):
    """Parameters of a rule, as written in the policy file. Unknown keys are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, sets as sorted lists so the output is stable."""
        return {
            name: sorted(value) if isinstance(value, list) else value
            for name, value in self.model_dump(mode="json").items()
        }


class _Conditions:
    """Collects the conditions of one evaluation: eligible only if every one is met."""

    def __init__(self) -> None:
        self.met = True
        self.reasons: list[str] = []

    def check(self, ok: bool, met: str, not_met: str) -> bool:
        self.met = self.met and ok
        self.reasons.append(f"met: {met}" if ok else f"not met: {not_met}")
        return ok

    def decision(self, amount_fen: int, inputs_used: Mapping[str, Any]) -> Decision:
        return Decision(
            eligible=self.met,
            amount_fen=amount_fen if self.met else 0,
            reasons=tuple(self.reasons),
            inputs_used=dict(inputs_used),
        )


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _value(enum_member: Any) -> Any:
    return enum_member.value if enum_member is not None else None


def _labour_contract(
    c: _Conditions, hire: HireFacts, job_kinds: frozenset[JobKind], min_months: int
) -> None:
    c.check(
        hire.job_kind in job_kinds,
        f"job kind {_value(hire.job_kind)} qualifies",
        f"job kind {_value(hire.job_kind)} is not one of {sorted(k.value for k in job_kinds)}",
    )
    if hire.contract_type is ContractType.OPEN_ENDED:
        c.check(True, "open-ended labour contract", "")
    elif hire.contract_type is ContractType.FIXED_TERM:
        months = hire.contract_months
        c.check(
            months >= min_months,
            f"fixed-term labour contract of {months} months (at least {min_months})",
            f"fixed-term labour contract of {months} months, shorter than {min_months}",
        )
    else:
        c.check(False, "", f"{_value(hire.contract_type)} is not a labour contract")


def _contract_inputs(hire: HireFacts) -> dict[str, Any]:
    return {
        "job_kind": _value(hire.job_kind),
        "contract_type": _value(hire.contract_type),
        "contract_months": hire.contract_months,
    }


# --- 一次性吸纳就业补贴: college graduates ---------------------------------------------------


class GraduateAbsorptionParameters(Parameters):
    amount_fen: int = Field(ge=0)
    max_months_since_graduation: int = Field(ge=0)
    min_contract_months: int = Field(ge=1)
    education_levels: frozenset[Education] = Field(min_length=1)
    job_kinds: frozenset[JobKind] = Field(min_length=1)


def one_time_absorption_graduate(hire: HireFacts, p: GraduateAbsorptionParameters) -> Decision:
    """一次性吸纳就业补贴 for hiring a college graduate (高校毕业生) who starts work within
    ``max_months_since_graduation`` months of graduating, on a labour contract of at least
    ``min_contract_months`` months or an open-ended one."""
    c = _Conditions()
    c.check(
        hire.education in p.education_levels,
        f"education {_value(hire.education)} is a college level",
        f"education {_value(hire.education)} is not a college level",
    )
    if c.check(hire.graduation_date is not None, "graduation date known", "no graduation date"):
        assert hire.graduation_date is not None
        latest = add_months(hire.graduation_date, p.max_months_since_graduation)
        c.check(
            hire.graduation_date <= hire.start_date <= latest,
            f"starts within {p.max_months_since_graduation} months of graduation",
            f"start date is not within {p.max_months_since_graduation} months after graduation",
        )
    _labour_contract(c, hire, p.job_kinds, p.min_contract_months)
    inputs = {
        "education": _value(hire.education),
        "graduation_date": hire.graduation_date.isoformat() if hire.graduation_date else None,
        "start_date": hire.start_date.isoformat(),
        **_contract_inputs(hire),
    }
    return c.decision(p.amount_fen, inputs)


# --- 一次性吸纳就业补贴: key groups -----------------------------------------------------------


class KeyGroupAbsorptionParameters(Parameters):
    amount_fen: int = Field(ge=0)
    key_groups: frozenset[KeyGroup] = Field(min_length=1)
    min_contract_months: int = Field(ge=1)
    job_kinds: frozenset[JobKind] = Field(min_length=1)


def one_time_absorption_key_group(hire: HireFacts, p: KeyGroupAbsorptionParameters) -> Decision:
    """一次性吸纳就业补贴 for hiring a person of one of ``key_groups`` (e.g. 就业困难人员,
    脱贫人口) on a labour contract of at least ``min_contract_months`` months or open-ended."""
    c = _Conditions()
    # Only the groups this rule asks about are recorded: the others (e.g. disability) are
    # sensitive and were not used.
    matching = sorted(g.value for g in hire.key_groups & p.key_groups)
    c.check(
        bool(matching),
        f"belongs to key group {', '.join(matching)}",
        f"belongs to none of the key groups {sorted(g.value for g in p.key_groups)}",
    )
    _labour_contract(c, hire, p.job_kinds, p.min_contract_months)
    return c.decision(p.amount_fen, {"key_groups": matching, **_contract_inputs(hire)})


# --- 就业见习补贴 ------------------------------------------------------------------------------


class InternshipParameters(Parameters):
    monthly_amount_fen: int = Field(ge=0)
    max_months: int = Field(ge=1)


def internship_subsidy(hire: HireFacts, p: InternshipParameters) -> Decision:
    """就业见习补贴 for an internship post (见习岗位) under an internship agreement:
    ``monthly_amount_fen`` for each month of the agreement, at most ``max_months`` months."""
    c = _Conditions()
    c.check(
        hire.job_kind is JobKind.INTERNSHIP,
        "internship post",
        f"job kind {_value(hire.job_kind)} is not an internship",
    )
    c.check(
        hire.contract_type is ContractType.INTERNSHIP_AGREEMENT,
        "internship agreement",
        f"{_value(hire.contract_type)} is not an internship agreement",
    )
    c.check(
        hire.contract_months >= 1,
        f"agreement of {hire.contract_months} months",
        "the agreement has no term in months",
    )
    months = min(hire.contract_months, p.max_months)
    inputs = _contract_inputs(hire) | {"months_paid": months if c.met else 0}
    return c.decision(p.monthly_amount_fen * months, inputs)


# --- the registry of rule types ----------------------------------------------------------

P = TypeVar("P", bound=Parameters)


@dataclass(frozen=True)
class RuleType(Generic[P]):
    parameters: type[P]
    evaluate: Callable[[HireFacts, P], Decision]


RULE_TYPES: dict[str, RuleType[Any]] = {
    "one_time_absorption_graduate": RuleType(
        GraduateAbsorptionParameters, one_time_absorption_graduate
    ),
    "one_time_absorption_key_group": RuleType(
        KeyGroupAbsorptionParameters, one_time_absorption_key_group
    ),
    "internship_subsidy": RuleType(InternshipParameters, internship_subsidy),
}
