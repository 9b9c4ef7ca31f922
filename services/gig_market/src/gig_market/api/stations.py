"""零工驿站 (gig service stations): where workers find work, advice and a place to wait, with
their opening hours; searchable by distance. Registered by HRSS staff of the district; public."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, status
from pydantic import AwareDatetime

from gig_market.adapters import gig_work_store as store
from gig_market.api.access import check_staff_may_create
from gig_market.api.deps import GigMarketDeps
from gig_market.api.gig_schemas import OpeningHoursOut, StationIn, StationOut
from gig_market.api.schemas import Latitude, Longitude
from gig_market.domain.gig_work import OpeningHours, is_open
from gig_market.handlers import gig_work as handlers
from suxin_common.auth import CurrentPrincipal, Role, require_roles
from suxin_common.errors import NotFound
from suxin_common.web import page_size

router = APIRouter(prefix="/v1", tags=["gig stations"])
STAFF = Depends(require_roles(Role.HRSS_STAFF))
ANYONE = Depends(require_roles(*Role))
Limit = Annotated[int, Depends(page_size(20, 100))]
CHINA = ZoneInfo("Asia/Shanghai")


def _hours(raw: list[dict]) -> list[OpeningHours]:
    return [
        OpeningHours(
            tuple(h["days"]),
            time.fromisoformat(h["opens"]),
            time.fromisoformat(h["closes"]),
        )
        for h in raw
    ]


def _station_out(row, metres: float | None = None, at: datetime | None = None) -> StationOut:
    hours = _hours(row.opening_hours)
    return StationOut(
        id=row.id,
        name=row.name,
        market_id=row.market_id,
        district_code=row.district_code,
        address=row.address,
        latitude=row.latitude,
        longitude=row.longitude,
        opening_hours=[
            OpeningHoursOut(days=list(h.days), opens=h.opens, closes=h.closes) for h in hours
        ],
        services=list(row.services),
        phone=row.phone,
        distance_m=None if metres is None else round(metres),
        open_now=None if at is None else is_open(hours, at.astimezone(CHINA)),
    )


@router.post(
    "/gig-stations",
    status_code=status.HTTP_201_CREATED,
    response_model=StationOut,
    dependencies=[STAFF],
)
async def register_station(body: StationIn, principal: CurrentPrincipal, deps: GigMarketDeps):
    """Register a 零工驿站 in the caller's district scope (name unique; 409 if taken)."""
    uow = deps.uow()
    check_staff_may_create(principal, body.district_code, "a gig station")
    hours = [OpeningHours(tuple(h.days), h.opens, h.closes) for h in body.opening_hours]
    values = body.model_dump(exclude={"opening_hours"}) | {
        "opening_hours": [
            {"days": list(h.days), "opens": h.opens.isoformat(), "closes": h.closes.isoformat()}
            for h in hours
        ]
    }
    station_id = await handlers.register_station(uow, values, hours)
    async with deps.sessions() as session:
        return _station_out(await store.get_station(session, station_id))


@router.get("/gig-stations", response_model=list[StationOut], dependencies=[ANYONE])
async def stations_nearby(
    deps: GigMarketDeps,
    latitude: Latitude,
    longitude: Longitude,
    limit: Limit,
    radius_km: Annotated[int, Query(ge=1, le=100)] = 10,
    open_at: AwareDatetime | None = None,
):
    """零工驿站 within `radius_km` of a point, nearest first, each with its distance and
    whether it is open at `open_at` (default: now)."""
    at = open_at or datetime.now(CHINA)
    async with deps.sessions() as session:
        rows = await store.stations_near(session, latitude, longitude, radius_km * 1000, limit)
    return [_station_out(row, metres, at) for row, metres in rows]


@router.get("/gig-stations/{station_id}", response_model=StationOut, dependencies=[ANYONE])
async def get_station(station_id: uuid.UUID, deps: GigMarketDeps):
    """A 零工驿站 with its opening hours and services."""
    async with deps.sessions() as session:
        row = await store.get_station(session, station_id)
    if row is None:
        raise NotFound(f"gig station {station_id} does not exist")
    return _station_out(row, at=datetime.now(CHINA))
