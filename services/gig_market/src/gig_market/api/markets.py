"""Gig markets (规范化零工市场) and the gig postings published at them."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, status
from sqlalchemy import select

from gig_market import handlers
from gig_market.adapters import repository as repo
from gig_market.adapters.tables import gig_markets, gig_postings
from gig_market.api.access import check_staff_may_create, may_manage_posting
from gig_market.api.deps import GigMarketDeps
from gig_market.api.schemas import MarketIn, MarketOut, PostingIn, PostingOut
from gig_market.domain import commands
from gig_market.domain.model import Posting, PostingStatus
from suxin_common.auth import CurrentPrincipal, Principal, Role, district_clause, require_roles
from suxin_common.errors import Forbidden, NotFound, RuleViolation
from suxin_common.regions import JiangsuCityCode
from suxin_common.web import Page, decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1", tags=["gig markets"])
STAFF = Depends(require_roles(Role.HRSS_STAFF))
ANYONE = Depends(require_roles(*Role))  # market information is public to every caller
Limit = Annotated[int, Depends(page_size(50))]
# The division a market serves: its district for a county market, else its city. HRSS staff
# see the markets whose division lies in their district scope (province-level staff: all).
MARKET_DIVISION = sa.func.coalesce(gig_markets.c.district_code, gig_markets.c.city_code)


def market_division(row) -> str:
    return row.district_code or row.city_code


def _market_out(row) -> MarketOut:
    return MarketOut.model_validate(row._mapping, from_attributes=False)


def _posting_out(p: Posting) -> PostingOut:
    return PostingOut(**dataclasses.asdict(p))


@router.post(
    "/gig-markets",
    status_code=status.HTTP_201_CREATED,
    response_model=MarketOut,
    dependencies=[STAFF],
)
async def register_market(body: MarketIn, principal: CurrentPrincipal, deps: GigMarketDeps):
    uow = deps.uow()
    check_staff_may_create(principal, body.district_code or body.city_code, "a gig market")
    market_id = await handlers.register_market(uow, commands.RegisterMarket(**body.model_dump()))
    return await _get_market(deps, market_id, principal)


@router.get("/gig-markets", response_model=Page[MarketOut], dependencies=[ANYONE])
async def list_markets(
    deps: GigMarketDeps,
    principal: CurrentPrincipal,
    limit: Limit,
    city_code: JiangsuCityCode | None = None,
    provincial_level: bool | None = None,
    cursor: str | None = None,
):
    """Markets by city and name; filter by city or by provincial-level status (HRSS staff:
    the markets of their district)."""
    query = (
        select(gig_markets)
        .where(district_clause(MARKET_DIVISION, principal))
        .order_by(gig_markets.c.city_code, gig_markets.c.name)
        .limit(limit + 1)
    )
    if city_code:
        query = query.where(gig_markets.c.city_code == city_code)
    if provincial_level is not None:
        query = query.where(gig_markets.c.provincial_level == provincial_level)
    if cursor is not None:
        position = decode_cursor(cursor)
        city, name = position.get("city"), position.get("name")
        if not isinstance(city, str) or not isinstance(name, str):
            raise RuleViolation("The cursor is invalid.", field="cursor")
        query = query.where(sa.tuple_(gig_markets.c.city_code, gig_markets.c.name) > (city, name))
    async with deps.sessions() as session:
        rows = (await session.execute(query)).all()
    items = [_market_out(r) for r in rows[:limit]]
    next_cursor = (
        encode_cursor({"city": items[-1].city_code, "name": items[-1].name})
        if len(rows) > limit
        else None
    )
    return Page[MarketOut](items=items, next_cursor=next_cursor)


@router.get("/gig-markets/{market_id}", response_model=MarketOut, dependencies=[ANYONE])
async def get_market(market_id: uuid.UUID, principal: CurrentPrincipal, deps: GigMarketDeps):
    return await _get_market(deps, market_id, principal)


async def _visible_market(session, market_id: uuid.UUID, principal: Principal):
    """The market row, if it exists and lies in the caller's district scope, else 404."""
    row = await repo.get_market(session, market_id)
    if row is None or not principal.sees_district(market_division(row)):
        raise NotFound(f"gig market {market_id} does not exist")
    return row


