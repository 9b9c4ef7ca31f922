"""Per-order cover (按单保障) of platform workers under occupational-injury protection.

Every order a worker accepts on a pilot platform covers them for that order's window: from the
moment they accepted it to the moment it was completed or cancelled, both instants included.
While the end is unknown the order covers them up to the rate book's maximum after acceptance
(a reported end later than that is capped as well), so a lost completion cannot leave cover open
for ever. Windows of different orders may overlap, on one platform or on several; a worker is
covered at an instant if any window contains it.

For each order covered the platform owes one contribution at the rate in force when the worker
accepted it (cancelled orders too: the worker was covered until the cancellation).

Pure code: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from injury_insurance.domain.rates import RateBook

CST = timezone(timedelta(hours=8), "CST")  # China Standard Time: months and rate dates


class Industry(StrEnum):
    """Industry of platform work (平台行业)."""

    RIDE_HAILING = "ride_hailing"  # 出行
    INSTANT_DELIVERY = "instant_delivery"  # 即时配送
    INTRA_CITY_FREIGHT = "intra_city_freight"  # 同城货运
    LOCAL_SERVICES = "local_services"  # 本地生活服务


class OrderStatus(StrEnum):
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Not frozen: frozen dataclasses cost several times more to build, and chunks build thousands.
@dataclass(slots=True)
class ReportedOrder:
    """One order as a platform reported it (订单), in the status it reached."""

    order_id: str
    worker_id: str
    person_key: str
    industry: Industry
    status: OrderStatus
    accepted_at: datetime
    ended_at: datetime | None  # completed_at or cancelled_at
    city_code: str


@dataclass(slots=True)
class OrderCover:
    """The cover one order gives its worker, and the contribution the platform owes for it."""

    order_id: str
    worker_id: str
    person_key: str
    industry: Industry
    city_code: str
    accepted_at: datetime
    ended_at: datetime | None
    end_status: OrderStatus | None
    contribution_fen: int
    rate_version: str
    month: str  # "YYYY-MM" of acceptance, China Standard Time: the ledger month


@dataclass(frozen=True, slots=True)
class Refused:
    order_id: str
    reason: str


_CST_OFFSET = timedelta(hours=8)


def month_of(instant: datetime) -> str:
    """The month ("YYYY-MM") of an instant in China Standard Time (no daylight saving)."""
    local = instant.astimezone(UTC) + _CST_OFFSET
    return f"{local.year:04d}-{local.month:02d}"


def cover_window(
    accepted_at: datetime, ended_at: datetime | None, max_cover: timedelta
) -> tuple[datetime, datetime]:
    """The closed interval [start, end] an order covers."""
    cap = accepted_at + max_cover
    return accepted_at, cap if ended_at is None or ended_at > cap else ended_at


def covers(
    accepted_at: datetime, ended_at: datetime | None, max_cover: timedelta, instant: datetime
) -> bool:
    start, end = cover_window(accepted_at, ended_at, max_cover)
    return start <= instant <= end


def book_orders(
    orders: Iterable[ReportedOrder], rates: RateBook
) -> tuple[list[OrderCover], list[Refused]]:
    """The cover and contribution of each order of a chunk, and the orders refused with why.

    An order reported twice in one chunk counts once, with the end if one of them has it.
    """
    latest: dict[str, ReportedOrder] = {}
    for order in orders:
        seen = latest.get(order.order_id)
        if seen is None or (seen.ended_at is None and order.ended_at is not None):
            latest[order.order_id] = order
    covered: list[OrderCover] = []
    refused: list[Refused] = []
    for order in latest.values():
        if order.ended_at is not None and order.ended_at < order.accepted_at:
            refused.append(Refused(order.order_id, "ends before it was accepted"))
            continue
        rate = rates.rate_for(order.industry, order.accepted_at)
        if rate is None:
            refused.append(
                Refused(order.order_id, f"no contribution rate for {order.industry} then")
            )
            continue
        covered.append(
            OrderCover(
                order_id=order.order_id,
                worker_id=order.worker_id,
                person_key=order.person_key,
                industry=order.industry,
                city_code=order.city_code,
                accepted_at=order.accepted_at,
                ended_at=order.ended_at,
                end_status=order.status if order.ended_at is not None else None,
                contribution_fen=rate.fen,
                rate_version=rate.version,
                month=month_of(order.accepted_at),
            )
        )
    return covered, refused
