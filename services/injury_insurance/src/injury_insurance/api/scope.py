"""Who may see what in injury-insurance.

- **Platforms.** A platform partner's machine token carries ``tenant.uscc`` = the platform's
  USCC and ``tenant.platform_id`` = the client id gig-market registered for it (gig-market
  checks the latter). Injury-insurance knows platforms by USCC only (``PlatformRegistered``
  carries no client id), so it scopes a platform caller by ``tenant.uscc``, everywhere; a token
  without it is refused (403). Another platform's worker, claim or ledger answers 404, never
  403, so a caller cannot probe what exists.
- **Scopes.** Platform tokens also need OAuth2 scopes per route (``platform_scopes``):
  ``cover:read``, ``ledger:read``, ``claims:read``, ``claims:write``. HRSS staff and workers
  use user tokens and are not asked for scopes.
- **Districts.** HRSS staff are scoped by district (``Principal.district_scope()``; province
  level sees everything): claims by the district of the injury, else its city; coverages by
  their district, else city; a platform's ledger by the city the platform is registered in
  (as gig-market shows platforms); order cover, which only knows the city of each order, by
  city: staff of a district see the order cover of their city.
"""

from __future__ import annotations

from suxin_common.auth import (  # noqa: F401 - re-exported for the routes
    CurrentPrincipal,
    Principal,
    Role,
    acts_as_platform,
    platform_scopes,
)
from suxin_common.errors import Forbidden, NotFound

# Scopes of platform machine tokens (OAuth2 client credentials).
COVER_READ = "cover:read"
LEDGER_READ = "ledger:read"
CLAIMS_READ = "claims:read"
CLAIMS_WRITE = "claims:write"


def own_platform(principal: Principal) -> str | None:
    """The USCC of the platform a platform caller acts for (``tenant.uscc``); None for anyone
    else. A platform token naming no USCC is refused."""
    if not acts_as_platform(principal):
        return None
    if not principal.tenant.uscc:
        raise Forbidden("The platform token names no platform (tenant.uscc).")
    return principal.tenant.uscc


def require_platform_or_404(principal: Principal, platform_uscc: str, what: str) -> None:
    """A platform caller may only ask about itself; anything else does not exist for it."""
    own = own_platform(principal)
    if own is not None and own != platform_uscc:
        raise NotFound(f"{what} does not exist")


def staff_sees_city(principal: Principal, city_code: str | None) -> bool:
    """Whether staff may see data known only per city (order cover): the city lies in their
    scope, or their district lies in the city. True for every caller not scoped by district."""
    scope = principal.district_scope()
    if scope is None:
        return True
    if not city_code:
        return False
    return any(city_code.startswith(p) or p.startswith(city_code) for p in scope)
