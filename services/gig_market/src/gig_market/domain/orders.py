"""Platform orders (平台订单) and the rules of bulk order reports (订单报送).

A platform reports each order as it reaches a status: ``accepted`` (接单), then ``completed``
(完成) or ``cancelled`` (取消). Reports arrive in batches of thousands, late, repeated and out
of order, so each row is judged on its own against what is already recorded:

- a new order is recorded in the status reported (a completed order may arrive first);
- accepted → completed | cancelled is the only change an order can make;
- a repeated status, or an ``accepted`` arriving after the order ended, changes nothing and is
  no error (a platform re-sends a batch whose answer it lost);
- anything else is a row error: an ended order ending differently, or the same order id
  reported with another worker, industry or acceptance time.

Pure code: no I/O. The functions here are called once per row, so they stay small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from typing import Protocol

from gig_market.domain.model import Industry


class OrderStatus(StrEnum):
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class OrderFacts(Protocol):
    """What the rules read of an order, reported or recorded. The API's parsed rows have
    this shape too, so thousands of rows are judged without being copied into another type."""

    @property
    def order_id(self) -> str: ...
    @property
    def worker_id(self) -> str: ...
    @property
    def industry(self) -> Industry: ...
    @property
    def status(self) -> OrderStatus: ...
    @property
    def accepted_at(self) -> datetime: ...
    @property
    def completed_at(self) -> datetime | None: ...
    @property
    def cancelled_at(self) -> datetime | None: ...
    @property
    def city_code(self) -> str | None: ...


def ended_at(order: OrderFacts) -> datetime | None:
    return order.completed_at if order.status is OrderStatus.COMPLETED else order.cancelled_at


@dataclass(frozen=True, slots=True)
class OrderReport:
    """One order as a platform reports it, or as it is recorded."""

    order_id: str
    worker_id: str
    industry: Industry
    status: OrderStatus
    accepted_at: datetime
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    city_code: str | None = None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row of a batch was refused: a problem detail (RFC 9457) without the row."""

    slug: str
    status: int
    detail: str
    field: str | None = None
    # (field, message) of every input at fault, when there are several.
    errors: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return _TITLES[self.status]


_TITLES = {404: "Not Found", 409: "Conflict", 422: "Unprocessable Content"}


class Outcome(Enum):
    ADVANCE = "advance"  # accepted → completed | cancelled: record it
    UNCHANGED = "unchanged"  # repeated or late status: nothing to do, no error


def check_report(
    report: OrderFacts, *, now: datetime, industries: frozenset[Industry], skew: timedelta
) -> RowProblem | None:
    """The rules a row must meet on its own (before it is compared with the record)."""
    if report.industry not in industries:
        return RowProblem(
            "industry-not-registered",
            422,
            f"the platform is not registered for industry {report.industry.value}",
            "industry",
        )
    latest = now + skew
    if report.accepted_at > latest:
        return RowProblem("time-in-future", 422, "accepted_at is in the future", "accepted_at")
    status = report.status
    if status is OrderStatus.ACCEPTED:
        if report.completed_at is not None or report.cancelled_at is not None:
            return RowProblem(
                "status-times-mismatch",
                422,
                "an accepted order has neither completed_at nor cancelled_at",
                "completed_at" if report.completed_at is not None else "cancelled_at",
            )
        return None
    field, other = (
        ("completed_at", "cancelled_at")
        if status is OrderStatus.COMPLETED
        else ("cancelled_at", "completed_at")
    )
    ended = ended_at(report)
    if ended is None:
        return RowProblem(
            "status-times-mismatch", 422, f"a {status.value} order needs {field}", field
        )
    if getattr(report, other) is not None:
        return RowProblem(
            "status-times-mismatch", 422, f"a {status.value} order has no {other}", other
        )
    if ended < report.accepted_at:
        return RowProblem("time-order", 422, f"{field} is before accepted_at", field)
    if ended > latest:
        return RowProblem("time-in-future", 422, f"{field} is in the future", field)
    return None


def judge(recorded: OrderFacts, report: OrderFacts) -> Outcome | RowProblem:
    """What a report does to an order already recorded (or reported earlier in the batch)."""
    if recorded.worker_id != report.worker_id:
        return _mismatch("worker_id")
    if recorded.industry != report.industry:
        return _mismatch("industry")
    if recorded.accepted_at != report.accepted_at:
        return _mismatch("accepted_at")
    if report.status is OrderStatus.ACCEPTED:
        return Outcome.UNCHANGED  # repeated, or late after the order ended
    if recorded.status is OrderStatus.ACCEPTED:
        return Outcome.ADVANCE
    if recorded.status is report.status:
        if ended_at(recorded) == ended_at(report):
            return Outcome.UNCHANGED
        field = "completed_at" if report.status is OrderStatus.COMPLETED else "cancelled_at"
        return RowProblem(
            "order-conflict",
            409,
            f"the order is already {recorded.status.value} at another time",
            field,
        )
    return RowProblem(
        "transition-not-allowed",
        409,
        f"the order is already {recorded.status.value}; it cannot become {report.status.value}",
        "status",
    )


def _mismatch(field: str) -> RowProblem:
    return RowProblem(
        "order-conflict", 409, f"the order was reported earlier with another {field}", field
    )


def fold_batch(
    rows: list[tuple[int, OrderFacts]],
) -> tuple[dict[str, tuple[int, OrderFacts]], list[tuple[int, RowProblem]]]:
    """Reduce a batch to one report per order id, in row order, as if sent one by one.

    Returns the surviving report (and its row index) per order id, and the rows refused
    because they contradict an earlier row of the same batch.
    """
    latest: dict[str, tuple[int, OrderFacts]] = {}
    problems: list[tuple[int, RowProblem]] = []
    for index, report in rows:
        earlier = latest.get(report.order_id)
        if earlier is None:
            latest[report.order_id] = (index, report)
            continue
        outcome = judge(earlier[1], report)
        if outcome is Outcome.ADVANCE:
            latest[report.order_id] = (index, report)
        elif isinstance(outcome, RowProblem):
            problems.append((index, outcome))
    return latest, problems
