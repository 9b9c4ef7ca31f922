"""Cover at an instant, the contributions ledger and its reconciliation, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import text

from suxin_common.auth import Role

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
US = timedelta(microseconds=1)
MIN = timedelta(minutes=1)


def q(instant: datetime) -> str:
    return quote(instant.isoformat())


@pytest.fixture
async def two_platforms(kit, runtime):
    """Worker person(1) is w1 on platform A and x9 on platform B, with overlapping orders:
    A's o1 from T0 to T0+30min, B's b1 from T0+20min to T0+50min."""
    for uscc in (kit.PLATFORM_A, kit.PLATFORM_B):
        await kit.deliver(runtime, kit.platform_registered(uscc))
    await kit.deliver(runtime, kit.worker_registered(kit.PLATFORM_A, "w1", n=1))
    await kit.deliver(runtime, kit.worker_registered(kit.PLATFORM_B, "x9", n=1))
    await kit.deliver(runtime, kit.worker_registered(kit.PLATFORM_B, "x2", n=2))
    await kit.deliver(
        runtime, kit.orders_reported([kit.an_order("o1", T0, completed_at=T0 + 30 * MIN)])
    )
    await kit.deliver(
        runtime,
        kit.orders_reported(
            [kit.an_order("b1", T0 + 20 * MIN, worker_id="x9", completed_at=T0 + 50 * MIN)],
            uscc=kit.PLATFORM_B,
        ),
    )


async def cover(client, headers, platform: str, worker: str, at: datetime):
    return await client.get(
        f"/v1/platforms/{platform}/workers/{worker}/cover?at={q(at)}", headers=headers
    )


@pytest.mark.parametrize(
    ("offset", "covered"),
    [
        (-US, False),  # a microsecond before acceptance
        (timedelta(0), True),  # the instant of acceptance
        (30 * MIN, True),  # the instant of completion
        (30 * MIN + US, False),  # a microsecond after
    ],
)
async def test_cover_is_exact_at_the_boundaries_of_an_order_window(
    kit, runtime, client, two_platforms, offset, covered
) -> None:
    platform_a = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)

    r = await cover(client, platform_a, kit.PLATFORM_A, "w1", T0 + offset)

    assert r.status_code == 200, r.text
    assert r.json()["covered"] is covered
    assert [o["order_id"] for o in r.json()["orders"]] == (["o1"] if covered else [])


async def test_overlapping_orders_on_two_platforms_both_cover_the_person(
    kit, runtime, client, two_platforms
) -> None:
    staff = kit.auth(runtime, Role.HRSS_STAFF)
    person = kit.person(1)

    overlap = await client.get(
        f"/v1/cover?person_key={person}&at={q(T0 + 25 * MIN)}", headers=staff
    )
    only_b = await client.get(f"/v1/cover?person_key={person}&at={q(T0 + 40 * MIN)}", headers=staff)
    as_a = await cover(
        client,
        kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A),
        kit.PLATFORM_A,
        "w1",
        T0 + 40 * MIN,
    )

    assert [(o["platform_uscc"], o["order_id"]) for o in overlap.json()["orders"]] == [
        (kit.PLATFORM_A, "o1"),
        (kit.PLATFORM_B, "b1"),
    ]
    assert [o["order_id"] for o in only_b.json()["orders"]] == ["b1"]
    # A platform sees its own orders only: A's order had ended by then.
    assert as_a.json() | {"orders": None} == {
        "at": (T0 + 40 * MIN).isoformat().replace("+00:00", "Z"),
        "covered": False,
        "orders": None,
    }


async def test_an_open_order_covers_until_the_documented_maximum(
    kit, runtime, client, two_platforms
) -> None:
    await kit.deliver(runtime, kit.orders_reported([kit.an_order("o2", T0 + 2 * 24 * 60 * MIN)]))
    start = T0 + 2 * 24 * 60 * MIN
    platform_a = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)

    last = await cover(client, platform_a, kit.PLATFORM_A, "w1", start + timedelta(hours=24))
    after = await cover(client, platform_a, kit.PLATFORM_A, "w1", start + timedelta(hours=24) + US)

    assert last.json()["covered"] is True
    assert last.json()["orders"][0]["covered_until"].startswith("2026-11-06T01:00:00")
    assert after.json()["covered"] is False


async def test_a_worker_of_another_platform_is_not_found(
    kit, runtime, client, two_platforms
) -> None:
    platform_a = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)

    others = await cover(client, platform_a, kit.PLATFORM_B, "x9", T0)
    unknown = await cover(client, platform_a, kit.PLATFORM_A, "x9", T0)
    ledger = await client.get(
        f"/v1/platforms/{kit.PLATFORM_B}/contributions/2026-11", headers=platform_a
    )

    assert others.status_code == unknown.status_code == ledger.status_code == 404
    assert others.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "query",
    [
        "at=2026-11-03T09:00:00",  # no UTC offset: ambiguous
        "at=yesterday",
        "",
    ],
)
async def test_a_bad_instant_is_a_422(kit, runtime, client, two_platforms, query) -> None:
    r = await client.get(
        f"/v1/platforms/{kit.PLATFORM_A}/workers/w1/cover?{query}",
        headers=kit.auth(runtime, Role.HRSS_STAFF),
    )

    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"


async def test_the_ledger_reconciles_to_the_orders_and_shows_a_gap(
    kit, runtime, client, two_platforms
) -> None:
    await kit.deliver(
        runtime,
        kit.orders_reported([kit.an_order(f"n{i}", T0 + i * MIN) for i in range(5)]),
    )
    platform_a = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    url = f"/v1/platforms/{kit.PLATFORM_A}/contributions/2026-11"

    ledger = (await client.get(url, headers=platform_a)).json()
    balanced = (await client.get(f"{url}/reconciliation", headers=platform_a)).json()
    async with runtime.engine.begin() as conn:  # a booking gone wrong
        await conn.execute(
            text("UPDATE contribution_ledger SET contribution_fen = contribution_fen + 7")
        )
    gap = (
        await client.get(f"{url}/reconciliation", headers=kit.auth(runtime, Role.HRSS_STAFF))
    ).json()

    assert (ledger["orders"], ledger["contribution_fen"]) == (6, 42)
    assert ledger["lines"] == [
        {"industry": "instant_delivery", "orders": 6, "contribution_fen": 42}
    ]
    assert balanced["balanced"] is True
    assert gap["balanced"] is False
    assert gap["lines"] == [
        {
            "industry": "instant_delivery",
            "ledger_orders": 6,
            "ledger_fen": 49,
            "recomputed_orders": 6,
            "recomputed_fen": 42,
            "balanced": False,
        }
    ]


async def test_a_bad_month_is_a_422_and_other_roles_are_refused(kit, runtime, client) -> None:
    staff = kit.auth(runtime, Role.HRSS_STAFF)

    month = await client.get(f"/v1/platforms/{kit.PLATFORM_A}/contributions/2026-13", headers=staff)
    seeker = await client.get(
        f"/v1/platforms/{kit.PLATFORM_A}/contributions/2026-11",
        headers=kit.auth(runtime, Role.SEEKER),
    )

    assert month.status_code == 422
    assert seeker.status_code == 403
