"""Request and response bodies of the gig-market API."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, computed_field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from gig_market.domain.model import Industry, MarketLevel, PayUnit, PostingStatus
from gig_market.domain.orders import OrderStatus
from suxin_common.codes import label
from suxin_common.identity import ResidentId, Uscc
from suxin_common.regions import JiangsuCityCode, JiangsuDistrictCode
from suxin_common.web import InputModel

# Identifiers platforms choose for their orders, workers and clients: short and plain, so they
# are safe to echo in errors and logs.
PLAIN_ID = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$"
PlainId = Field(pattern=PLAIN_ID, description="1–64 letters, digits, . _ : -")


# A point in WGS-84 degrees (Jiangsu lies at about 30.7–35.2 N, 116.3–121.9 E).
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Skills = Annotated[list[Annotated[str, Field(min_length=1, max_length=40)]], Field(max_length=20)]


# --- markets and postings -----------------------------------------------------------------


class MarketIn(InputModel):
    name: str = Field(min_length=2, max_length=200)
    level: MarketLevel
    city_code: JiangsuCityCode
    district_code: JiangsuDistrictCode | None = None
    standardised: bool = Field(True, description="规范化零工市场")
    provincial_level: bool = Field(False, description="recognised as 省级零工市场")
    opened_on: date


class MarketOut(BaseModel):
    id: uuid.UUID
    name: str
    level: MarketLevel
    city_code: str
    district_code: str | None
    standardised: bool
    provincial_level: bool
    opened_on: date

    @computed_field
    def level_name(self) -> str | None:
        return label("market-levels", self.level)

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)


class PostingIn(InputModel):
    title: str = Field(min_length=2, max_length=200)
    occupation_code: str = Field(
        pattern=r"^\d-\d{2}-\d{2}-\d{2}$", description="职业分类大典 code, e.g. 4-02-06-03"
    )
    district_code: JiangsuDistrictCode
    pay_unit: PayUnit
    pay_fen: int = Field(ge=1, le=10_000_000, description="pay per unit, in fen (分)")
    headcount: int = Field(ge=1, le=10_000)
    starts_on: date
    ends_on: date
    poster_uscc: Uscc | None = Field(
        None, description="enterprise offering the work; an enterprise caller posts as itself"
    )
    address: str | None = Field(None, min_length=2, max_length=200)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    daily_start: time | None = None
    daily_end: time | None = None
    skills: Skills = []


class PostingOut(BaseModel):
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
    address: str | None
    latitude: float | None
    longitude: float | None
    daily_start: time | None
    daily_end: time | None
    skills: list[str]

    @computed_field
    def occupation_name(self) -> str | None:
        return label("occupations", self.occupation_code)

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)


# --- platforms and workers ----------------------------------------------------------------


class PlatformIn(InputModel):
    uscc: Uscc
    name: str = Field(min_length=2, max_length=200)
    client_id: str = Field(
        pattern=PLAIN_ID, description="the platform_id claim of the platform's machine tokens"
    )
    pilot: bool = Field(False, description="in the 职业伤害保障 pilot")
    industries: list[Industry] = Field(min_length=1, max_length=len(Industry))
    city_code: JiangsuCityCode


class PlatformChange(InputModel):
    name: str | None = Field(None, min_length=2, max_length=200)
    pilot: bool | None = None
    industries: list[Industry] | None = Field(None, min_length=1, max_length=len(Industry))


class PlatformOut(BaseModel):
    uscc: str
    name: str
    client_id: str
    pilot: bool
    industries: list[Industry]
    city_code: str
    version: int
    registered_at: datetime

    @computed_field
    def industry_names(self) -> list[str | None]:
        return [label("platform-industries", i) for i in self.industries]

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class WorkerIn(InputModel):
    worker_id: str = PlainId
    resident_id: ResidentId
    name: str = Field(min_length=1, max_length=50, description="real name (实名)")
    city_code: JiangsuCityCode = Field(description="city where the worker mainly works")


class WorkerOut(BaseModel):
    platform_uscc: str
    worker_id: str
    masked_resident_id: str
    masked_name: str
    city_code: str
    birth_year: int
    registered_at: datetime

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


# --- orders -------------------------------------------------------------------------------


@pydantic_dataclass(config=ConfigDict(**InputModel.model_config), frozen=True, slots=True)
class OrderRowIn:
    """One order as the platform reports it.

    A slotted dataclass, not an `InputModel` subclass (batches hold thousands of rows and the
    whole body is validated in one pydantic-core pass), but under `InputModel`'s rules:
    unknown fields refused, strings stripped and bounded.
    """

    order_id: Annotated[str, PlainId]
    worker_id: Annotated[str, PlainId]
    industry: Industry
    status: OrderStatus
    accepted_at: AwareDatetime
    completed_at: AwareDatetime | None = None
    cancelled_at: AwareDatetime | None = None
    city_code: JiangsuCityCode | None = Field(
        None, description="city where the order was served; default: the worker's city"
    )


class OrderBatchIn(InputModel):
    orders: list[OrderRowIn] = Field(min_length=1)


class RowError(BaseModel):
    """A problem detail (RFC 9457) for one refused row."""

    index: int = Field(description="position of the row in `orders`, from 0")
    order_id: str | None
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict] = Field(default_factory=list, description="fields at fault")


class OrderReportOut(BaseModel):
    received: int = Field(description="rows in the batch")
    new: int = Field(description="orders recorded for the first time")
    changed: int = Field(description="orders that moved from accepted to completed/cancelled")
    unchanged: int = Field(description="rows that changed nothing: repeats, late statuses")
    rejected: int
    chunks: int = Field(description="OrdersReported events published")
    errors: list[RowError]


class OrderOut(BaseModel):
    order_id: str
    worker_id: str
    industry: Industry
    status: OrderStatus
    accepted_at: datetime
    completed_at: datetime | None
    cancelled_at: datetime | None
    city_code: str
    version: int

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)
