"""Commands gig-market accepts (imperative; one handler each)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time

from gig_market.domain.model import Industry, MarketLevel, PayUnit
from gig_market.domain.orders import OrderFacts, RowProblem


@dataclass(frozen=True)
class RegisterMarket:
    name: str
    level: MarketLevel
    city_code: str
    district_code: str | None
    standardised: bool
    provincial_level: bool
    opened_on: date


@dataclass(frozen=True)
class RegisterPlatform:
    uscc: str
    name: str
    client_id: str
    pilot: bool
    industries: frozenset[Industry]
    city_code: str


@dataclass(frozen=True)
class ChangePlatform:
    uscc: str
    name: str | None = None
    pilot: bool | None = None
    industries: frozenset[Industry] | None = None


@dataclass(frozen=True)
class RegisterGigWorker:
    platform_uscc: str
    worker_id: str
    resident_id: str  # raw: validated, encrypted and keyed by the handler, never stored as is
    name: str  # real name (实名), stored encrypted
    city_code: str


@dataclass(frozen=True)
class PublishPosting:
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
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    daily_start: time | None = None
    daily_end: time | None = None
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportOrders:
    """A platform's batch of order reports, rows already parsed; ``refused`` holds the rows
    that could not be parsed at all, by their index in the batch."""

    platform_uscc: str
    rows: list[tuple[int, OrderFacts]]
    refused: list[tuple[int, RowProblem]] = field(default_factory=list)
    received: int = 0
