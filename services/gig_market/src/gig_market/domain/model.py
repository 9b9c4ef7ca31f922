"""Gig-market domain: the registry of standardised gig markets (规范化零工市场).

Seed 002 asks for full coverage at city and county level; seed 003 names two provincial-level
markets in 扬州. Platforms, workers, postings and orders come with the gig-market issue.
"""

from __future__ import annotations

from enum import StrEnum


class MarketLevel(StrEnum):
    PROVINCIAL = "provincial"  # 省级
    CITY = "city"  # 市级
    COUNTY = "county"  # 县级


class MarketRejected(Exception):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def check_market(level: MarketLevel, city_code: str, district_code: str | None) -> None:
    """A county market sits in a district; a city or provincial one may name one."""
    if level is MarketLevel.COUNTY and district_code is None:
        raise MarketRejected("a county-level market needs its district_code", "district_code")
    if district_code is not None and not district_code.startswith(city_code):
        raise MarketRejected("district_code is not in city_code", "district_code")