async def _get_market(deps, market_id: uuid.UUID, principal: Principal) -> MarketOut:
    async with deps.sessions() as session:
        row = await _visible_market(session, market_id, principal)
    return _market_out(row)


@router.post(
    "/gig-markets/{market_id}/postings",
    status_code=status.HTTP_201_CREATED,
    response_model=PostingOut,
    dependencies=[Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF))],
    tags=["gig postings"],
)
async def publish_posting(
    market_id: uuid.UUID,
    body: PostingIn,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
):
    """Publish a gig posting at a market: an enterprise posts as itself, staff for anyone
    (at the markets and in the districts of their scope)."""
    uow = deps.uow()
    poster = body.poster_uscc
    if principal.has_role(Role.HRSS_STAFF):
        async with deps.sessions() as session:
            await _visible_market(session, market_id, principal)
        check_staff_may_create(principal, body.district_code, "a gig posting")
    else:
        if poster is not None and poster != principal.tenant.uscc:
            raise Forbidden("an enterprise posts gig work only as itself")
        poster = principal.tenant.uscc
        if poster is None:
            raise Forbidden("the token names no enterprise (tenant.uscc)")
    cmd = commands.PublishPosting(
        market_id=market_id,
        **(body.model_dump() | {"poster_uscc": poster, "skills": tuple(body.skills)}),
    )
    return _posting_out(await handlers.publish_posting(uow, cmd))


@router.get(
    "/gig-markets/{market_id}/postings",
    response_model=Page[PostingOut],
    dependencies=[ANYONE],
    tags=["gig postings"],
)
async def list_postings(
    market_id: uuid.UUID,
    deps: GigMarketDeps,
    principal: CurrentPrincipal,
    limit: Limit,
    status: PostingStatus | None = PostingStatus.OPEN,
    cursor: str | None = None,
):
    """A market's postings (open ones unless `status` says otherwise); HRSS staff see the
    postings of their district."""
    query = (
        select(gig_postings)
        .where(gig_postings.c.market_id == market_id)
        .where(district_clause(gig_postings.c.district_code, principal))
        .order_by(gig_postings.c.id)
        .limit(limit + 1)
    )
    if status is not None:
        query = query.where(gig_postings.c.status == status.value)
    if cursor is not None:
        try:
            after = uuid.UUID(str(decode_cursor(cursor).get("after")))
        except ValueError:
            raise RuleViolation("The cursor is invalid.", field="cursor") from None
        query = query.where(gig_postings.c.id > after)
    async with deps.sessions() as session:
        await _visible_market(session, market_id, principal)
        rows = (await session.execute(query)).all()
    items = [_posting_out(repo.posting_from_row(r)) for r in rows[:limit]]
    next_cursor = encode_cursor({"after": str(items[-1].id)}) if len(rows) > limit else None
    return Page[PostingOut](items=items, next_cursor=next_cursor)


@router.post(
    "/gig-postings/{posting_id}/close",
    response_model=PostingOut,
    dependencies=[Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF))],
    tags=["gig postings"],
)
async def close_posting(posting_id: uuid.UUID, principal: CurrentPrincipal, deps: GigMarketDeps):
    """Close a posting (its enterprise or staff); closing a closed posting is a 409."""
    uow = deps.uow()
    async with deps.sessions() as session:
        posting = await repo.get_posting(session, posting_id)
    if posting is None or not may_manage_posting(principal, posting):
        raise NotFound(f"gig posting {posting_id} does not exist")
    return _posting_out(await handlers.close_posting(uow, posting))
