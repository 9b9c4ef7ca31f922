"""The client-credentials grant (RFC 6749 §4.4) with client authentication by signed JWT
(`private_key_jwt`, RFC 7523 §2.2 / OpenID Connect Core §9) or by client secret.

JOSE work (parsing and verifying the client's assertion against its JWKS, signing the access
token) is joserfc's; this module applies the RFCs' rules: who the client is, that the assertion
is meant for this token endpoint, fresh, and used once, and which scopes it gets.
"""

from __future__ import annotations

import base64
import binascii
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import httpx
import sqlalchemy as sa
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from partners.adapters import keys as signing
from partners.adapters.tables import clients, used_assertions
from partners.domain.model import (
    ROLE_OF,
    AuthMethod,
    ClientKind,
    ClientStatus,
    GrantError,
    granted_scopes,
)
from partners.domain.secrets import secret_matches
from partners.settings import Settings
from suxin_common.privacy import FieldCipher

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_ALGORITHMS = ["ES256", "ES384", "RS256", "PS256", "EdDSA", "Ed25519"]


@dataclass(frozen=True)
class TokenRequest:
    grant_type: str | None
    scope: str | None
    client_id: str | None
    client_secret: str | None
    client_assertion_type: str | None
    client_assertion: str | None
    authorization: str | None  # the Authorization header (client_secret_basic)


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scope: str
    client_id: str


class ClientKeys:
    """Client JWKS by client: inline ones from the row, remote ones fetched from `jwks_uri`
    and cached per process (refetched when an assertion names an unknown `kid`)."""

    def __init__(self, cache_s: float) -> None:
        self._cache_s = cache_s
        self._remote: dict[str, tuple[float, KeySet]] = {}

    async def for_client(self, row: Any, kid: str | None) -> KeySet:
        if row.jwks:
            return KeySet.import_key_set(row.jwks)
        if not row.jwks_uri:
            raise GrantError("invalid_client", "The client has no registered keys.", status=401)
        hit = self._remote.get(row.jwks_uri)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self._cache_s:
            if kid is None or any(k.kid == kid for k in hit[1].keys):
                return hit[1]
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                response = await client.get(row.jwks_uri, headers={"Accept": "application/json"})
                response.raise_for_status()
            keyset = KeySet.import_key_set(response.json())
        except (httpx.HTTPError, ValueError, JoseError) as exc:
            raise GrantError(
                "invalid_client", f"The client's JWKS could not be fetched: {exc}", status=401
            ) from None
        self._remote[row.jwks_uri] = (now, keyset)
        return keyset


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        raw = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise GrantError(
            "invalid_client", "The Basic credentials are malformed.", status=401
        ) from None
    client_id, sep, secret = raw.partition(":")
    if not sep:
        raise GrantError("invalid_client", "The Basic credentials are malformed.", status=401)
    # RFC 6749 §2.3.1: both are form-urlencoded before base64.
    return unquote(client_id), unquote(secret)


async def _load_client(session: AsyncSession, client_id: str) -> Any:
    row = (
        await session.execute(sa.select(clients).where(clients.c.client_id == client_id))
    ).first()
    if row is None or row.status != ClientStatus.ACTIVE:
        raise GrantError("invalid_client", "Unknown or revoked client.", status=401)
    return row


async def authenticate_client(
    session: AsyncSession, request: TokenRequest, settings: Settings, client_keys: ClientKeys
) -> Any:
    """The registered client the request authenticates as, by the method it registered."""
    basic = _basic_credentials(request.authorization)
    methods = sum(bool(x) for x in (basic, request.client_secret, request.client_assertion))
    if methods == 0:
        raise GrantError("invalid_client", "No client authentication was given.", status=401)
    if methods > 1:
        # RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
        raise GrantError("invalid_request", "Use exactly one client authentication method.")

    if request.client_assertion is not None:
        if request.client_assertion_type != ASSERTION_TYPE:
            raise GrantError("invalid_request", f"client_assertion_type must be {ASSERTION_TYPE}.")
        return await _authenticate_by_assertion(session, request, settings, client_keys)

    if basic is not None:
        client_id, secret = basic
        method = AuthMethod.CLIENT_SECRET_BASIC
    else:
        client_id, secret, method = (
            request.client_id or "",
            request.client_secret or "",
            AuthMethod.CLIENT_SECRET_POST,
        )
    row = await _load_client(session, client_id)
    if row.auth_method not in (AuthMethod.CLIENT_SECRET_BASIC, AuthMethod.CLIENT_SECRET_POST):
        raise GrantError(
            "invalid_client", f"The client must authenticate with {row.auth_method}.", status=401
        )
    overlap_ok = row.previous_secret_until is not None and row.previous_secret_until > datetime.now(
        UTC
    )
    if not (
        secret_matches(secret, row.secret_hash)
        or (overlap_ok and secret_matches(secret, row.previous_secret_hash))
    ):
        raise GrantError("invalid_client", "The client secret is wrong.", status=401)
    del method  # both secret methods are accepted for a secret client
    return row


