"""Who is calling: JWT bearer verification, roles, tenant claims and FastAPI dependencies.

Tokens carry `sub`, `roles` (a list), `tenant` (`uscc`, `platform_id`, `institution_id`,
`district`), `iss`, `aud`, `exp` and `iat`. They are verified against the asymmetric keys of a
JWKS document (RS256, ES256 or EdDSA, chosen by `kid`); in development and test only, tokens
signed with the shared HS256 secret are accepted too, which `mint_dev_token` issues for the
local stack. The service's `create_app` puts an `Authenticator` on `app.state.authenticator`;
routes ask for `CurrentPrincipal` or `Depends(require_roles(...))`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from suxin_common.identity import normalize_uscc
from suxin_common.settings import ServiceSettings
from suxin_common.web import Forbidden, Unauthenticated

ASYMMETRIC_ALGORITHMS = frozenset({"RS256", "ES256", "EdDSA"})
DEV_ALGORITHM = "HS256"
DEV_ENVIRONMENTS = frozenset({"development", "test"})
# Tolerates clock drift between the issuer and the pods.
LEEWAY_S = 30
REQUIRED_CLAIMS = ["sub", "iss", "aud", "exp", "iat"]


class Role(StrEnum):
    SEEKER = "seeker"  # 求职者 / worker
    ENTERPRISE = "enterprise"  # 用人单位, scoped by tenant.uscc
    PLATFORM = "platform"  # 平台企业 (gig and delivery platforms), scoped by tenant.platform_id
    INSTITUTION = "institution"  # 培训机构, scoped by tenant.institution_id
    HRSS_STAFF = "hrss_staff"  # 人社部门工作人员
    VERIFIER = "verifier"  # a partner verifying 苏畅卡 talent cards
    OPS = "ops"  # operators of the platform itself
    SERVICE = "service"  # another Suxin service or batch job


class Tenant(BaseModel):
    """The organisation a caller acts for; which fields are set depends on the role."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    uscc: str | None = None
    platform_id: str | None = None
    institution_id: str | None = None
    district: str | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    subject: str
    roles: frozenset[Role]
    tenant: Tenant = field(default_factory=Tenant)

    def has_role(self, *roles: Role) -> bool:
        """Whether the caller has at least one of `roles`."""
        return not self.roles.isdisjoint(roles)

    def require_roles(self, *roles: Role) -> None:
        if not self.has_role(*roles):
            raise Forbidden(
                "Requires one of the roles: " + ", ".join(roles) + ".",
                extra={"required_roles": [str(role) for role in roles]},
            )

    def require_enterprise(self, uscc: str) -> None:
        """Allow the enterprise itself, or HRSS staff."""
        if not self._acts_for(Role.ENTERPRISE, self.tenant.uscc, uscc):
            raise Forbidden("Only this enterprise or HRSS staff may do this.")

    def require_platform(self, platform_id: str) -> None:
        """Allow the platform enterprise itself, or HRSS staff."""
        if not self._acts_for(Role.PLATFORM, self.tenant.platform_id, platform_id):
            raise Forbidden("Only this platform or HRSS staff may do this.")

    def require_institution(self, institution_id: str) -> None:
        """Allow the training institution itself, or HRSS staff."""
        if not self._acts_for(Role.INSTITUTION, self.tenant.institution_id, institution_id):
            raise Forbidden("Only this institution or HRSS staff may do this.")

    def _acts_for(self, role: Role, own_id: str | None, wanted_id: str) -> bool:
        if Role.HRSS_STAFF in self.roles:
            return True
        return role in self.roles and own_id is not None and own_id == wanted_id


