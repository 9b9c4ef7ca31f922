"""Who is calling: JWT bearer verification, roles, tenant claims and FastAPI dependencies.

Tokens carry `sub`, `roles` (a list), `tenant` (`uscc`, `platform_id`, `institution_id`,
`district`, `department`), `iss`, `aud`, `exp` and `iat`; partner machine tokens (OAuth2 client
credentials) add `client_id` and `scope` (space-separated). They are verified against the
asymmetric keys of a JWKS document (RS256, ES256 or EdDSA, chosen by `kid`) given inline, as a
file, or as a URL that is cached and refetched when a token names an unknown `kid` (key rotation
without downtime; the key sources are in `suxin_common.jwks`); their lifetime (`exp - iat`) may
not exceed `auth_max_token_lifetime_s`. In development and test only, tokens signed with the
shared HS256 secret are accepted too, which `mint_dev_token` issues for the local stack. The
service's `create_app` puts an `Authenticator` on `app.state.authenticator`; routes ask for
`CurrentPrincipal`, `Depends(require_roles(...))` or `Depends(require_scopes(...))`.

HRSS staff are scoped by district: `principal.district_scope()` is None for province-level
staff, else the division-code prefixes they may see; `principal.check_district(code)` raises
`NotFound` for an object outside them and `district_clause(column, principal)` filters a query.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from suxin_common import errors
from suxin_common.identity import normalize_uscc
from suxin_common.jwks import RemoteJwks, jwks_file, keys_of, load_jwks
from suxin_common.settings import ServiceSettings
from suxin_common.web import Forbidden, Unauthenticated

log = logging.getLogger(__name__)

ASYMMETRIC_ALGORITHMS = frozenset({"RS256", "ES256", "EdDSA"})
DEV_ALGORITHM = "HS256"
DEV_ENVIRONMENTS = frozenset({"development", "test"})
# Tolerates clock drift between the issuer and the pods (default of `auth_leeway_s`).
LEEWAY_S = 30
# A district claim this short (or absent) is the whole province (江苏 is division 32).
PROVINCE_CODE = "32"
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
    AUDITOR = "auditor"  # 审计员: reads the access audit trail, nothing else
    ADMIN = "admin"  # 系统管理员: administers the platform; no access to personal data by role


class Tenant(BaseModel):
    """The organisation a caller acts for; which fields are set depends on the role."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    uscc: str | None = None
    platform_id: str | None = None
    institution_id: str | None = None
    # Division code the caller works in: "32" or none (province), "3210" (扬州), "321002"
    # (a district). `districts` lists several where one person covers more than one.
    district: str | None = None
    districts: tuple[str, ...] = ()
    # The department a department client (another authority's system delivering data to
    # data-exchange, role `service`) sends for, e.g. "social_insurance".
    department: str | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller."""

    subject: str
    roles: frozenset[Role]
    tenant: Tenant = field(default_factory=Tenant)
    # OAuth2 scopes of a machine (client-credentials) token, and the client it was issued to.
    scopes: frozenset[str] = frozenset()
    client_id: str | None = None
    # For a person (seeker/worker role) whose identity the login verified by real name: the
    # pseudonymous person key of their resident ID (claim ``person_key``, computed by Suxin's
    # login with the platform's person-key secret). A service acting on a person's records by
    # resident ID compares it with ``person_key(resident_id)``; None means "not verified".
    person_key: str | None = None

    def is_person(self, key: str) -> bool:
        """True if the caller is the verified person whose person key is ``key``."""
        return self.person_key is not None and self.person_key == key

    def district_scope(self) -> tuple[str, ...] | None:
        """The division-code prefixes HRSS staff may see; None means no district limit.

        Only HRSS staff are scoped by district (other roles are scoped by their tenant); staff
        with no district claim, or with the province code, are province-level. Auditors and
        admins are province-level by role.
        """
        if Role.HRSS_STAFF not in self.roles or self.has_role(Role.AUDITOR, Role.ADMIN):
            return None
        codes = {c for c in (self.tenant.district, *self.tenant.districts) if c}
        if not codes or any(len(c) <= len(PROVINCE_CODE) for c in codes):
            return None
        return tuple(sorted(codes))

    def sees_district(self, code: str | None) -> bool:
        """Whether an object in division `code` is within this caller's district scope."""
        scope = self.district_scope()
        if scope is None:
            return True
        return code is not None and any(code.startswith(prefix) for prefix in scope)

    def check_district(self, code: str | None, what: str = "object") -> None:
        """Raise NotFound (not 403: its existence is not disclosed) for an object outside the
        caller's district scope. A domain error (`suxin_common.errors`): handlers call this."""
        if not self.sees_district(code):
            raise errors.NotFound(f"{what} not found")

    def has_scopes(self, *scopes: str) -> bool:
        return set(scopes) <= self.scopes

    def require_scopes(self, *scopes: str) -> None:
        missing = sorted(set(scopes) - self.scopes)
        if missing:
            raise Forbidden(
                "The token lacks the scope(s): " + " ".join(missing) + ".",
                slug="insufficient-scope",
                extra={"required_scopes": sorted(scopes)},
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", '
                    f'scope="{" ".join(sorted(scopes))}"'
                },
            )

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
            raise errors.Forbidden("Only this enterprise or HRSS staff may do this.")

    def require_platform(self, platform_id: str) -> None:
        """Allow the platform enterprise itself, or HRSS staff."""
        if not self._acts_for(Role.PLATFORM, self.tenant.platform_id, platform_id):
            raise errors.Forbidden("Only this platform or HRSS staff may do this.")

    def require_institution(self, institution_id: str) -> None:
        """Allow the training institution itself, or HRSS staff."""
        if not self._acts_for(Role.INSTITUTION, self.tenant.institution_id, institution_id):
            raise errors.Forbidden("Only this institution or HRSS staff may do this.")

    def _acts_for(self, role: Role, own_id: str | None, wanted_id: str) -> bool:
        if Role.HRSS_STAFF in self.roles:
            return True
        return role in self.roles and own_id is not None and own_id == wanted_id


