"""Per-order cover windows, contribution rates by effective date, and booking a chunk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from injury_insurance.domain.orders import (
    CST,
    Industry,
    OrderStatus,
    ReportedOrder,
    book_orders,
    cover_window,
    covers,
    month_of,
)
from injury_insurance.domain.rates import RateError, parse_rate_book
from injury_insurance.rates import load_rate_book

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
US = timedelta(microseconds=1)
DAY = timedelta(hours=24)


def order(n: int = 1, **changes) -> ReportedOrder:
    values = dict(
        order_id=f"o{n}",
        worker_id="w1",
        person_key="pk_" + "1" * 32,
        industry=Industry.INSTANT_DELIVERY,
        status=OrderStatus.ACCEPTED,
        accepted_at=T0,
        ended_at=None,
        city_code="3201",
    )
    return ReportedOrder(**(values | changes))


def book(*versions: tuple[str, str, dict], hours: int = 24):
    return parse_rate_book(
        {
            "max_order_cover_hours": hours,
            "versions": [
                {"version": v, "effective_from": d, "rates_fen": r} for v, d, r in versions
            ],
        }
    )


class TestCoverWindow:
    def test_both_ends_of_a_completed_order_are_covered_and_nothing_outside(self) -> None:
        end = T0 + timedelta(minutes=35)

        assert covers(T0, end, DAY, T0)
        assert covers(T0, end, DAY, end)
        assert not covers(T0, end, DAY, T0 - US)
        assert not covers(T0, end, DAY, end + US)

    def test_an_open_order_covers_up_to_the_maximum_and_no_longer(self) -> None:
        assert covers(T0, None, DAY, T0 + DAY)
        assert not covers(T0, None, DAY, T0 + DAY + US)

    def test_a_reported_end_beyond_the_maximum_is_capped(self) -> None:
        assert cover_window(T0, T0 + 3 * DAY, DAY) == (T0, T0 + DAY)

    def test_the_ledger_month_is_the_month_of_acceptance_in_china(self) -> None:
        # 2026-11-30 16:00 UTC is already 1 December in Beijing.
        assert month_of(datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)) == "2026-11"
        assert month_of(datetime(2026, 11, 30, 16, 0, tzinfo=UTC)) == "2026-12"


class TestRates:
    def test_the_shipped_defaults_are_the_published_national_figures(self) -> None:
        rates = load_rate_book()
        [version] = rates.versions

        assert version.defaults is True
        assert rates.rate_for(Industry.RIDE_HAILING, T0).fen == 1
        assert rates.rate_for(Industry.INSTANT_DELIVERY, T0).fen == 7
        assert rates.rate_for(Industry.INTRA_CITY_FREIGHT, T0).fen == 18
        assert rates.rate_for(Industry.LOCAL_SERVICES, T0) is None
        assert rates.max_order_cover == DAY

    def test_a_new_rate_applies_from_midnight_china_time_of_its_effective_date(self) -> None:
        rates = book(
            ("v1", "2026-01-01", {"instant_delivery": 7}),
            ("v2", "2026-12-01", {"instant_delivery": 25}),
        )
        midnight = datetime(2026, 12, 1, tzinfo=CST)

        before = rates.rate_for(Industry.INSTANT_DELIVERY, midnight - US)
        on = rates.rate_for(Industry.INSTANT_DELIVERY, midnight)

        assert (before.version, before.fen) == ("v1", 7)
        assert (on.version, on.fen) == ("v2", 25)

    def test_no_rate_before_the_first_version(self) -> None:
        rates = book(("v1", "2026-01-01", {"ride_hailing": 1}))

        assert rates.rate_for(Industry.RIDE_HAILING, datetime(2025, 12, 31, tzinfo=CST)) is None

    @pytest.mark.parametrize(
        "versions",
        [
            [("v1", "2026-01-01", {"ride_hailing": -1})],
            [("v1", "2026-01-01", {"ride_hailing": 1}), ("v2", "2026-01-01", {"ride_hailing": 2})],
            [("v1", "2026-01-01", {"space_travel": 1})],
            [("v1", "2026-01-01", {"ride_hailing": 0.5})],
        ],
    )
    def test_an_invalid_rate_file_is_refused(self, versions) -> None:
        with pytest.raises(RateError):
            book(*versions)


class TestBookOrders:
    def test_each_order_owes_the_rate_in_force_when_it_was_accepted(self) -> None:
        rates = book(
            ("v1", "2026-01-01", {"instant_delivery": 7}),
            ("v2", "2026-11-04", {"instant_delivery": 9}),
        )
        early = order(1, accepted_at=datetime(2026, 11, 3, 23, 59, tzinfo=CST))
        late = order(2, accepted_at=datetime(2026, 11, 4, 0, 0, tzinfo=CST))

        covered, refused = book_orders([early, late], rates)

        assert [(c.order_id, c.contribution_fen, c.rate_version) for c in covered] == [
            ("o1", 7, "v1"),
            ("o2", 9, "v2"),
        ]
        assert refused == []

    def test_an_order_twice_in_a_chunk_counts_once_with_its_end(self) -> None:
        rates = load_rate_book()
        end = T0 + timedelta(minutes=20)
        accepted = order(1)
        completed = order(1, status=OrderStatus.COMPLETED, ended_at=end)

        covered, _ = book_orders([accepted, completed, accepted], rates)

        [cover] = covered
        assert (cover.ended_at, cover.end_status) == (end, OrderStatus.COMPLETED)

    def test_orders_outside_the_scheme_or_impossible_are_refused_with_a_reason(self) -> None:
        rates = load_rate_book()
        housework = order(1, industry=Industry.LOCAL_SERVICES)
        backwards = order(2, status=OrderStatus.COMPLETED, ended_at=T0 - US)

        covered, refused = book_orders([housework, backwards, order(3)], rates)

        assert [c.order_id for c in covered] == ["o3"]
        assert {r.order_id for r in refused} == {"o1", "o2"}
        assert all(r.reason for r in refused)

    def test_a_cancelled_order_still_owes_its_contribution(self) -> None:
        cancelled = order(1, status=OrderStatus.CANCELLED, ended_at=T0 + timedelta(minutes=2))

        [cover], _ = book_orders([cancelled], load_rate_book())

        assert cover.contribution_fen == 7
        assert cover.end_status is OrderStatus.CANCELLED
