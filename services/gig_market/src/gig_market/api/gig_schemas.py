"""Request and response bodies of the market: gig profiles, matches, applications, 零工驿站."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Annotated

from pydantic import BaseModel, Field, computed_field

from gig_market.api.schemas import Latitude, Longitude, PostingOut, Skills
from gig_market.domain.gig_work import ApplicationStatus
from suxin_common.codes import label
from suxin_common.regions import JiangsuDistrictCode
from suxin_common.web import InputModel


class GigProfileIn(InputModel):
    display_name: str = Field(
        min_length=1, max_length=20, description="展示名称（如“王师傅”，非实名） / name shown"
    )
    skills: Skills = Field(min_length=1)
    district_code: JiangsuDistrictCode
    latitude: Latitude
    longitude: Longitude
    radius_km: int = Field(10, ge=1, le=100)
    available: bool = True


class GigProfileOut(BaseModel):
    id: uuid.UUID = Field(description="零工求职登记标识 / gig profile id (what posters see)")
    display_name: str = Field(description="展示名称 / name shown to posters")
    skills: list[str]
    district_code: str
    latitude: float
    longitude: float
    radius_km: int
    available: bool
    updated_at: datetime

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)


class PostingMatchOut(BaseModel):
    """An open posting near the worker, and why it was suggested."""

    posting: PostingOut = Field(description="零工岗位 / the gig posting")
    distance_m: int
    matched_skills: list[str]
    score: float


class WorkerMatchOut(BaseModel):
    """A worker near a posting, and why they were suggested (no identity beyond the name shown)."""

    profile_id: uuid.UUID
    display_name: str = Field(description="展示名称 / name the worker shows")
    skills: list[str]
    distance_m: int
    matched_skills: list[str]
    score: float


class InvitationIn(InputModel):
    profile_id: uuid.UUID


class GigApplicationOut(BaseModel):
    id: uuid.UUID = Field(description="零工报名标识 / gig application id")
    posting_id: uuid.UUID
    status: ApplicationStatus = Field(
        description="零工报名状态 / invited, applied, confirmed, completed, declined, withdrawn"
    )
    invited: bool
    version: int
    created_at: datetime
    updated_at: datetime


class MyGigApplicationOut(GigApplicationOut):
    posting_title: str
    poster_uscc: str | None


class PosterGigApplicationOut(GigApplicationOut):
    profile_id: uuid.UUID
    display_name: str = Field(description="展示名称 / name the worker shows")
    skills: list[str]
    distance_m: int | None = Field(
        description="距离（米） / metres from the work's place (none if the posting has no place)"
    )


class OpeningHoursIn(InputModel):
    days: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        min_length=1, max_length=7, description="星期几（1=周一…7=周日） / days of the week"
    )
    opens: time
    closes: time


class StationIn(InputModel):
    name: str = Field(min_length=2, max_length=200)
    market_id: uuid.UUID | None = None
    district_code: JiangsuDistrictCode
    address: str = Field(min_length=2, max_length=200)
    latitude: Latitude
    longitude: Longitude
    opening_hours: list[OpeningHoursIn] = Field(min_length=1, max_length=14)
    services: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(max_length=20)
    phone: str | None = Field(None, pattern=r"^[0-9\-]{5,20}$")


class OpeningHoursOut(BaseModel):
    days: list[int] = Field(description="星期几（1=周一…7=周日） / days of the week")
    opens: time
    closes: time


class StationOut(BaseModel):
    id: uuid.UUID
    name: str
    market_id: uuid.UUID | None
    district_code: str
    address: str
    latitude: float
    longitude: float
    opening_hours: list[OpeningHoursOut]
    services: list[str]
    phone: str | None
    distance_m: int | None = Field(None, description="距离（米） / metres from the given point")
    open_now: bool | None = Field(
        None, description="此刻是否开放 / open at the time asked (`open_at`, default now)"
    )

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)