# Verified tokens kept in memory per process (see `Authenticator.verify`).
VERIFIED_CACHE_S = 60.0
VERIFIED_CACHE_SIZE = 4096


class Authenticator:
    """Verifies bearer tokens against the configured keys and turns them into principals."""

    def __init__(self, settings: ServiceSettings) -> None:
        extra = [i.strip() for i in (settings.auth_extra_issuers or "").split(",") if i.strip()]
        self._issuer: str | list[str] = (
            [settings.auth_issuer, *extra] if extra else (settings.auth_issuer)
        )
        self._audience = settings.auth_audience
        self._service = settings.service_name
        self._leeway = settings.auth_leeway_s
        self._max_lifetime = settings.auth_max_token_lifetime_s
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        static = load_jwks(settings)
        self._static_keys = keys_of(static) if static is not None else {}
        self._file = jwks_file(settings)
        # One or more JWKS URLs, comma-separated: e.g. the staff identity provider's and the
        # partners service's (partner tokens), each fetched and cached on its own.
        self._remotes = [
            RemoteJwks(
                url.strip(),
                cache_s=settings.auth_jwks_cache_s,
                min_refresh_s=settings.auth_jwks_min_refresh_s,
                timeout_s=settings.auth_jwks_timeout_s,
            )
            for url in (settings.auth_jwks_url or "").split(",")
            if url.strip()
        ]
        # Checked here as well as by the settings: an HS256 secret is shared with every
        # developer, so production must never accept it, whatever the configuration says.
        self._dev_secret = (
            settings.auth_jwt_secret if settings.environment in DEV_ENVIRONMENTS else None
        )
        if static is None and self._file is None and not self._remotes and not self._dev_secret:
            raise ValueError(
                "no token keys configured: set AUTH_JWKS, AUTH_JWKS_FILE or AUTH_JWKS_URL"
            )

    async def authenticate(self, token: str) -> Principal:
        """Like `verify`, refreshing the remote JWKS first when the token needs it."""
        if self._remotes:
            try:
                header = jwt.get_unverified_header(token)
            except jwt.PyJWTError:
                raise Unauthenticated("The token is malformed.") from None
            kid = header.get("kid")
            if header.get("alg") != DEV_ALGORITHM and (
                not isinstance(kid, str) or kid not in self._static_keys
            ):
                wanted = kid if isinstance(kid, str) else None
                if not any(wanted is not None and wanted in r.keys for r in self._remotes):
                    for remote in self._remotes:
                        await remote.ensure(wanted)
                        if wanted is not None and wanted in remote.keys:
                            break
        return self.verify(token)

    def verify(self, token: str) -> Principal:
        """The principal a token names; raises `Unauthenticated` saying why it is refused.

        Uses the remote keys as last fetched; `authenticate` refreshes them first. A token that
        verified is remembered (the whole token, signature included, is the key) until it
        expires or for `VERIFIED_CACHE_S`, whichever comes first: a request is verified by the
        rate limiter and by the route, and a client sends the same token many times, so the
        signature check would otherwise dominate. A key withdrawn from the JWKS therefore stops
        working within that bound, not at once.
        """
        now = time.time()
        hit = self._verified.get(token)
        if hit is not None:
            principal, until = hit
            if now < until:
                self._verified.move_to_end(token)
                return principal
            del self._verified[token]
        claims = self._decode(token)
        principal = _principal_from(claims)
        self._verified[token] = (principal, min(float(claims["exp"]), now + VERIFIED_CACHE_S))
        if len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)
        return principal

    def _decode(self, token: str) -> dict[str, Any]:
        try:
            key, algorithm = self._key_for(jwt.get_unverified_header(token))
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The token has expired.") from None
        except jwt.ImmatureSignatureError:
            raise Unauthenticated("The token is not valid yet (iat/nbf).") from None
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
        if algorithm != DEV_ALGORITHM:
            self._check_lifetime(claims)
        self._check_service(claims)
        return claims

    def _check_service(self, claims: Mapping[str, Any]) -> None:
        """A partner token restricted to some services (claim ``svc``, set by the partners
        service from the client's registration) is refused by every other service."""
        services = claims.get("svc")
        if services is None:
            return
        if not isinstance(services, list) or self._service not in services:
            raise Unauthenticated("The token is not meant for this service (svc).")

    def _check_lifetime(self, claims: Mapping[str, Any]) -> None:
        issued, expires = claims["iat"], claims["exp"]
        if not isinstance(issued, int | float) or not isinstance(expires, int | float):
            raise Unauthenticated("The token's iat and exp must be numbers.")
        if expires - issued > self._max_lifetime:
            raise Unauthenticated(
                f"The token lives longer than {self._max_lifetime} s; ask for a shorter one."
            )

    def _key_for(self, header: Mapping[str, Any]) -> tuple[Any, str]:
        algorithm = header.get("alg")
        if algorithm == DEV_ALGORITHM:
            if not self._dev_secret:
                raise Unauthenticated("HS256 tokens are accepted in development and test only.")
            return self._dev_secret, DEV_ALGORITHM
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            raise Unauthenticated("The token's signing algorithm is not accepted.")
        if not self._static_keys and self._file is None and not self._remotes:
            raise Unauthenticated("No signing keys are configured for this algorithm.")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise Unauthenticated("The token names no signing key (kid).")
        jwk = self._static_keys.get(kid)
        if jwk is None and self._file is not None:
            if kid not in self._file.keys:
                self._file.refresh()
            jwk = self._file.keys.get(kid)
        for remote in self._remotes:
            if jwk is not None:
                break
            jwk = remote.keys.get(kid)
        if jwk is None:
            raise Unauthenticated("The token was signed with an unknown key.")
        # The key decides the algorithm, so a token cannot pick a weaker one for a known key.
        if jwk.algorithm_name != algorithm:
            raise Unauthenticated("The token's algorithm does not match its key.")
        return jwk.key, algorithm


