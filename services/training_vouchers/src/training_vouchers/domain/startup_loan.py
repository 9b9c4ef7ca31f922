"""创业担保贷款 (start-up guaranteed loan) as a case with its own lifecycle (seed 003 二（四）1;
seed 000): 申请 application -> 担保 guarantee -> 放款 loan -> 贴息 interest subsidies -> 还清
repaid, or 逾期不良 default -> 风险补偿 risk compensation.

"落实创业担保贷款政策，由风险补偿基金承担部分不良贷款风险损失；免收借款人担保费，担保机构工作经费
由财政奖补。" The application is decided by ``rule:startup_loan_interest_subsidy`` of the policy
in force (borrower groups, caps, term); a guarantee may not charge the borrower a fee; each
interest period is subsidised by the same rule on the interest actually paid; a loan that goes
bad has part of its loss borne by the risk-compensation fund (the share is a documented default
in the policy's ``startup_loan`` table). Pure: no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from suxin_common import errors
from suxin_common import reasons as why
from training_vouchers.domain.engine import Verdict, to_fen
from training_vouchers.domain.facts import add_months_to_month
from training_vouchers.domain.policy import Policy
from training_vouchers.domain.support_facts import StartupLoan, startup_loan_facts

RULE_ID = "startup_loan_interest_subsidy"


class LoanStatus(StrEnum):
    APPLIED = "applied"  # 已受理: eligible, waiting for the guarantee
    REJECTED = "rejected"  # 不予受理: the rule is not met
    GUARANTEED = "guaranteed"  # 已担保
    DISBURSED = "disbursed"  # 已放款: 贴息 periods are recorded
    REPAID = "repaid"  # 已结清
    DEFAULTED = "defaulted"  # 逾期不良
    COMPENSATED = "compensated"  # 已风险补偿


class LoanError(errors.RuleViolation, ValueError):
    """A step that cannot happen with these figures (422); ``field`` names the culprit."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, field=field)


class WrongStatus(errors.Conflict, LoanError):
    """A step the loan's status does not allow now (409)."""


@dataclass(frozen=True)
class InterestPeriod:
    start: date
    end: date
    interest_paid_fen: int
    subsidy_fen: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class LoanCase:
    id: uuid.UUID
    application: StartupLoan
    rule_version: str
    status: LoanStatus
    reasons: tuple[str, ...]
    applied_at: datetime
    guarantor: str | None = None
    guaranteed_on: date | None = None
    bank: str | None = None
    disbursed_on: date | None = None
    principal_fen: int | None = None
    annual_rate_bp: int | None = None
    due_on: date | None = None
    interest: tuple[InterestPeriod, ...] = ()
    repaid_on: date | None = None
    defaulted_on: date | None = None
    outstanding_fen: int | None = None
    compensation_fen: int | None = None
    compensation_share: str | None = None
    version: int = 1

    @property
    def subsidy_total_fen(self) -> int:
        return sum(p.subsidy_fen for p in self.interest)


def _expect(case: LoanCase, *allowed: LoanStatus) -> None:
    if case.status not in allowed:
        raise WrongStatus(f"a loan {case.status.value} cannot do this")


def _eligibility_facts(application: StartupLoan) -> dict[str, Any]:
    return startup_loan_facts(application)


def apply(application: StartupLoan, policy: Policy, at: datetime, *, new_id=uuid.uuid4) -> LoanCase:
    """受理: the rule decides eligibility (everything but the interest, which comes later)."""
    decision = policy.rule(RULE_ID).evaluate(_eligibility_facts(application))
    status = LoanStatus.REJECTED if decision.verdict is Verdict.NOT_MET else LoanStatus.APPLIED
    reasons = tuple(r for r in decision.reasons if not why.code_of(r).startswith("amount."))
    return LoanCase(new_id(), application, policy.version, status, reasons, at)


def guarantee(case: LoanCase, *, guarantor: str, on: date, fee_charged_fen: int) -> LoanCase:
    """担保: 免收借款人担保费 (seed 003) — a guarantee that charges the borrower is refused."""
    _expect(case, LoanStatus.APPLIED)
    if fee_charged_fen != 0:
        raise LoanError("免收借款人担保费：担保机构不得向借款人收取担保费", "fee_charged_fen")
    if on < case.application.applied_on:
        raise LoanError("担保日期早于申请日期 (guarantee before the application)", "guaranteed_on")
    return replace(
        case,
        status=LoanStatus.GUARANTEED,
        guarantor=guarantor,
        guaranteed_on=on,
        version=case.version + 1,
    )


