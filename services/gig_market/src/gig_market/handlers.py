"""Gig-market handlers."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.dialects.postgresql import insert

from gig_market.adapters.tables import gig_markets
from gig_market.domain.model import MarketLevel, MarketRejected, check_market
from suxin_common.db import UnitOfWork
from suxin_common.web import Conflict, Unprocessable


async def register_market(
    uow: UnitOfWork,
    *,
    name: str,
    level: MarketLevel,
    city_code: str,
    district_code: str | None,
    standardised: bool,
    opened_on: date,
) -> uuid.UUID:
    try:
        check_market(level, city_code, district_code)
    except MarketRejected as exc:
        raise Unprocessable(str(exc), field=exc.field) from exc
    market_id = uuid.uuid4()
    async with uow:
        row = await uow.session.execute(
            insert(gig_markets)
            .values(
                id=market_id,
                name=name,
                level=level.value,
                city_code=city_code,
                district_code=district_code,
                standardised=standardised,
                opened_on=opened_on,
            )
            .on_conflict_do_nothing()
            .returning(gig_markets.c.id)
        )
        if row.first() is None:
            raise Conflict(f"a gig market named {name} is already registered")
        await uow.commit()
    return market_id
