"""Gig-market events into the domain: a broken row is refused alone, a broken chunk is poison."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from injury_insurance import contracts
from injury_insurance.domain.orders import Industry, OrderStatus
from suxin.gig.v1 import events_pb2 as gig
from suxin_common.messaging.runner import PoisonMessage

T0 = datetime(2026, 11, 3, 1, 0, 0, 123456, tzinfo=UTC)


def ts(instant: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(instant)
    return stamp


def row(order_id: str, **changes) -> gig.OrdersReported.PlatformOrder:
    values = dict(
        order_id=order_id,
        worker_id="w1",
        person_key="pk_" + "1" * 32,
        industry=gig.PLATFORM_INDUSTRY_RIDE_HAILING,
        status=gig.ORDER_STATUS_ACCEPTED,
        accepted_at=ts(T0),
        city_code="3205",
    )
    return gig.OrdersReported.PlatformOrder(**(values | changes))


def chunk(*rows) -> gig.OrdersReported:
    return gig.OrdersReported(
        chunk_id=str(uuid.uuid4()), platform_uscc="91320100711234567E", orders=list(rows)
    )


def test_orders_keep_their_instants_to_the_microsecond() -> None:
    completed = row("o2", status=gig.ORDER_STATUS_COMPLETED, completed_at=ts(T0))

    result = contracts.orders_reported(chunk(row("o1"), completed))

    first, second = result.orders
    assert (first.accepted_at, first.ended_at, first.status) == (T0, None, OrderStatus.ACCEPTED)
    assert (second.ended_at, second.status) == (T0, OrderStatus.COMPLETED)
    assert first.industry is Industry.RIDE_HAILING
    assert result.refused == []


def test_rows_missing_what_cover_needs_are_refused_one_by_one() -> None:
    no_time = row("o2", status=gig.ORDER_STATUS_CANCELLED)  # cancelled, but when?
    no_person = row("o3", person_key="")
    no_industry = row("o4", industry=gig.PLATFORM_INDUSTRY_UNSPECIFIED)
    no_accept = gig.OrdersReported.PlatformOrder(order_id="o5", worker_id="w", person_key="pk")

    result = contracts.orders_reported(chunk(row("o1"), no_time, no_person, no_industry, no_accept))

    assert [o.order_id for o in result.orders] == ["o1"]
    assert [r.order_id for r in result.refused] == ["o2", "o3", "o4", "o5"]


@pytest.mark.parametrize(
    "broken",
    [
        gig.OrdersReported(chunk_id="not-a-uuid", platform_uscc="91320100711234567E"),
        gig.OrdersReported(chunk_id=str(uuid.uuid4())),
    ],
)
def test_a_chunk_without_id_or_platform_is_poison(broken) -> None:
    with pytest.raises(PoisonMessage):
        contracts.orders_reported(broken)
