"""Rules of the gig-market registry."""

import pytest

from gig_market.domain.model import MarketLevel, MarketRejected, check_market


def test_a_county_market_needs_its_district():
    with pytest.raises(MarketRejected) as exc:
        check_market(MarketLevel.COUNTY, "3210", None)
    assert exc.value.field == "district_code"


def test_the_district_must_lie_in_the_city():
    with pytest.raises(MarketRejected):
        check_market(MarketLevel.CITY, "3210", "320114")
    check_market(MarketLevel.COUNTY, "3210", "321002")
    check_market(MarketLevel.PROVINCIAL, "3210", None)
