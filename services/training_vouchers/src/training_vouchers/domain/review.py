"""Staff review of subsidy cases (审核): the allowed moves, and overdue cases.

under_review -> approved | rejected | returned; returned -> under_review (the enterprise
supplied what was asked); awaiting_data -> rejected; approved -> paid. Anything else is a
forbidden transition (409).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

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


class ForbiddenTransition(Exception):
    def __init__(self, case: SubsidyCase, to: CaseStatus) -> None:
        super().__init__(f"a case {case.status.value} cannot become {to.value}")
        self.case, self.to = case, to


class ReasonRequired(ValueError):
    pass


def _move(case: SubsidyCase, to: CaseStatus) -> None:
    if to not in ALLOWED[case.status]:
        raise ForbiddenTransition(case, to)


def china_day(at: datetime) -> date:
    return at.astimezone(CHINA_STANDARD_TIME).date()


def decide(
    case: SubsidyCase, to: CaseStatus, *, reason: str | None, by: str, at: datetime
) -> SubsidyCase:
    """Approve, reject (with a reason) or return (with a reason) a case."""
    if to not in (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.RETURNED):
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
