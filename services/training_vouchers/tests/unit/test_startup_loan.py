"""创业担保贷款 as a case: application, guarantee (no fee for the borrower), loan, 贴息 per
period, repaid or defaulted, and 风险补偿 (seed 003 二（四）1)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from suxin_common.reasons import render_all
from training_vouchers.domain import startup_loan as sl
from training_vouchers.domain.support_facts import StartupLoan

AT = datetime(2026, 5, 1, 2, tzinfo=UTC)


def application(**changes) -> StartupLoan:
    values = dict(
        loan_id="L-1",
        applied_on=date(2026, 5, 1),
        borrower_kind="individual",
        borrower_groups=frozenset({"college_graduate"}),
        amount_fen=20_000_000,
        term_months=24,
    )
    return StartupLoan(**(values | changes))


def disbursed(policy) -> sl.LoanCase:
    case = sl.apply(application(), policy, AT)
    case = sl.guarantee(
        case, guarantor="扬州市创业担保中心", on=date(2026, 5, 8), fee_charged_fen=0
    )
    return sl.disburse(
        case, bank="某银行", on=date(2026, 5, 15), principal_fen=20_000_000, annual_rate_bp=345
    )


def test_the_whole_life_of_a_loan_that_is_repaid(policy):
    case = disbursed(policy)
    assert (case.status, case.due_on) == (sl.LoanStatus.DISBURSED, date(2028, 5, 15))
    case = sl.record_interest(
        policy=policy,
        case=case,
        start=date(2026, 5, 15),
        end=date(2026, 8, 14),
        interest_paid_fen=172_500,
    )
    case = sl.record_interest(
        case, policy, start=date(2026, 8, 15), end=date(2026, 11, 14), interest_paid_fen=172_500
    )
    assert [p.subsidy_fen for p in case.interest] == [86_250, 86_250]  # 50% (default share)
    assert case.subsidy_total_fen == 172_500
    repaid = sl.repay(case, on=date(2028, 5, 15))
    assert repaid.status is sl.LoanStatus.REPAID


def test_a_bad_loan_gets_risk_compensation_on_what_is_outstanding(policy):
    case = sl.default(disbursed(policy), on=date(2027, 9, 1), outstanding_fen=8_000_000)
    case = sl.compensate(case, policy)
    assert (case.status, case.compensation_fen, case.compensation_share) == (
        sl.LoanStatus.COMPENSATED,
        4_000_000,
        "0.5",
    )


def test_an_ineligible_application_is_rejected_with_reasons(policy):
    case = sl.apply(application(amount_fen=30_000_001), policy, AT)
    assert case.status is sl.LoanStatus.REJECTED
    assert any(r.startswith("不符合") for r in render_all(case.reasons, "zh"))


def test_the_borrower_pays_no_guarantee_fee(policy):
    case = sl.apply(application(), policy, AT)
    with pytest.raises(sl.LoanError) as caught:
        sl.guarantee(case, guarantor="g", on=date(2026, 5, 8), fee_charged_fen=1)
    assert caught.value.field == "fee_charged_fen"


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 5, 14), date(2026, 6, 14), "period_start"),  # the day before the loan
        (date(2028, 4, 16), date(2028, 5, 16), "period_start"),  # the day after it is due
        (date(2026, 7, 1), date(2026, 6, 30), "period_end"),  # end before start
    ],
)
def test_interest_periods_lie_inside_the_term(policy, start, end, field):
    with pytest.raises(sl.LoanError) as caught:
        sl.record_interest(disbursed(policy), policy, start=start, end=end, interest_paid_fen=1)
    assert caught.value.field == field


def test_periods_do_not_overlap(policy):
    case = sl.record_interest(
        disbursed(policy), policy, start=date(2026, 5, 15), end=date(2026, 8, 14),
        interest_paid_fen=1000,
    )  # fmt: skip
    with pytest.raises(sl.LoanError):
        sl.record_interest(case, policy, start=date(2026, 8, 14), end=date(2026, 9, 1),
                           interest_paid_fen=1000)  # fmt: skip


@pytest.mark.parametrize(
    ("step", "kwargs", "field"),
    [
        ("disburse", {"on": date(2026, 5, 7), "principal_fen": 1}, "disbursed_on"),
        ("disburse", {"on": date(2026, 5, 9), "principal_fen": 20_000_001}, "principal_fen"),
    ],
)
def test_a_loan_is_at_most_what_was_applied_for_and_after_its_guarantee(
    policy, step, kwargs, field
):
    case = sl.apply(application(), policy, AT)
    case = sl.guarantee(case, guarantor="g", on=date(2026, 5, 8), fee_charged_fen=0)
    with pytest.raises(sl.LoanError) as caught:
        sl.disburse(case, bank="b", annual_rate_bp=345, **kwargs)
    assert caught.value.field == field


def test_steps_out_of_order_are_refused(policy):
    case = sl.apply(application(), policy, AT)
    with pytest.raises(sl.WrongStatus):
        sl.disburse(case, bank="b", on=date(2026, 6, 1), principal_fen=1, annual_rate_bp=1)
    with pytest.raises(sl.WrongStatus):
        sl.compensate(disbursed(policy), policy)
    with pytest.raises(sl.LoanError):
        sl.default(disbursed(policy), on=date(2027, 1, 1), outstanding_fen=20_000_001)
