"""Who may do what in data-exchange.

- A department client is a machine token (OAuth2 client credentials) with role `service` and
  the scope `feeds:<department>` (e.g. `feeds:social_insurance`): it sends batches and single
  records of its own department's feeds only, and sees only its department's batches.
  A token naming no department, or several, is refused.
- HRSS staff (and auditors, ops) read every batch and its report; staff read facts.
- District staff handle 就业失业登记 and 就业困难人员认定 of people whose usual residence
  (常住地) is in their district; a record outside it answers 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from data_exchange.domain.departments import Department
from suxin_common.auth import CurrentPrincipal, Principal, Role
from suxin_common.web import Forbidden

FEED_SCOPE_PREFIX = "feeds:"


def department_of(principal: Principal) -> Department | None:
    """The department a client token sends for (None: not a department client)."""
    if not principal.has_role(Role.SERVICE):
        return None
    named = [
        s[len(FEED_SCOPE_PREFIX) :] for s in principal.scopes if s.startswith(FEED_SCOPE_PREFIX)
    ]
    if len(named) != 1:
        return None
    try:
        department = Department(named[0])
    except ValueError:
        return None
    return None if department is Department.HRSS_RECORDS else department


def sender_of(principal: Principal) -> str:
    return principal.client_id or principal.subject


def department_client() -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: the caller is a department client (role `service`, one `feeds:` scope)."""

    async def client(principal: CurrentPrincipal) -> Principal:
        if department_of(principal) is None:
            raise Forbidden(
                "Only a department client may send feeds: a `service` token with exactly one "
                "scope feeds:<department>.",
                slug="insufficient-scope",
                extra={"required_roles": [Role.SERVICE.value]},
            )
        return principal

    client.required_roles = frozenset({Role.SERVICE})  # type: ignore[attr-defined]
    return client


def may_read_batches(principal: Principal) -> bool:
    return principal.has_role(Role.HRSS_STAFF, Role.OPS, Role.AUDITOR) or (
        department_of(principal) is not None
    )
