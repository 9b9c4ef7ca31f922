"""Staff review moves, and the policy calculator's answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from suxin_common.reasons import render_all
from training_vouchers.domain import review
from training_vouchers.domain.calculator import calculate
from training_vouchers.domain.cases import Situation, open_cases
from training_vouchers.domain.facts import hire_facts
from training_vouchers.domain.model import CaseStatus
from training_vouchers.domain.policy import Trigger

from .conftest import graduate_hire, paid_months

AT = datetime(2026, 3, 2, 2, tzinfo=UTC)


@pytest.fixture
def case(policy):
    hire = graduate_hire()
    s = Situation(
        Trigger.HIRE,
        hire_facts(hire, paid_months("2026-03")),
        hire.enterprise_uscc,
        hire.person_key,
        hire.hire_id,
    )
    [c] = open_cases(s, policy, AT)
    return c


def approve(case, amount_fen=None, reason=None):
    return review.approve(
        case, amount_fen=amount_fen, reason=reason, maker="maker", checker="checker", at=AT
    )


class TestReview:
    def test_approve_then_pay(self, case):
        approved = approve(case)
        paid = review.pay(approved, reference="PV-1", at=AT)
        assert (approved.status, paid.status) == (CaseStatus.APPROVED, CaseStatus.PAID)
        assert (approved.decided_by, approved.approved_by) == ("maker", "checker")
        assert approved.amount_fen == case.amount_fen > 0
        assert review.decided_in_time(approved)

    def test_an_approval_takes_two_different_people(self, case):
        with pytest.raises(ValueError, match="different people"):
            review.approve(case, amount_fen=None, reason=None, maker="s", checker="s", at=AT)
        with pytest.raises(review.ForbiddenTransition):
            review.decide(case, CaseStatus.APPROVED, reason=None, by="s", at=AT)

    def test_staff_may_reduce_with_a_reason_but_never_raise(self, case):
        with pytest.raises(review.AmountAboveRule) as raised:
            review.check_amount(case, case.amount_fen + 1, "more")
        assert raised.value.limit_fen == case.amount_fen
        with pytest.raises(review.ReasonRequired):
            review.check_amount(case, case.amount_fen - 1, None)
        reduced = approve(case, amount_fen=case.amount_fen - 100, reason="部分月份未缴费")
        assert reduced.amount_fen == case.amount_fen - 100
        assert reduced.rule_amount_fen == case.amount_fen
        assert review.appealable(reduced) and not review.appealable(approve(case))
        # A reopened case is decided again on the rule's full amount.
        reopened = review.reopen(
            reduced, appeal_id=None, at=AT, deadline=date(2026, 12, 31), provisional=False
        )
        assert (reopened.status, reopened.amount_fen) == (CaseStatus.UNDER_REVIEW, case.amount_fen)
        assert reopened.rule_amount_fen is None and reopened.reduction_reason is None

    @pytest.mark.parametrize("to", [CaseStatus.REJECTED, CaseStatus.RETURNED])
    def test_reject_and_return_need_a_reason(self, case, to):
        with pytest.raises(review.ReasonRequired):
            review.decide(case, to, reason="  ", by="staff", at=AT)
        assert (
            review.decide(case, to, reason="材料不全", by="s", at=AT).decision_reason == "材料不全"
        )

    def test_a_returned_case_comes_back_under_review(self, case):
        returned = review.decide(case, CaseStatus.RETURNED, reason="缺合同", by="s", at=AT)
        assert review.resubmit(returned, at=AT).status is CaseStatus.UNDER_REVIEW

    @pytest.mark.parametrize(
        ("status", "move"),
        [
            (CaseStatus.UNDER_REVIEW, lambda c: review.pay(c, reference="x", at=AT)),
            (CaseStatus.PAID, lambda c: approve(c)),
            (CaseStatus.REJECTED, lambda c: review.resubmit(c, at=AT)),
            (CaseStatus.AWAITING_DATA, lambda c: approve(c)),
        ],
    )
    def test_forbidden_moves(self, case, status, move):
        with pytest.raises(review.ForbiddenTransition):
            move(replace(case, status=status))

    def test_overdue_after_the_deadline_only_while_in_review(self, case):
        assert not review.is_overdue(case, case.review_deadline)
        assert review.is_overdue(case, date(2026, 12, 31))
        approved = approve(case)
        assert not review.is_overdue(approved, date(2026, 12, 31))
        late = replace(case, decided_at=datetime(2026, 12, 31, tzinfo=UTC))
        assert not review.decided_in_time(late)


def test_the_calculator_explains_every_rule(policy):
    facts = hire_facts(graduate_hire()) | {
        "social_insurance_months": 1,
        "unemployment_insurance_months": 1,
    }
    results = {r.rule.id: r for r in calculate(policy, {Trigger.HIRE: facts})}

    assert results["job_expansion_youth"].granted and results["job_expansion_youth"].why_not is None
    assert results["one_time_absorption_graduate"].decision.eligible
    assert render_all(results["one_time_absorption_graduate"].why_not, "zh")[0].startswith(
        "不可叠加享受："
    )
    assert render_all(results["internship_subsidy"].why_not, "zh")[0].startswith(
        "不符合：就业见习岗位"
    )
    assert not results["one_time_absorption_difficulty"].granted
