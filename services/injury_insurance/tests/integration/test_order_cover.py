"""OrdersReported chunks, handled through a real unit of work: cover rows, contributions booked
once, workers enrolled at their first order, OrdersCovered announced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from injury_insurance import contracts, handlers
from injury_insurance.domain.rates import parse_rate_book
from suxin.gig.v1 import events_pb2 as gig
from suxin.insurance.v1 import events_pb2 as insurance

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
MIN = timedelta(minutes=1)


async def events(kit, runtime, subject: str) -> list:
    found = await kit.rows(
        runtime, "SELECT payload FROM outbox WHERE subject = :s ORDER BY created_at", s=subject
    )
    message = {
        "suxin.insurance.orders_covered.v1": insurance.OrdersCovered,
        "suxin.insurance.coverage_started.v1": insurance.CoverageStarted,
    }[subject]
    return [message.FromString(r.payload) for r in found]


@pytest.fixture
async def pilot(kit, runtime):
    await kit.deliver(runtime, kit.platform_registered())
    await kit.deliver(runtime, kit.worker_registered(worker_id="w1", n=1))
    await kit.deliver(runtime, kit.worker_registered(worker_id="w2", n=2))


async def test_a_chunk_covers_its_orders_books_contributions_and_enrols_workers(
    kit, runtime, pilot
) -> None:
    chunk = kit.orders_reported(
        [
            kit.an_order("o1", T0, completed_at=T0 + 30 * MIN),
            kit.an_order("o2", T0 + MIN),
            kit.an_order("o3", T0 + 2 * MIN, worker_id="w2", n=2),
            kit.an_order(
                "o4", T0, worker_id="w2", n=2, industry=gig.PLATFORM_INDUSTRY_INTRA_CITY_FREIGHT
            ),
        ]
    )

    await kit.deliver(runtime, chunk)

    covers = await kit.rows(
        runtime,
        "SELECT order_id, contribution_fen, month, ended_at, end_status FROM order_covers "
        "ORDER BY order_id",
    )
    assert [(c.order_id, c.contribution_fen, c.month) for c in covers] == [
        ("o1", 7, "2026-11"),
        ("o2", 7, "2026-11"),
        ("o3", 7, "2026-11"),
        ("o4", 18, "2026-11"),
    ]
    assert (covers[0].ended_at, covers[0].end_status) == (T0 + 30 * MIN, "completed")
    ledger = await kit.rows(
        runtime, "SELECT industry, orders, contribution_fen FROM contribution_ledger ORDER BY 1"
    )
    assert [tuple(r) for r in ledger] == [
        ("instant_delivery", 3, 21),
        ("intra_city_freight", 1, 18),
    ]

    [covered] = await events(kit, runtime, "suxin.insurance.orders_covered.v1")
    assert covered.chunk_id == chunk.chunk_id
    assert covered.platform_uscc == kit.PLATFORM_A
    assert sorted(
        (ln.industry, ln.city_code, ln.month, ln.orders, ln.contribution_fen)
        for ln in covered.lines
    ) == [
        (gig.PLATFORM_INDUSTRY_INSTANT_DELIVERY, "3201", "2026-11", 3, 21),
        (gig.PLATFORM_INDUSTRY_INTRA_CITY_FREIGHT, "3201", "2026-11", 1, 18),
    ]
    started = await events(kit, runtime, "suxin.insurance.coverage_started.v1")
    assert sorted(s.worker_id for s in started) == ["w1", "w2"]
    assert {s.scheme for s in started} == {insurance.SCHEME_OCCUPATIONAL_INJURY_PROTECTION}
    assert {s.enterprise_uscc for s in started} == {kit.PLATFORM_A}
    assert {s.hire_id for s in started} == {""}
    [w1] = await kit.rows(runtime, "SELECT * FROM coverages WHERE worker_id = 'w1'")
    assert w1.masked_resident_id == "3201**********123X"
    assert str(w1.start_date) == "2026-11-03"
    assert w1.person_key == kit.person(1)


async def test_a_redelivered_chunk_neither_covers_nor_charges_twice(kit, runtime, pilot) -> None:
    chunk = kit.orders_reported([kit.an_order("o1", T0), kit.an_order("o2", T0 + MIN)])

    await kit.deliver(runtime, chunk)
    await kit.deliver(runtime, chunk)  # a new event id: the inbox cannot tell, the order ids do

    assert len(await kit.rows(runtime, "SELECT 1 FROM order_covers")) == 2
    [ledger] = await kit.rows(runtime, "SELECT orders, contribution_fen FROM contribution_ledger")
    assert tuple(ledger) == (2, 14)
    assert len(await events(kit, runtime, "suxin.insurance.orders_covered.v1")) == 1
    assert len(await events(kit, runtime, "suxin.insurance.coverage_started.v1")) == 1


async def test_a_later_completion_closes_the_window_without_a_second_contribution(
    kit, runtime, pilot
) -> None:
    await kit.deliver(runtime, kit.orders_reported([kit.an_order("o1", T0)]))
    await kit.deliver(
        runtime, kit.orders_reported([kit.an_order("o1", T0, completed_at=T0 + 40 * MIN)])
    )
    # A late, stale "accepted" must not reopen it.
    await kit.deliver(runtime, kit.orders_reported([kit.an_order("o1", T0)]))

    [cover] = await kit.rows(runtime, "SELECT ended_at, end_status FROM order_covers")
    assert (cover.ended_at, cover.end_status) == (T0 + 40 * MIN, "completed")
    [ledger] = await kit.rows(runtime, "SELECT orders, contribution_fen FROM contribution_ledger")
    assert tuple(ledger) == (1, 7)
    assert len(await events(kit, runtime, "suxin.insurance.orders_covered.v1")) == 1


async def test_a_rate_change_applies_to_orders_accepted_from_its_effective_date(
    kit, runtime, pilot, monkeypatch
) -> None:
    rates = parse_rate_book(
        {
            "max_order_cover_hours": 24,
            "versions": [
                {
                    "version": "v1",
                    "effective_from": "2026-01-01",
                    "rates_fen": {"instant_delivery": 7},
                },
                {
                    "version": "v2",
                    "effective_from": "2026-12-01",
                    "rates_fen": {"instant_delivery": 25},
                },
            ],
        }
    )
    monkeypatch.setattr(handlers, "rate_book", lambda: rates)
    last_second = datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Beijing
    midnight = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 December 00:00 in Beijing

    await kit.deliver(
        runtime,
        kit.orders_reported([kit.an_order("old", last_second), kit.an_order("new", midnight)]),
    )

    covers = await kit.rows(
        runtime,
        "SELECT order_id, contribution_fen, rate_version, month FROM order_covers ORDER BY 1",
    )
    assert [tuple(c) for c in covers] == [("new", 25, "v2", "2026-12"), ("old", 7, "v1", "2026-11")]
    ledger = await kit.rows(
        runtime, "SELECT month, orders, contribution_fen FROM contribution_ledger ORDER BY 1"
    )
    assert [tuple(r) for r in ledger] == [("2026-11", 1, 7), ("2026-12", 1, 25)]


async def test_bad_rows_are_left_out_and_the_rest_of_the_chunk_is_covered(
    kit, runtime, pilot
) -> None:
    nameless = kit.an_order("o2", T0)
    nameless.person_key = ""
    chunk = kit.orders_reported(
        [
            kit.an_order("o1", T0),
            nameless,
            kit.an_order("o3", T0, industry=gig.PLATFORM_INDUSTRY_LOCAL_SERVICES),
        ]
    )

    await kit.deliver(runtime, chunk)

    assert [r.order_id for r in await kit.rows(runtime, "SELECT order_id FROM order_covers")] == [
        "o1"
    ]


async def test_orders_of_a_platform_outside_the_pilot_are_not_covered(kit, runtime) -> None:
    await kit.deliver(runtime, kit.platform_registered(kit.PLATFORM_B, pilot=False))

    await kit.deliver(runtime, kit.orders_reported([kit.an_order("o1", T0)], uscc=kit.PLATFORM_B))

    assert await kit.rows(runtime, "SELECT 1 FROM order_covers") == []
    assert await kit.rows(runtime, "SELECT 1 FROM coverages") == []


async def test_orders_of_a_platform_not_registered_yet_are_retried(kit, runtime) -> None:
    with pytest.raises(handlers.NotYetKnown):
        await kit.deliver(
            runtime, kit.orders_reported([kit.an_order("o1", T0)], uscc=kit.PLATFORM_B)
        )

    assert await kit.rows(runtime, "SELECT 1 FROM order_covers") == []


async def test_an_older_platform_registration_does_not_undo_a_newer_one(kit, runtime) -> None:
    await kit.deliver(runtime, kit.platform_registered(pilot=True, version=2))
    await kit.deliver(runtime, kit.platform_registered(pilot=False, version=1))

    [platform] = await kit.rows(runtime, "SELECT pilot, version FROM platforms")
    assert tuple(platform) == (True, 2)


async def test_a_rolled_back_chunk_leaves_the_worker_to_be_enrolled_by_the_next(
    kit, runtime, pilot
) -> None:
    chunk = kit.orders_reported([kit.an_order("o1", T0)])
    # The runner may handle several chunks in one transaction and roll them all back.
    async with runtime.uow() as uow:
        await handlers.cover_orders(uow, contracts.orders_reported(chunk))
        await uow.rollback()

    await kit.deliver(runtime, chunk)
    await kit.deliver(runtime, kit.orders_reported([kit.an_order("o2", T0 + MIN)]))

    assert [r.worker_id for r in await kit.rows(runtime, "SELECT worker_id FROM coverages")] == [
        "w1"
    ]
    assert len(await events(kit, runtime, "suxin.insurance.coverage_started.v1")) == 1
    assert len(await kit.rows(runtime, "SELECT 1 FROM order_covers")) == 2
