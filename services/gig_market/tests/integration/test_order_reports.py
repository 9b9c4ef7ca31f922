"""Bulk order reports: idempotence, mixed batches, tenancy, transitions, chunked events."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from gig_market.domain.orders import OrderStatus
from suxin.gig.v1 import events_pb2 as pb
from suxin_devkit.testing import scalar

from .conftest import AS_A, AS_B, PLATFORM_A, PLATFORM_B, STAFF

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
URL_A = f"/v1/platforms/{PLATFORM_A}/order-reports"


def row(order_id: str, status: str = "accepted", worker: str = "a1", minutes: int = 0, **kw):
    accepted = T0 + timedelta(minutes=minutes)
    r = {
        "order_id": order_id,
        "worker_id": worker,
        "industry": "instant_delivery",
        "status": status,
        "accepted_at": accepted.isoformat(),
    }
    if status == "completed":
        r["completed_at"] = (accepted + timedelta(minutes=30)).isoformat()
    if status == "cancelled":
        r["cancelled_at"] = (accepted + timedelta(minutes=5)).isoformat()
    return r | kw


async def report(client, rows, headers=AS_A, url=URL_A):
    r = await client.post(url, json={"orders": rows}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def chunks(runtime) -> list[pb.OrdersReported]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT payload, ce_subject FROM outbox "
                "WHERE subject = 'suxin.gig.orders_reported.v1' ORDER BY created_at"
            )
        )
        messages = []
        for payload, key in rows:
            message = pb.OrdersReported.FromString(payload)
            assert key == message.platform_uscc  # one platform's events stay in order
            messages.append(message)
        return messages


async def published_orders(runtime) -> list[pb.OrdersReported.PlatformOrder]:
    return [o for chunk in await chunks(runtime) for o in chunk.orders]


async def test_a_repeated_batch_changes_nothing_and_publishes_nothing(
    client, runtime, two_platforms
):
    batch = [row("o1"), row("o2", "completed"), row("o3", "cancelled", worker="a2")]
    first = await report(client, batch)
    assert (first["new"], first["changed"], first["rejected"], first["chunks"]) == (3, 0, 0, 1)
    events_before = await scalar(runtime.engine, "SELECT count(*) FROM outbox")

    again = await report(client, batch)
    assert (again["new"], again["changed"], again["unchanged"], again["errors"]) == (0, 0, 3, [])
    assert again["chunks"] == 0
    assert await scalar(runtime.engine, "SELECT count(*) FROM outbox") == events_before
    assert await scalar(runtime.engine, "SELECT count(*) FROM orders") == 3

    orders = await published_orders(runtime)
    assert sorted(o.order_id for o in orders) == ["o1", "o2", "o3"]
    o2 = next(o for o in orders if o.order_id == "o2")
    assert o2.status == pb.ORDER_STATUS_COMPLETED and o2.person_key.startswith("pk_")
    assert o2.completed_at.ToDatetime(UTC) == T0 + timedelta(minutes=30)
    assert o2.city_code == "3201" and not o2.HasField("cancelled_at")


async def test_a_mixed_batch_stores_the_good_rows_and_answers_each_bad_row_by_index(
    client, runtime, two_platforms
):
    future = datetime.now(UTC) + timedelta(days=1)
    batch = [
        row("g1"),
        row("bad-time", "completed", completed_at=(T0 - timedelta(minutes=1)).isoformat()),
        {"order_id": "bad-shape", "worker_id": "a1", "industry": "rocket", "status": "accepted"},
        row("g2", "completed"),
        row("bad-worker", worker="nobody"),
        row("bad-industry", industry="intra_city_freight"),
        row("bad-future", accepted_at=future.isoformat()),
        row("bad-tz", accepted_at="2026-11-20T10:00:00"),
        row("bad-status-times", "accepted", completed_at=T0.isoformat()),
        row("bad id with spaces"),
        row("g3", "cancelled", worker="a2"),
    ]
    out = await report(client, batch)
    assert (out["received"], out["new"], out["rejected"]) == (11, 3, 8)
    errors = {e["index"]: e for e in out["errors"]}
    assert sorted(errors) == [1, 2, 4, 5, 6, 7, 8, 9]
    assert errors[1]["status"] == 422 and errors[1]["errors"][0]["field"] == "completed_at"
    assert errors[1]["type"] == "urn:suxin:problem:time-order"
    assert {e["field"] for e in errors[2]["errors"]} == {"industry", "accepted_at"}
    assert errors[2]["order_id"] is None  # refused before parsing; never echoed
    assert errors[4]["status"] == 404 and errors[4]["order_id"] == "bad-worker"
    assert errors[5]["type"] == "urn:suxin:problem:industry-not-registered"
    assert errors[6]["type"] == "urn:suxin:problem:time-in-future"
    assert errors[7]["errors"][0]["field"] == "accepted_at"
    assert errors[8]["type"] == "urn:suxin:problem:status-times-mismatch"
    assert errors[9]["errors"][0]["field"] == "order_id"
    stored = await scalar(
        runtime.engine, "SELECT string_agg(order_id, ',' ORDER BY order_id) FROM orders"
    )
    assert stored == "g1,g2,g3"
    assert sorted(o.order_id for o in await published_orders(runtime)) == ["g1", "g2", "g3"]


async def test_another_platforms_worker_is_a_row_error_and_its_platform_a_404(
    client, runtime, two_platforms
):
    out = await report(client, [row("x1", worker="b1"), row("x2")])
    assert out["new"] == 1
    assert out["errors"][0]["index"] == 0 and out["errors"][0]["status"] == 404
    # B cannot report into A's books, nor read them: A does not exist for B.
    r = await client.post(URL_A, json={"orders": [row("x3", worker="b1")]}, headers=AS_B)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    r = await client.get(f"/v1/platforms/{PLATFORM_A}/orders", headers=AS_B)
    assert r.status_code == 404
    # Staff read orders but do not report them.
    r = await client.post(URL_A, json={"orders": [row("x4")]}, headers=STAFF)
    assert r.status_code == 403
    r = await client.get(f"/v1/platforms/{PLATFORM_A}/orders", headers=STAFF)
    assert [o["order_id"] for o in r.json()["items"]] == ["x2"]
    r = await client.get(f"/v1/platforms/{PLATFORM_B}/orders", headers=AS_B)
    assert r.json()["items"] == []


async def test_orders_move_from_accepted_to_an_end_and_never_back_or_sideways(
    client, runtime, two_platforms
):
    await report(client, [row("t1"), row("t2"), row("t3", "completed"), row("t4", "cancelled")])
    out = await report(
        client,
        [
            row("t1", "completed"),  # accepted -> completed
            row("t2", "cancelled"),  # accepted -> cancelled
            row("t3", "accepted"),  # late accepted after completion: harmless
            row("t4", "completed"),  # cancelled -> completed: refused
            row("t3", "completed", completed_at=(T0 + timedelta(hours=2)).isoformat()),
            row("t1", "accepted", worker="a2"),  # same order id, other worker
        ],
    )
    assert (out["new"], out["changed"], out["unchanged"]) == (0, 2, 1)
    errors = {e["index"]: e for e in out["errors"]}
    assert errors[3]["type"] == "urn:suxin:problem:transition-not-allowed"
    assert errors[3]["status"] == 409
    assert errors[4]["type"] == "urn:suxin:problem:order-conflict"
    assert errors[5]["errors"][0]["field"] == "worker_id"
    async with runtime.engine.connect() as conn:
        states = dict((await conn.execute(text("SELECT order_id, status FROM orders"))).all())
        versions = dict((await conn.execute(text("SELECT order_id, version FROM orders"))).all())
    assert states == {"t1": "completed", "t2": "cancelled", "t3": "completed", "t4": "cancelled"}
    listing = f"/v1/platforms/{PLATFORM_A}/orders"
    r = await client.get(listing, params={"status": "completed"}, headers=AS_A)
    assert [o["order_id"] for o in r.json()["items"]] == ["t1", "t3"]
    r = await client.get(listing, params={"limit": 3}, headers=AS_A)
    rest = await client.get(
        listing, params={"limit": 3, "cursor": r.json()["next_cursor"]}, headers=AS_A
    )
    assert [o["order_id"] for o in rest.json()["items"]] == ["t4"]
    assert rest.json()["next_cursor"] is None
    r = await client.get(listing, params={"limit": 501}, headers=AS_A)
    assert r.status_code == 422
    assert versions == {"t1": 2, "t2": 2, "t3": 1, "t4": 1}
    changes = [o for o in await published_orders(runtime)][4:]
    assert {(o.order_id, o.status) for o in changes} == {
        ("t1", pb.ORDER_STATUS_COMPLETED),
        ("t2", pb.ORDER_STATUS_CANCELLED),
    }


async def test_within_one_batch_rows_apply_in_order(client, runtime, two_platforms):
    out = await report(
        client,
        [row("b1"), row("b1", "completed"), row("b1", "cancelled"), row("b1")],
    )
    assert (out["new"], out["rejected"]) == (1, 1)
    assert out["errors"][0]["index"] == 2
    assert await scalar(runtime.engine, "SELECT status FROM orders") == OrderStatus.COMPLETED


async def test_a_large_batch_is_stored_and_published_in_chunks_of_at_most_2000(
    client, runtime, two_platforms
):
    def worker(i: int) -> str:
        return "a1" if i % 2 else "a2"

    # Over 1 MiB of JSON: bigger than the kit's default request body limit.
    rows = [row(f"L{i:05d}", worker=worker(i), minutes=i % 600) for i in range(9000)]
    out = await report(client, rows)
    assert (out["new"], out["rejected"], out["chunks"]) == (9000, 0, 5)
    sizes = sorted(len(p.orders) for p in await chunks(runtime))
    assert sizes == [1000, 2000, 2000, 2000, 2000]
    completed = [
        row(f"L{i:05d}", "completed", worker=worker(i), minutes=i % 600) for i in range(0, 9000, 3)
    ]
    out = await report(client, completed)
    assert (out["changed"], out["chunks"]) == (3000, 2)
    orders = await published_orders(runtime)
    assert len(orders) == 12000
    assert sum(o.status == pb.ORDER_STATUS_COMPLETED for o in orders) == 3000


async def test_the_same_batch_sent_twice_at_once_is_recorded_once(client, runtime, two_platforms):
    rows = [row(f"C{i:04d}", "completed", worker="a1", minutes=i % 60) for i in range(1500)]
    first, second = await asyncio.gather(report(client, rows), report(client, rows))
    assert first["new"] + second["new"] == 1500
    assert first["rejected"] == second["rejected"] == 0
    orders = await published_orders(runtime)
    assert sorted(o.order_id for o in orders) == [r["order_id"] for r in rows]


async def test_the_batch_envelope_and_its_limits_are_checked(client, runtime, two_platforms):
    for body in (b"not json", b"[]", b'{"orders": []}', b'{"orders": [], "extra": 1}'):
        r = await client.post(
            URL_A, content=body, headers=AS_A | {"content-type": "application/json"}
        )
        assert r.status_code == 422, body
        assert r.headers["content-type"] == "application/problem+json"
    runtime.settings = runtime.settings.model_copy(update={"orders_max_rows": 2})
    r = await client.post(URL_A, json={"orders": [row("a"), row("b"), row("c")]}, headers=AS_A)
    assert r.status_code == 413
    r = await client.post(
        "/v1/platforms/not-a-uscc/order-reports", json={"orders": [row("a")]}, headers=AS_A
    )
    assert r.status_code == 422


async def test_odd_json_in_a_row_is_a_row_error_not_a_crash(client, runtime, two_platforms):
    body = (
        b'{"orders": [{"order_id": 123456789012345678901234567890, "worker_id": "a1"},'
        b' {"order_id": "ok1", "worker_id": "a1", "industry": "instant_delivery",'
        b' "status": "accepted", "accepted_at": "2026-11-20T02:00:00Z"}, 7, null]}'
    )
    r = await client.post(URL_A, content=body, headers=AS_A | {"content-type": "application/json"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["new"], out["rejected"]) == (1, 3)
    assert [e["index"] for e in out["errors"]] == [0, 2, 3]
    assert "123456789012345678901234567890" not in r.text
