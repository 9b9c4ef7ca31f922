"""Work queues (工作队列): what a staff member has to do, the most urgent first. Pure code.

Every item has a deadline where the law or the policy sets one (a subsidy case: 20 working
days, from the case; a 工伤认定: 60 days from acceptance, 《工伤保险条例》第二十条; a
就业困难人员认定 / 失业登记: the service's own processing limit), and the queue puts overdue items
first, then by deadline, then the oldest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class QueueItem:
    # subsidy_case | claim | approval | <record kind> | payment_batch | feed_batch
    kind: str
    id: str
    title: str
    detail: str
    link: str
    status: str  # the status label (Chinese)
    received: datetime | None = None
    deadline: date | None = None
    mine: bool = False  # proposed by the viewer: someone else must check it
    tags: tuple[str, ...] = field(default_factory=tuple)

    def overdue(self, today: date) -> bool:
        return self.deadline is not None and self.deadline < today

    def days_left(self, today: date) -> int | None:
        return None if self.deadline is None else (self.deadline - today).days


def ordered(items: list[QueueItem], today: date) -> list[QueueItem]:
    """Overdue first, then by deadline (none last), then the oldest received."""
    far = date.max
    oldest = datetime.min

    def key(item: QueueItem):
        return (
            not item.overdue(today),
            item.deadline or far,
            (item.received.replace(tzinfo=None) if item.received else oldest),
        )

    return sorted(items, key=key)


def deadline_after(start: datetime | date | None, days: int) -> date | None:
    """A calendar-day limit counted from ``start``."""
    if start is None:
        return None
    day = start.date() if isinstance(start, datetime) else start
    return day + timedelta(days=days)


def fen(amount: int | None) -> str:
    """Fen as yuan for people: 1234567 -> '12,345.67 元'."""
    if amount is None:
        return "—"
    return f"{amount // 100:,}.{amount % 100:02d} 元"
