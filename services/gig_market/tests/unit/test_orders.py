"""Rules of platform order reports (pure domain, no I/O)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from gig_market.domain.model import Industry
from gig_market.domain.orders import (
    OrderReport,
    OrderStatus,
    Outcome,
    RowProblem,
    check_report,
    fold_batch,
    judge,
)

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 21, tzinfo=UTC)
SKEW = timedelta(minutes=5)
ALL = frozenset(Industry)

ACCEPTED = OrderReport("o1", "w1", Industry.INSTANT_DELIVERY, OrderStatus.ACCEPTED, T0)
COMPLETED = replace(ACCEPTED, status=OrderStatus.COMPLETED, completed_at=T0 + timedelta(minutes=30))
CANCELLED = replace(ACCEPTED, status=OrderStatus.CANCELLED, cancelled_at=T0 + timedelta(minutes=3))


def check(report: OrderReport, industries=ALL) -> RowProblem | None:
    return check_report(report, now=NOW, industries=industries, skew=SKEW)


def test_well_formed_reports_pass():
    assert check(ACCEPTED) is None
    assert check(COMPLETED) is None
    assert check(CANCELLED) is None
    assert check(replace(COMPLETED, completed_at=T0)) is None  # zero-length order


def test_an_order_cannot_end_before_it_was_accepted():
    problem = check(replace(COMPLETED, completed_at=T0 - timedelta(seconds=1)))
    assert problem is not None and problem.field == "completed_at" and problem.slug == "time-order"
    problem = check(replace(CANCELLED, cancelled_at=T0 - timedelta(minutes=1)))
    assert problem is not None and problem.field == "cancelled_at"


def test_times_must_match_the_status():
    assert check(replace(COMPLETED, completed_at=None)).field == "completed_at"
    assert check(replace(CANCELLED, cancelled_at=None)).field == "cancelled_at"
    assert check(replace(ACCEPTED, cancelled_at=T0)).field == "cancelled_at"
    assert check(replace(COMPLETED, cancelled_at=T0)).field == "cancelled_at"


def test_times_in_the_future_are_refused_beyond_the_clock_skew():
    assert check(replace(ACCEPTED, accepted_at=NOW + SKEW)) is None
    assert check(replace(ACCEPTED, accepted_at=NOW + SKEW * 2)).slug == "time-in-future"
    late_end = replace(COMPLETED, completed_at=NOW + timedelta(hours=1))
    assert check(late_end).field == "completed_at"


def test_the_industry_must_be_one_the_platform_registered():
    problem = check(ACCEPTED, industries=frozenset({Industry.RIDE_HAILING}))
    assert problem is not None and problem.slug == "industry-not-registered"


def test_accepted_moves_to_completed_or_cancelled():
    assert judge(ACCEPTED, COMPLETED) is Outcome.ADVANCE
    assert judge(ACCEPTED, CANCELLED) is Outcome.ADVANCE


def test_repeated_and_late_statuses_change_nothing():
    assert judge(ACCEPTED, ACCEPTED) is Outcome.UNCHANGED
    assert judge(COMPLETED, COMPLETED) is Outcome.UNCHANGED
    assert judge(COMPLETED, ACCEPTED) is Outcome.UNCHANGED  # late
    assert judge(CANCELLED, ACCEPTED) is Outcome.UNCHANGED


def test_an_ended_order_cannot_end_otherwise():
    problem = judge(COMPLETED, CANCELLED)
    assert isinstance(problem, RowProblem) and problem.status == 409
    assert problem.slug == "transition-not-allowed"
    assert judge(CANCELLED, COMPLETED).slug == "transition-not-allowed"
    other_time = replace(COMPLETED, completed_at=T0 + timedelta(hours=1))
    assert judge(COMPLETED, other_time).slug == "order-conflict"


def test_the_same_order_id_must_keep_its_worker_industry_and_acceptance():
    assert judge(ACCEPTED, replace(COMPLETED, worker_id="w2")).field == "worker_id"
    assert judge(ACCEPTED, replace(ACCEPTED, industry=Industry.RIDE_HAILING)).field == "industry"
    moved = replace(COMPLETED, accepted_at=T0 - timedelta(minutes=1))
    assert judge(ACCEPTED, moved).field == "accepted_at"


def test_a_batch_folds_to_one_report_per_order_as_if_sent_in_order():
    other = replace(ACCEPTED, order_id="o2")
    latest, problems = fold_batch(
        [(0, ACCEPTED), (1, other), (2, COMPLETED), (3, CANCELLED), (4, ACCEPTED)]
    )
    assert latest == {"o1": (2, COMPLETED), "o2": (1, other)}
    assert [(index, p.slug) for index, p in problems] == [(3, "transition-not-allowed")]
