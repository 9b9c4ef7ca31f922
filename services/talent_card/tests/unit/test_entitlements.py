"""Entitlements (权益): who may use what, how often."""

from __future__ import annotations

from datetime import date

from talent_card import criteria
from talent_card.domain.entitlements import Entitlement, Period, Refusal, check_use
from talent_card.domain.model import CardLevel


def an_entitlement(period: Period, limit: int | None = 2) -> Entitlement:
    return Entitlement("x", "x", frozenset({CardLevel.A, CardLevel.B}), limit, period)


def test_a_use_within_the_limit_is_allowed_and_the_next_one_refused() -> None:
    e = an_entitlement(Period.YEAR, limit=2)

    assert check_use(e, CardLevel.A, uses_in_period=1) is None
    assert check_use(e, CardLevel.A, uses_in_period=2) is Refusal.LIMIT_REACHED


def test_a_level_outside_the_entitlement_is_refused() -> None:
    assert check_use(an_entitlement(Period.YEAR), CardLevel.C, 0) is Refusal.NOT_COVERED


def test_an_unlimited_entitlement_is_never_used_up() -> None:
    assert check_use(an_entitlement(Period.MONTH, limit=None), CardLevel.B, 10_000) is None


def test_periods_start_on_the_first_of_the_month_the_year_or_the_card() -> None:
    day, issued = date(2026, 11, 24), date(2025, 3, 9)

    assert an_entitlement(Period.MONTH).period_start(day, issued) == date(2026, 11, 1)
    assert an_entitlement(Period.YEAR).period_start(day, issued) == date(2026, 1, 1)
    assert an_entitlement(Period.VALIDITY).period_start(day, issued) == issued


def test_the_catalogue_offers_the_services_of_the_policy() -> None:
    catalogue = criteria.entitlement_catalogue()

    assert {"medical_green_channel", "children_schooling", "housing_support", "transport"} <= set(
        catalogue
    )
    assert all(e.levels for e in catalogue.values())
