"""Who may do what in data-exchange.

- A department client is a machine token (OAuth2 client credentials) with role `service`,
  the tenant claim `department` (e.g. "social_insurance") and, to send data, the scope
  `feeds:write`. It sends batches and single records of its own department's feeds only, and
  sees only its department's batches. A `service` token naming no known department is refused.
- HRSS staff, ops and auditors read every batch and its report; staff read facts.
- District staff handle 就业失业登记 and 就业困难人员认定 of people whose usual residence
  (常住地) is in their district; a record outside it answers 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from data_exchange.domain.departments import Department
from suxin_common.auth import CurrentPrincipal, Principal, Role
from suxin_common.errors import Forbidden

FEEDS_WRITE = "feeds:write"
READERS = frozenset({Role.SERVICE, Role.HRSS_STAFF, Role.OPS, Role.AUDITOR})


def department_of(principal: Principal) -> Department | None:
    """The department a client token sends for (None: not a department client)."""
    if not principal.has_role(Role.SERVICE) or not principal.tenant.department:
        return None
    try:
        department = Department(principal.tenant.department)
    except ValueError:
        return None
    return None if department is Department.HRSS_RECORDS else department


def sender_of(principal: Principal) -> str:
    return principal.client_id or principal.subject


def department_client() -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: the caller is a department client allowed to send (`feeds:write`)."""

    async def client(principal: CurrentPrincipal) -> Principal:
        principal.require_roles(Role.SERVICE)
        principal.require_scopes(FEEDS_WRITE)
        if department_of(principal) is None:
            raise Forbidden(
                "The token names no known department (tenant claim `department`).",
                code="unknown-department",
            )
        return principal

    client.required_roles = frozenset({Role.SERVICE})  # type: ignore[attr-defined]
    client.required_scopes = frozenset({FEEDS_WRITE})  # type: ignore[attr-defined]
    return client


def batch_reader() -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: a department client (its own department's batches) or staff/ops/auditor."""

    async def reader(principal: CurrentPrincipal) -> Principal:
        principal.require_roles(*READERS)
        if not principal.has_role(Role.HRSS_STAFF, Role.OPS, Role.AUDITOR) and (
            department_of(principal) is None
        ):
            raise Forbidden(
                "The token names no known department (tenant claim `department`).",
                code="unknown-department",
            )
        return principal

    reader.required_roles = READERS  # type: ignore[attr-defined]
    return reader


def own_department(principal: Principal) -> Department | None:
    """The department whose batches alone the caller sees; None: every batch (staff)."""
    if principal.has_role(Role.HRSS_STAFF, Role.OPS, Role.AUDITOR):
        return None
    return department_of(principal)
