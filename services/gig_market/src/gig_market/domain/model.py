"""Gig-market domain: gig markets, platform enterprises, gig workers and gig postings.

零工市场 (gig markets) are public sites at city and county level; seed 002 asks for full
coverage of both levels and seed 003 for two markets recognised as provincial-level
(省级零工市场) in 扬州, a status a city or county market is granted, not a level of its own.
Platform enterprises (平台企业) are partners identified by their USCC; their workers register by
real name. Orders live in ``orders``. Pure code: no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class MarketLevel(StrEnum):
    CITY = "city"  # 市级
    COUNTY = "county"  # 县(市、区)级


class Industry(StrEnum):
    """Industry of platform work in the occupational-injury pilot (平台行业)."""

    RIDE_HAILING = "ride_hailing"  # 出行
    INSTANT_DELIVERY = "instant_delivery"  # 即时配送
    INTRA_CITY_FREIGHT = "intra_city_freight"  # 同城货运
    LOCAL_SERVICES = "local_services"  # 本地生活服务


class PayUnit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    PIECE = "piece"  # 计件


class PostingStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Rejected(Exception):
    """A command breaks a rule; `field` names the input at fault (a 422 at the API)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def check_market(level: MarketLevel, city_code: str, district_code: str | None) -> None:
    """A county market sits in a district of its city; a city market may name its district."""
    if level is MarketLevel.COUNTY and district_code is None:
        raise Rejected("a county-level market needs its district_code", "district_code")
    if district_code is not None and not district_code.startswith(city_code):
        raise Rejected("district_code is not in city_code", "district_code")


@dataclass(frozen=True)
class Platform:
    """A platform enterprise (平台企业), partner of the gig market.

    ``client_id`` is the id its machine credentials carry as the ``platform_id`` tenant claim;
    it is how a token is matched to this platform.
    """

    uscc: str
    name: str
    client_id: str
    pilot: bool  # takes part in the 职业伤害保障 pilot
    industries: frozenset[Industry]
    city_code: str
    version: int
    registered_at: datetime


def check_platform(industries: frozenset[Industry]) -> None:
    if not industries:
        raise Rejected("a platform needs at least one industry", "industries")


@dataclass(frozen=True)
class GigWorker:
    """A worker registered by real name (实名登记) with one platform."""

    platform_uscc: str
    worker_id: str
    person_key: str
    masked_resident_id: str
    masked_name: str
    city_code: str
    birth_year: int
    registered_at: datetime


# 《劳动法》第十五条: 禁止用人单位招用未满十六周岁的未成年人. A platform takes no one younger
# into real-name registration for order-taking (nor into the 职业伤害保障 pilot).
MIN_WORKING_AGE = 16


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on ``day`` (the birthday itself completes a year; a 29 February
    birthday completes it on 1 March in a common year)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_working_age(birth_date: date, today: date) -> None:
    if age_on(birth_date, today) < MIN_WORKING_AGE:
        raise Rejected("the worker is under 16, the minimum working age", "resident_id")


def mask_name(name: str) -> str:
    """A name as it may be shown: its first character, the rest starred (张三丰 → 张**)."""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


@dataclass(frozen=True)
class Posting:
    """A gig posting (零工岗位信息) published at a market."""

    id: uuid.UUID
    market_id: uuid.UUID
    poster_uscc: str | None
    title: str
    occupation_code: str
    district_code: str
    pay_unit: PayUnit
    pay_fen: int
    headcount: int
    starts_on: date
    ends_on: date
    status: PostingStatus
    # Where and when (零工市场 as a market): place in WGS-84 degrees, the daily hours, and the
    # skills asked for. Optional: a posting may name only its district and dates.
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    daily_start: time | None = None
    daily_end: time | None = None
    skills: tuple[str, ...] = ()


def check_posting_place(
    latitude: float | None,
    longitude: float | None,
    daily_start: time | None,
    daily_end: time | None,
) -> None:
    if (latitude is None) != (longitude is None):
        raise Rejected("latitude and longitude are given together", "longitude")
    if (daily_start is None) != (daily_end is None):
        raise Rejected("daily_start and daily_end are given together", "daily_end")
    if daily_start is not None and daily_end is not None and daily_end <= daily_start:
        raise Rejected("daily_end is not after daily_start", "daily_end")


def check_posting(
    market_city: str, district_code: str, starts_on: date, ends_on: date, today: date
) -> None:
    if not district_code.startswith(market_city):
        raise Rejected("district_code is not in the market's city", "district_code")
    if ends_on < starts_on:
        raise Rejected("ends_on is before starts_on", "ends_on")
    if ends_on < today:
        raise Rejected("ends_on is in the past", "ends_on")
