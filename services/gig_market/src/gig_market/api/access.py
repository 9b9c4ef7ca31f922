"""Who may see what in gig-market.

- A platform (role `platform`, tenant `platform_id` = the platform's registered `client_id`)
  sees only itself: its workers and orders. Another platform's USCC, worker or order answers
  404, never 403, so a caller cannot probe which platforms or workers exist.
- Platform (partner) tokens also need OAuth2 scopes per route (`platform_scopes`):
  `workers:read`, `workers:write`, `orders:read`, `orders:write`, `platforms:read`.
  HRSS staff use user tokens and are not asked for scopes.
- HRSS staff are scoped by district (`Principal.district_scope()`): markets by their district
  (or city) code, postings by theirs, platforms by the city they are registered in.
  Province-level staff see everything. Other roles are not limited by district: market
  information is public to every caller.
"""

from __future__ import annotations

from gig_market.adapters import repository as repo
from gig_market.api.deps import GigMarketDeps
from gig_market.domain.model import Platform, Posting
from suxin_common.auth import (  # noqa: F401 - re-exported for the routes
    CurrentPrincipal,
    Principal,
    Role,
    acts_as_platform,
    platform_scopes,
)
from suxin_common.errors import Forbidden, NotFound

# Scopes of platform machine tokens (OAuth2 client credentials).
WORKERS_READ = "workers:read"
WORKERS_WRITE = "workers:write"
ORDERS_READ = "orders:read"
ORDERS_WRITE = "orders:write"
PLATFORMS_READ = "platforms:read"


def is_platform_itself(principal: Principal, platform: Platform) -> bool:
    return (
        principal.has_role(Role.PLATFORM)
        and principal.tenant.platform_id is not None
        and principal.tenant.platform_id == platform.client_id
    )


def staff_sees(principal: Principal, platform: Platform) -> bool:
    """HRSS staff see the platforms registered in their district scope (province: all)."""
    return principal.has_role(Role.HRSS_STAFF) and principal.sees_district(platform.city_code)


async def visible_platform(
    deps: GigMarketDeps, principal: Principal, uscc: str, *, staff: bool = True
) -> Platform:
    """The platform, if the caller is that platform (or, when ``staff``, HRSS staff whose
    district covers it); anything else is answered as absent."""
    async with deps.sessions() as session:
        platform = await repo.get_platform(session, uscc)
    if platform is not None and (
        is_platform_itself(principal, platform) or (staff and staff_sees(principal, platform))
    ):
        return platform
    raise NotFound(f"platform {uscc} is not registered")


def check_staff_may_create(principal: Principal, code: str, what: str) -> None:
    """Staff create markets, postings and platforms only within their district scope (403:
    the object does not exist yet, so there is nothing to hide)."""
    if principal.has_role(Role.HRSS_STAFF) and not principal.sees_district(code):
        raise Forbidden(f"{what} outside your district may not be created by you")


def may_manage_posting(principal: Principal, posting: Posting) -> bool:
    """Its enterprise, or HRSS staff whose district covers it, manage a gig posting (close it,
    see and decide its applications, invite matched workers)."""
    if principal.has_role(Role.HRSS_STAFF) and principal.sees_district(posting.district_code):
        return True
    return (
        principal.has_role(Role.ENTERPRISE)
        and posting.poster_uscc is not None
        and posting.poster_uscc == principal.tenant.uscc
    )