def disburse(
    case: LoanCase, *, bank: str, on: date, principal_fen: int, annual_rate_bp: int
) -> LoanCase:
    """放款: at most the amount applied for, after the guarantee; due after the term."""
    _expect(case, LoanStatus.GUARANTEED)
    assert case.guaranteed_on is not None
    if on < case.guaranteed_on:
        raise LoanError("放款日期早于担保日期 (loan before its guarantee)", "disbursed_on")
    if not 0 < principal_fen <= case.application.amount_fen:
        raise LoanError("放款金额须大于0且不超过申请金额", "principal_fen")
    month = add_months_to_month(f"{on:%Y-%m}", case.application.term_months)
    y, m = int(month[:4]), int(month[5:7])
    due = _same_day(y, m, on.day)
    return replace(
        case,
        status=LoanStatus.DISBURSED,
        bank=bank,
        disbursed_on=on,
        principal_fen=principal_fen,
        annual_rate_bp=annual_rate_bp,
        due_on=due,
        version=case.version + 1,
    )


def _same_day(year: int, month: int, day: int) -> date:
    for d in (day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def record_interest(
    case: LoanCase, policy: Policy, *, start: date, end: date, interest_paid_fen: int
) -> LoanCase:
    """贴息: the interest the borrower paid for a period inside the loan's term, subsidised by
    the rule of the case's version; periods never overlap."""
    _expect(case, LoanStatus.DISBURSED)
    assert case.disbursed_on is not None and case.due_on is not None
    if end < start:
        raise LoanError("计息期结束早于开始 (end before start)", "period_end")
    if start < case.disbursed_on or end > case.due_on:
        raise LoanError("计息期须在贷款期限内 (inside the loan term)", "period_start")
    if any(not (end < p.start or start > p.end) for p in case.interest):
        raise LoanError("计息期与已贴息期间重叠 (overlaps a subsidised period)", "period_start")
    if interest_paid_fen < 0:
        raise LoanError("利息不能为负", "interest_paid_fen")
    facts = _eligibility_facts(replace(case.application, interest_paid_fen=interest_paid_fen)) | {
        "loan_amount_fen": case.principal_fen
    }
    decision = policy.rule(RULE_ID).evaluate(facts)
    subsidy = decision.amount_fen if decision.verdict is Verdict.MET else 0
    period = InterestPeriod(start, end, interest_paid_fen, subsidy, decision.reasons)
    return replace(case, interest=(*case.interest, period), version=case.version + 1)


def repay(case: LoanCase, *, on: date) -> LoanCase:
    _expect(case, LoanStatus.DISBURSED)
    assert case.disbursed_on is not None
    if on < case.disbursed_on:
        raise LoanError("还清日期早于放款日期", "repaid_on")
    return replace(case, status=LoanStatus.REPAID, repaid_on=on, version=case.version + 1)


def default(case: LoanCase, *, on: date, outstanding_fen: int) -> LoanCase:
    """逾期不良: the bank reports the loan bad, with what is still owed."""
    _expect(case, LoanStatus.DISBURSED)
    assert case.disbursed_on is not None and case.principal_fen is not None
    if on < case.disbursed_on:
        raise LoanError("不良认定日期早于放款日期", "defaulted_on")
    if not 0 < outstanding_fen <= case.principal_fen:
        raise LoanError("未偿本金须大于0且不超过放款金额", "outstanding_fen")
    return replace(
        case,
        status=LoanStatus.DEFAULTED,
        defaulted_on=on,
        outstanding_fen=outstanding_fen,
        version=case.version + 1,
    )


def compensate(case: LoanCase, policy: Policy) -> LoanCase:
    """风险补偿: the fund bears its share of the outstanding principal (部分不良贷款风险损失)."""
    _expect(case, LoanStatus.DEFAULTED)
    assert case.outstanding_fen is not None
    share = str(policy.tables["startup_loan"]["risk_compensation_share"])
    amount = to_fen(Decimal(case.outstanding_fen) * Decimal(share))
    return replace(
        case,
        status=LoanStatus.COMPENSATED,
        compensation_fen=amount,
        compensation_share=share,
        version=case.version + 1,
    )