async def _authenticate_by_assertion(
    session: AsyncSession, request: TokenRequest, settings: Settings, client_keys: ClientKeys
) -> Any:
    assertion = request.client_assertion or ""
    # Who claims to be calling decides which keys verify the claim (RFC 7523 §3: sub is the
    # client_id); nothing from the unverified token is trusted beyond choosing the keys.
    claims = _unverified_claims(assertion)
    client_id = claims.get("sub") if isinstance(claims.get("sub"), str) else None
    if not client_id:
        raise GrantError(
            "invalid_client", "The client assertion names no client (sub).", status=401
        )
    if request.client_id is not None and request.client_id != client_id:
        raise GrantError("invalid_client", "client_id does not match the assertion.", status=401)
    row = await _load_client(session, client_id)
    if row.auth_method != AuthMethod.PRIVATE_KEY_JWT:
        raise GrantError(
            "invalid_client", f"The client must authenticate with {row.auth_method}.", status=401
        )
    kid = _unverified_kid(assertion)
    keyset = await client_keys.for_client(row, kid)
    try:
        token = jwt.decode(assertion, keyset, algorithms=ASSERTION_ALGORITHMS)
    except JoseError:
        raise GrantError(
            "invalid_client", "The client assertion's signature does not verify.", status=401
        ) from None
    now = int(time.time())
    leeway = 30
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=leeway,
        iss={"essential": True, "value": client_id},
        sub={"essential": True, "value": client_id},
        aud={"essential": True, "values": [settings.token_endpoint_url, settings.auth_issuer]},
        exp={"essential": True},
        jti={"essential": True},
    )
    try:
        registry.validate(token.claims)
    except JoseError as exc:
        raise GrantError(
            "invalid_client",
            f"The client assertion is not acceptable: {exc.description or exc.error}",
            status=401,
        ) from None
    exp = int(token.claims["exp"])
    if exp - now > settings.assertion_max_lifetime_s:
        raise GrantError(
            "invalid_client",
            f"The client assertion may live at most {settings.assertion_max_lifetime_s} s.",
            status=401,
        )
    jti = str(token.claims["jti"])
    if not jti or len(jti) > 200:
        raise GrantError("invalid_client", "The assertion's jti is unusable.", status=401)
    # RFC 7523 §3 (7): a jti is used once; remembered until the assertion would expire anyway.
    inserted = await session.execute(
        pg_insert(used_assertions)
        .values(
            client_id=client_id,
            jti=jti,
            expires_at=datetime.fromtimestamp(exp + leeway, UTC),
        )
        .on_conflict_do_nothing()
        .returning(used_assertions.c.jti)
    )
    if inserted.first() is None:
        raise GrantError("invalid_client", "The client assertion was already used.", status=401)
    await session.execute(
        used_assertions.delete().where(used_assertions.c.expires_at < datetime.now(UTC))
    )
    return row


def _segments(token: str) -> list[str]:
    parts = token.split(".")
    if len(parts) != 3:
        raise GrantError("invalid_client", "The client assertion is not a JWT.", status=401)
    return parts


def _b64json(segment: str) -> dict[str, Any]:
    import json

    try:
        value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error):
        raise GrantError(
            "invalid_client", "The client assertion is not a JWT.", status=401
        ) from None
    if not isinstance(value, dict):
        raise GrantError("invalid_client", "The client assertion is not a JWT.", status=401)
    return value


def _unverified_claims(token: str) -> dict[str, Any]:
    return _b64json(_segments(token)[1])


def _unverified_kid(token: str) -> str | None:
    kid = _b64json(_segments(token)[0]).get("kid")
    return kid if isinstance(kid, str) else None


def tenant_of(row: Any) -> dict[str, str]:
    """The tenant claims the services scope a partner's calls by (see their access modules)."""
    kind = ClientKind(row.kind)
    tenant = {"uscc": row.uscc}
    if kind is ClientKind.PLATFORM:
        tenant["platform_id"] = row.client_id
    elif kind is ClientKind.INSTITUTION and row.institution_id:
        tenant["institution_id"] = row.institution_id
    return tenant


async def issue_token(
    session: AsyncSession,
    request: TokenRequest,
    settings: Settings,
    cipher: FieldCipher,
    client_keys: ClientKeys,
) -> IssuedToken:
    if request.grant_type is None:
        raise GrantError("invalid_request", "grant_type is required.")
    if request.grant_type != "client_credentials":
        raise GrantError(
            "unsupported_grant_type", "Only the client_credentials grant is supported."
        )
    row = await authenticate_client(session, request, settings, client_keys)
    scopes = granted_scopes(request.scope, frozenset(row.scopes))
    kid, key = await signing.active_key(session, cipher)
    now = int(time.time())
    ttl = min(settings.access_token_ttl_s, settings.auth_max_token_lifetime_s)
    claims: dict[str, Any] = {
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "sub": row.client_id,
        "client_id": row.client_id,
        "roles": [ROLE_OF[ClientKind(row.kind)].value],
        "tenant": tenant_of(row),
        "scope": " ".join(sorted(scopes)),
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
    }
    if row.services:
        claims["svc"] = sorted(row.services)
    token = jwt.encode({"alg": signing.ALGORITHM, "kid": kid, "typ": "at+jwt"}, claims, key)
    return IssuedToken(
        access_token=token, expires_in=ttl, scope=claims["scope"], client_id=row.client_id
    )
