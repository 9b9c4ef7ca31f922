"""Staff review of subsidy cases (审核): the allowed moves, and overdue cases.

under_review -> approved | rejected | returned; returned -> under_review (the enterprise
supplied what was asked); awaiting_data -> rejected; approved -> paid. An upheld appeal
(复核) reopens a rejected case, or an approved one whose reduced amount is contested and not
yet paid: -> under_review. Anything else is a forbidden transition (409).

An approval takes two people (maker-checker, ``approve``): one proposes it with the amount,
another confirms it. The amount is what the rule computed; staff may grant less with a reason,
never more (``check_amount``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from suxin_common import errors
from training_vouchers.domain.model import CaseStatus, SubsidyCase
from training_vouchers.domain.working_days import CHINA_STANDARD_TIME

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.AWAITING_DATA: frozenset({CaseStatus.REJECTED}),
    CaseStatus.UNDER_REVIEW: frozenset(
        {CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.RETURNED}
    ),
    CaseStatus.RETURNED: frozenset({CaseStatus.UNDER_REVIEW, CaseStatus.REJECTED}),
    CaseStatus.APPROVED: frozenset({CaseStatus.PAID}),
    CaseStatus.REJECTED: frozenset(),
    CaseStatus.PAID: frozenset(),
}
OPEN_FOR_REVIEW = (CaseStatus.UNDER_REVIEW, CaseStatus.RETURNED)


class ForbiddenTransition(errors.Conflict):
    """The case's status does not allow the move (409, with the status it has now)."""

    def __init__(self, case: SubsidyCase, to: CaseStatus) -> None:
        super().__init__(
            f"a case {case.status.value} cannot become {to.value}",
            extra={"status_now": case.status.value},
        )
        self.case, self.to = case, to


class ReasonRequired(errors.RuleViolation, ValueError):
    """The decision needs a reason (422 naming ``reason``)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, field="reason")


class AmountAboveRule(errors.RuleViolation, ValueError):
    """Staff tried to grant more than the rule computed (422 naming ``amount_fen``)."""

    def __init__(self, amount_fen: int, limit_fen: int) -> None:
        super().__init__(
            f"amount_fen {amount_fen} exceeds what the rule computed ({limit_fen} fen); "
            "staff may reduce an amount with a reason, never raise it",
            field="amount_fen",
            extra={"limit_fen": limit_fen},
        )
        self.amount_fen, self.limit_fen = amount_fen, limit_fen


class TookPart(errors.Forbidden):
    """The caller took part in an earlier step and may not do this one (four eyes)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, code="four-eyes", extra={"four_eyes": "took-part"})


def _move(case: SubsidyCase, to: CaseStatus) -> None:
    if to not in ALLOWED[case.status]:
        raise ForbiddenTransition(case, to)


def china_day(at: datetime) -> date:
    return at.astimezone(CHINA_STANDARD_TIME).date()


def decide(
    case: SubsidyCase, to: CaseStatus, *, reason: str | None, by: str, at: datetime
) -> SubsidyCase:
    """Reject (with a reason) or return (with a reason) a case; approval is ``approve``."""
    if to not in (CaseStatus.REJECTED, CaseStatus.RETURNED):
        raise ForbiddenTransition(case, to)
    _move(case, to)
    if to is not CaseStatus.APPROVED and not (reason and reason.strip()):
        raise ReasonRequired(f"a {to.value} case needs a reason")
    return replace(
        case,
        status=to,
        decision_reason=reason.strip() if reason else None,
        decided_at=at,
        decided_by=by,
        version=case.version + 1,
    )


def check_amount(case: SubsidyCase, amount_fen: int | None, reason: str | None) -> int:
    """The amount an approval may grant: the rule's (``None`` asks for it), or less with a
    reason. Refuses a raise (AmountAboveRule) and an unexplained reduction (ReasonRequired)."""
    limit = case.rule_amount_fen if case.rule_amount_fen is not None else case.amount_fen
    if amount_fen is None:
        return limit
    if amount_fen > limit:
        raise AmountAboveRule(amount_fen, limit)
    if amount_fen < limit and not (reason and reason.strip()):
        raise ReasonRequired("granting less than the rule computed needs a reason")
    return amount_fen


def may_approve(case: SubsidyCase) -> None:
    """Raise unless ``case`` may be proposed for approval now."""
    if case.status is not CaseStatus.UNDER_REVIEW:
        raise ForbiddenTransition(case, CaseStatus.APPROVED)


def approve(
    case: SubsidyCase,
    *,
    amount_fen: int | None,
    reason: str | None,
    maker: str,
    checker: str,
    at: datetime,
) -> SubsidyCase:
    """The approval ``maker`` proposed and ``checker`` confirmed (two different people)."""
    if maker == checker:
        raise ValueError("maker and checker must be different people")
    _move(case, CaseStatus.APPROVED)
    granted = check_amount(case, amount_fen, reason)
    limit = case.rule_amount_fen if case.rule_amount_fen is not None else case.amount_fen
    reduced = granted < limit
    return replace(
        case,
        status=CaseStatus.APPROVED,
        amount_fen=granted,
        rule_amount_fen=limit if reduced else None,
        reduction_reason=reason.strip() if reduced and reason else None,
        decision_reason=reason.strip() if reason else None,
        decided_at=at,
        decided_by=maker,
        approved_by=checker,
        version=case.version + 1,
    )


def appealable(case: SubsidyCase) -> bool:
    """A refused case, or an approved one granted less than the rule computed."""
    return case.status is CaseStatus.REJECTED or (
        case.status is CaseStatus.APPROVED and case.reduction_reason is not None
    )


def reopen(
    case: SubsidyCase, *, appeal_id, at: datetime, deadline: date, provisional: bool
) -> SubsidyCase:
    """An upheld appeal: the case is under review again, with a new deadline and the rule's
    full amount to decide on. Only an appealable case reopens (not through ``ALLOWED``: no
    other path leads back from a decision)."""
    if not appealable(case):
        raise ForbiddenTransition(case, CaseStatus.UNDER_REVIEW)
    return replace(
        case,
        status=CaseStatus.UNDER_REVIEW,
        amount_fen=case.rule_amount_fen if case.rule_amount_fen is not None else case.amount_fen,
        rule_amount_fen=None,
        reduction_reason=None,
        review_started_at=at,
        review_deadline=deadline,
        review_deadline_provisional=provisional,
        reopened_by_appeal=appeal_id,
        version=case.version + 1,
    )


def resubmit(case: SubsidyCase, *, at: datetime) -> SubsidyCase:
    """The enterprise supplied the information asked for: the case is under review again."""
    _move(case, CaseStatus.UNDER_REVIEW)
    return replace(case, status=CaseStatus.UNDER_REVIEW, version=case.version + 1)


def pay(case: SubsidyCase, *, reference: str, at: datetime) -> SubsidyCase:
    _move(case, CaseStatus.PAID)
    return replace(
        case,
        status=CaseStatus.PAID,
        paid_at=at,
        payment_reference=reference,
        version=case.version + 1,
    )


def decided_in_time(case: SubsidyCase) -> bool:
    return (
        case.review_deadline is not None
        and case.decided_at is not None
        and china_day(case.decided_at) <= case.review_deadline
    )


def is_overdue(case: SubsidyCase, today: date) -> bool:
    return (
        case.status in OPEN_FOR_REVIEW
        and case.review_deadline is not None
        and today > case.review_deadline
    )
