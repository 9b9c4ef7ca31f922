"""The mapping of gig-market's domain to the suxin.gig.v1 contracts."""

from datetime import UTC, datetime, timedelta, timezone

from gig_market import contracts
from gig_market.domain.model import Industry
from gig_market.domain.orders import OrderReport, OrderStatus
from suxin.gig.v1 import events_pb2 as pb

CST = timezone(timedelta(hours=8))


def test_timestamps_keep_the_instant_to_the_microsecond():
    moment = datetime(2026, 11, 20, 10, 0, 1, 250_001, tzinfo=CST)
    assert contracts.timestamp(moment).ToDatetime(UTC) == moment
    before_epoch = datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=UTC)
    ts = contracts.timestamp(before_epoch)
    assert (ts.seconds, ts.nanos) == (-1, 500_000_000)


def test_an_orders_chunk_carries_each_order_with_its_person_key_and_only_its_end_time():
    accepted = datetime(2026, 11, 20, 10, 0, tzinfo=CST)
    done = OrderReport(
        "o1",
        "w1",
        Industry.INTRA_CITY_FREIGHT,
        OrderStatus.COMPLETED,
        accepted,
        completed_at=accepted + timedelta(minutes=40),
    )
    open_ = OrderReport("o2", "w2", Industry.RIDE_HAILING, OrderStatus.ACCEPTED, accepted)
    chunk = contracts.orders_reported(
        "91320100MA1XXXXXX1", [(done, "pk_1", "3201"), (open_, "pk_2", "3210")], accepted
    )
    decoded = pb.OrdersReported.FromString(chunk.SerializeToString())
    first, second = decoded.orders
    assert (first.order_id, first.person_key, first.city_code) == ("o1", "pk_1", "3201")
    assert first.industry == pb.PLATFORM_INDUSTRY_INTRA_CITY_FREIGHT
    assert first.status == pb.ORDER_STATUS_COMPLETED
    assert first.completed_at.ToDatetime(UTC) == accepted + timedelta(minutes=40)
    assert not first.HasField("cancelled_at")
    assert second.status == pb.ORDER_STATUS_ACCEPTED and not second.HasField("completed_at")
    assert decoded.chunk_id and decoded.platform_uscc == "91320100MA1XXXXXX1"
