"""The partner-access domain: client kinds, what each may ask for, and webhook retry rules.

A partner client (合作方应用) is a machine identity of a platform enterprise (平台企业), a
training institution (培训机构) or a talent-card verifier (核验机构), registered by HRSS
staff. It obtains short-lived access tokens with the OAuth 2.0 client-credentials grant
(RFC 6749 §4.4), authenticating with a signed JWT (``private_key_jwt``, RFC 7523) or, as a
fallback, a client secret. It may subscribe to the domain events that concern its
organisation and receive them as signed webhooks (Standard Webhooks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from suxin_common.auth import Role


class ClientKind(StrEnum):
    """Kind of partner (合作方类型)."""

    PLATFORM = "platform"  # 平台企业: delivery, ride and other platform enterprises
    INSTITUTION = "institution"  # 培训机构: training institutions
    VERIFIER = "verifier"  # 核验机构: hospitals, schools, banks verifying 苏畅卡


class AuthMethod(StrEnum):
    """How a client authenticates at the token endpoint (RFC 7591 names)."""

    PRIVATE_KEY_JWT = "private_key_jwt"
    CLIENT_SECRET_BASIC = "client_secret_basic"
    CLIENT_SECRET_POST = "client_secret_post"


class ClientStatus(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


ROLE_OF: dict[ClientKind, Role] = {
    ClientKind.PLATFORM: Role.PLATFORM,
    ClientKind.INSTITUTION: Role.INSTITUTION,
    ClientKind.VERIFIER: Role.VERIFIER,
}

WEBHOOKS_SCOPE = "webhooks:manage"

# The scopes each kind of client may be granted (what the services' routes ask for).
GRANTABLE_SCOPES: dict[ClientKind, frozenset[str]] = {
    ClientKind.PLATFORM: frozenset(
        {
            "workers:read",
            "workers:write",
            "orders:read",
            "orders:write",
            "platforms:read",
            "cover:read",
            "ledger:read",
            "claims:read",
            "claims:write",
            WEBHOOKS_SCOPE,
        }
    ),
    ClientKind.INSTITUTION: frozenset({WEBHOOKS_SCOPE}),
    ClientKind.VERIFIER: frozenset({WEBHOOKS_SCOPE}),
}

# The services a client's token may be restricted to (token claim `svc`).
SERVICES = frozenset(
    {
        "job-matching",
        "gig-market",
        "injury-insurance",
        "training-vouchers",
        "talent-card",
        "employment-monitor",
        "data-exchange",
        "partners",
    }
)


class GrantError(Exception):
    """A token request refused, with its RFC 6749 §5.2 error code."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def granted_scopes(requested: str | None, registered: frozenset[str]) -> frozenset[str]:
    """RFC 6749 §3.3: no `scope` parameter grants every registered scope; asking for one the
    client was not registered with is `invalid_scope` (never silently narrowed)."""
    if requested is None or not requested.strip():
        return registered
    asked = frozenset(requested.split())
    unknown = asked - registered
    if unknown:
        raise GrantError(
            "invalid_scope",
            "The client is not registered for the scope(s): " + " ".join(sorted(unknown)),
        )
    return asked


# --- webhooks -------------------------------------------------------------------------------


class SubscriptionStatus(StrEnum):
    """active: deliveries are sent. disabled (retries ran out, or staff/the partner paused
    it): deliveries are still recorded and wait until it is enabled again. deleted: the
    partner unsubscribed; nothing more is recorded."""

    ACTIVE = "active"
    DISABLED = "disabled"
    DELETED = "deleted"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class RetryPolicy:
    """When to try a delivery again: the delays after attempt 1, 2, … (Standard Webhooks'
    suggested schedule spans about a day). When they run out the delivery fails and its
    subscription is disabled, with a notice."""

    delays_s: tuple[float, ...]

    def next_attempt(self, attempts_made: int, now: datetime) -> datetime | None:
        """When to try after `attempts_made` attempts; None when retries are exhausted."""
        if attempts_made < 1 or attempts_made > len(self.delays_s):
            return None
        return now + timedelta(seconds=self.delays_s[attempts_made - 1])

    @property
    def span_s(self) -> float:
        return sum(self.delays_s)


# Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: 27.6 h in all.
DEFAULT_RETRY_DELAYS_S: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)


def delivered(status_code: int) -> bool:
    """A 2xx answer is a delivery; anything else (and no answer) is retried."""
    return 200 <= status_code < 300