class Authenticator:
    """Verifies bearer tokens against the configured keys and turns them into principals."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._issuer = settings.auth_issuer
        self._audience = settings.auth_audience
        self._jwks = _load_jwks(settings)
        # Checked here as well as by the settings: an HS256 secret is shared with every
        # developer, so production must never accept it, whatever the configuration says.
        self._dev_secret = (
            settings.auth_jwt_secret if settings.environment in DEV_ENVIRONMENTS else None
        )
        if self._jwks is None and not self._dev_secret:
            raise ValueError("no token keys configured: set AUTH_JWKS or AUTH_JWKS_FILE")

    def verify(self, token: str) -> Principal:
        """The principal a token names; raises `Unauthenticated` saying why it is refused."""
        return _principal_from(self._decode(token))

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            key, algorithm = self._key_for(jwt.get_unverified_header(token))
            return jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_S,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The token has expired.") from None
        except jwt.InvalidAudienceError:
            raise Unauthenticated("The token is not meant for this service (aud).") from None
        except jwt.InvalidIssuerError:
            raise Unauthenticated("The token comes from an unknown issuer (iss).") from None
        except jwt.InvalidSignatureError:
            raise Unauthenticated("The token signature is invalid.") from None
        except jwt.MissingRequiredClaimError as exc:
            raise Unauthenticated(f"The token lacks the {exc.claim!r} claim.") from None
        except jwt.DecodeError:
            raise Unauthenticated("The token is malformed.") from None
        except jwt.PyJWTError:
            raise Unauthenticated("The token is invalid.") from None

    def _key_for(self, header: Mapping[str, Any]) -> tuple[Any, str]:
        algorithm = header.get("alg")
        if algorithm == DEV_ALGORITHM:
            if not self._dev_secret:
                raise Unauthenticated("HS256 tokens are accepted in development and test only.")
            return self._dev_secret, DEV_ALGORITHM
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            raise Unauthenticated("The token's signing algorithm is not accepted.")
        if self._jwks is None:
            raise Unauthenticated("No signing keys are configured for this algorithm.")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise Unauthenticated("The token names no signing key (kid).")
        try:
            jwk = self._jwks[kid]
        except KeyError:
            raise Unauthenticated("The token was signed with an unknown key.") from None
        # The key decides the algorithm, so a token cannot pick a weaker one for a known key.
        if jwk.algorithm_name != algorithm:
            raise Unauthenticated("The token's algorithm does not match its key.")
        return jwk.key, algorithm


def _load_jwks(settings: ServiceSettings) -> jwt.PyJWKSet | None:
    if settings.auth_jwks:
        document = settings.auth_jwks
    elif settings.auth_jwks_file:
        document = Path(settings.auth_jwks_file).read_text(encoding="utf-8")
    else:
        return None
    try:
        return jwt.PyJWKSet.from_json(document)
    except (jwt.PyJWKError, json.JSONDecodeError) as exc:
        raise ValueError(f"the JWKS document is unusable: {exc}") from None


def _principal_from(claims: Mapping[str, Any]) -> Principal:
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("The token's subject (sub) is empty.")
    return Principal(
        subject=subject, roles=_known_roles(claims.get("roles", [])), tenant=_tenant(claims)
    )


def _known_roles(claim: Any) -> frozenset[Role]:
    if not isinstance(claim, list):
        raise Unauthenticated("The token's roles claim must be a list.")
    # Unknown roles are ignored so that an issuer can add roles before every service knows them.
    known = {role.value for role in Role}
    return frozenset(Role(value) for value in claim if isinstance(value, str) and value in known)


def _tenant(claims: Mapping[str, Any]) -> Tenant:
    try:
        return Tenant.model_validate(claims.get("tenant") or {})
    except PydanticValidationError:
        raise Unauthenticated("The token's tenant claim is malformed.") from None


# --- FastAPI dependencies -----------------------------------------------------------------

# Declares the bearer scheme in OpenAPI (the docs' "Authorize" button); verification is ours.
_bearer = HTTPBearer(auto_error=False, bearerFormat="JWT")


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None,
) -> Principal:
    """The caller of this request, from `Authorization: Bearer <token>`."""
    authenticator = getattr(request.app.state, "authenticator", None)
    if not isinstance(authenticator, Authenticator):
        raise RuntimeError("app.state.authenticator is not set: create_app must set it")
    if credentials is None:
        raise Unauthenticated("A bearer token is required.")
    return authenticator.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that answers 403 unless the caller has at least one of `roles`."""
    if not roles:
        raise ValueError("require_roles needs at least one role")

    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        principal.require_roles(*roles)
        return principal

    return principal_with_role


# --- development tokens -------------------------------------------------------------------


def mint_dev_token(
    settings: ServiceSettings,
    subject: str,
    roles: Iterable[Role | str],
    *,
    uscc: str | None = None,
    platform_id: str | None = None,
    institution_id: str | None = None,
    district: str | None = None,
    ttl_s: int = 12 * 3600,
) -> str:
    """An HS256 token signed with the development secret, for the local stack and tests."""
    if settings.environment not in DEV_ENVIRONMENTS:
        raise RuntimeError("development tokens are refused outside development and test")
    if not settings.auth_jwt_secret:
        raise RuntimeError("AUTH_JWT_SECRET is not set")
    tenant = Tenant(
        uscc=normalize_uscc(uscc) if uscc is not None else None,
        platform_id=platform_id,
        institution_id=institution_id,
        district=district,
    )
    now = int(time.time())
    claims = {
        "sub": subject,
        "roles": [Role(role).value for role in roles],
        "tenant": tenant.model_dump(exclude_none=True),
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "iat": now,
        "exp": now + ttl_s,
    }
    return jwt.encode(claims, settings.auth_jwt_secret, algorithm=DEV_ALGORITHM)
