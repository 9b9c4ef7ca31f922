"""Rules of the gig-market registry, platforms, workers and postings."""

from datetime import date

import pytest

from gig_market.domain.model import (
    MarketLevel,
    Rejected,
    check_market,
    check_platform,
    check_posting,
    mask_name,
)


def test_a_county_market_needs_its_district():
    with pytest.raises(Rejected) as exc:
        check_market(MarketLevel.COUNTY, "3210", None)
    assert exc.value.field == "district_code"


def test_the_district_must_lie_in_the_city():
    with pytest.raises(Rejected):
        check_market(MarketLevel.CITY, "3210", "320114")
    check_market(MarketLevel.COUNTY, "3210", "321002")
    check_market(MarketLevel.CITY, "3210", None)


def test_a_platform_names_at_least_one_industry():
    with pytest.raises(Rejected) as exc:
        check_platform(frozenset())
    assert exc.value.field == "industries"


def test_a_posting_lies_in_its_markets_city_and_ends_after_it_starts():
    today = date(2026, 11, 24)
    check_posting("3210", "321002", today, today, today)
    with pytest.raises(Rejected) as exc:
        check_posting("3210", "320114", today, today, today)
    assert exc.value.field == "district_code"
    with pytest.raises(Rejected) as exc:
        check_posting("3210", "321002", date(2026, 12, 2), date(2026, 12, 1), today)
    assert exc.value.field == "ends_on"
    with pytest.raises(Rejected):
        check_posting("3210", "321002", date(2026, 11, 1), date(2026, 11, 2), today)


def test_names_are_shown_masked():
    assert mask_name("张三丰") == "张**"
    assert mask_name("李") == "*"


@pytest.mark.parametrize(
    ("born", "today", "allowed"),
    [
        (date(2010, 12, 8), date(2026, 12, 7), False),  # the day before the 16th birthday
        (date(2010, 12, 7), date(2026, 12, 7), True),  # on it
        (date(2010, 12, 6), date(2026, 12, 7), True),  # the day after
        (date(2008, 2, 29), date(2024, 2, 28), False),  # leap-day birth: not yet 16
        (date(2008, 2, 29), date(2024, 2, 29), True),
        (date(2009, 2, 28), date(2025, 2, 28), True),
        (date(1966, 1, 1), date(2026, 12, 7), True),  # no upper age limit for gig work
    ],
)
def test_a_worker_is_registered_from_the_16th_birthday_on(born, today, allowed):
    from gig_market.domain.model import check_working_age

    if allowed:
        check_working_age(born, today)
    else:
        with pytest.raises(Rejected) as refused:
            check_working_age(born, today)
        assert refused.value.field == "resident_id"