def _principal_from(claims: Mapping[str, Any]) -> Principal:
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("The token's subject (sub) is empty.")
    client_id = claims.get("client_id", claims.get("azp"))
    person_key = claims.get("person_key")
    return Principal(
        subject=subject,
        roles=_known_roles(claims.get("roles", [])),
        tenant=_tenant(claims),
        scopes=_scopes(claims.get("scope")),
        client_id=client_id if isinstance(client_id, str) else None,
        person_key=person_key if isinstance(person_key, str) and person_key else None,
    )


def _scopes(claim: Any) -> frozenset[str]:
    # RFC 8693/9068: `scope` is one space-separated string; some issuers send a list.
    if claim is None:
        return frozenset()
    if isinstance(claim, str):
        return frozenset(claim.split())
    if isinstance(claim, list) and all(isinstance(item, str) for item in claim):
        return frozenset(claim)
    raise Unauthenticated("The token's scope claim must be a space-separated string.")


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
    return await authenticator.authenticate(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that answers 403 unless the caller has at least one of `roles`."""
    if not roles:
        raise ValueError("require_roles needs at least one role")

    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        principal.require_roles(*roles)
        return principal

    principal_with_role.required_roles = frozenset(roles)  # type: ignore[attr-defined]
    return principal_with_role


def require_scopes(*scopes: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that answers 403 (`insufficient_scope`) unless the token has every scope."""
    if not scopes:
        raise ValueError("require_scopes needs at least one scope")

    async def principal_with_scopes(principal: CurrentPrincipal) -> Principal:
        principal.require_scopes(*scopes)
        return principal

    principal_with_scopes.required_scopes = frozenset(scopes)  # type: ignore[attr-defined]
    return principal_with_scopes


def acts_as_platform(principal: Principal) -> bool:
    """A partner caller: a platform token, not HRSS staff (who see every platform)."""
    return principal.has_role(Role.PLATFORM) and not principal.has_role(Role.HRSS_STAFF)


def platform_scopes(*scopes: str) -> Callable[[Principal], Awaitable[Principal]]:
    """Like :func:`require_scopes`, for routes that platforms share with user roles: only a
    platform caller's (machine) token must hold every scope; HRSS staff and workers, who use
    user tokens, need none. It carries ``required_scopes`` for the authorization matrix."""
    if not scopes:
        raise ValueError("platform_scopes needs at least one scope")

    async def platform_with_scopes(principal: CurrentPrincipal) -> Principal:
        if acts_as_platform(principal):
            principal.require_scopes(*scopes)
        return principal

    platform_with_scopes.required_scopes = frozenset(scopes)  # type: ignore[attr-defined]
    return platform_with_scopes


def public_endpoint() -> None:
    """A marker dependency for routes anyone may call without a token (the matrix lists
    them as public): `dependencies=[Depends(public_endpoint)]`."""


def district_clause(column: Any, principal: Principal) -> Any:
    """A SQLAlchemy condition keeping rows whose division-code `column` lies in the
    principal's district scope (always true for province-level callers)."""
    import sqlalchemy as sa

    scope = principal.district_scope()
    if scope is None:
        return sa.true()
    return sa.or_(*(column.startswith(prefix, autoescape=True) for prefix in scope))


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
    department: str | None = None,
    scopes: Iterable[str] = (),
    person_key: str | None = None,
    ttl_s: int = 12 * 3600,
) -> str:
    """An HS256 token signed with the development secret, for the local stack and tests.

    ``person_key`` marks a real-name-verified person (see :attr:`Principal.person_key`)."""
    if settings.environment not in DEV_ENVIRONMENTS:
        raise RuntimeError("development tokens are refused outside development and test")
    if not settings.auth_jwt_secret:
        raise RuntimeError("AUTH_JWT_SECRET is not set")
    tenant = Tenant(
        uscc=normalize_uscc(uscc) if uscc is not None else None,
        platform_id=platform_id,
        institution_id=institution_id,
        district=district,
        department=department,
    )
    now = int(time.time())
    claims = {
        "sub": subject,
        "roles": [Role(role).value for role in roles],
        "tenant": tenant.model_dump(exclude_defaults=True),
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "iat": now,
        "exp": now + ttl_s,
    }
    if scopes:
        claims["scope"] = " ".join(scopes)
    if person_key:
        claims["person_key"] = person_key
    return jwt.encode(claims, settings.auth_jwt_secret, algorithm=DEV_ALGORITHM)
