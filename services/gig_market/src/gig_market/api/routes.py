"""Gig-market HTTP routes."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from gig_market import handlers
from gig_market.adapters.tables import gig_markets
from gig_market.domain.model import MarketLevel
from suxin_common.auth import CurrentPrincipal, Role, require_roles
from suxin_common.regions import JiangsuCityCode, JiangsuDistrictCode
from suxin_common.service import RuntimeDep, UowDep

router = APIRouter(prefix="/v1", tags=["gig markets"])


class MarketIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, max_length=200)
    level: MarketLevel
    city_code: JiangsuCityCode
    district_code: JiangsuDistrictCode | None = None
    standardised: bool = Field(True, description="规范化零工市场")
    opened_on: date


class MarketOut(MarketIn):
    model_config = ConfigDict(extra="ignore")
    id: uuid.UUID


@router.post(
    "/gig-markets",
    status_code=status.HTTP_201_CREATED,
    response_model=MarketOut,
    dependencies=[Depends(require_roles(Role.HRSS_STAFF))],
)
async def register_market(body: MarketIn, uow: UowDep):
    market_id = await handlers.register_market(uow, **body.model_dump())
    return MarketOut(id=market_id, **body.model_dump())


@router.get("/gig-markets", response_model=list[MarketOut])
async def list_markets(
    principal: CurrentPrincipal, runtime: RuntimeDep, city_code: JiangsuCityCode | None = None
):
    query = select(gig_markets).order_by(gig_markets.c.city_code, gig_markets.c.name)
    if city_code:
        query = query.where(gig_markets.c.city_code == city_code)
    async with runtime.sessions() as session:
        rows = (await session.execute(query)).all()
    return [MarketOut.model_validate(r._mapping, from_attributes=False) for r in rows]
