"""Bearer-token verification, roles and tenants, through a tiny FastAPI app."""

from __future__ import annotations

import base64
import datetime
import json
import os
import time
from time import time as time_now
from typing import Annotated, Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient
from stdnum.cn import uscc

import suxin_common.auth as suxin_auth
from suxin_common import errors
from suxin_common.auth import (
    Authenticator,
    CurrentPrincipal,
    Principal,
    Role,
    Tenant,
    mint_dev_token,
    require_roles,
)
from suxin_common.settings import ServiceSettings
from suxin_common.web import Unauthenticated, install_problem_handlers
from suxin_common.web_edge import EdgeMiddleware

ENTERPRISE_USCC = "91321000MA1XXXXX1" + uscc.calc_check_digit("91321000MA1XXXXX1")
OTHER_USCC = "91320100MA1YYYYY2" + uscc.calc_check_digit("91320100MA1YYYYY2")


def dev_settings(**overrides: Any) -> ServiceSettings:
    return ServiceSettings(environment="test", **overrides)


def production_settings(jwks: str) -> ServiceSettings:
    return ServiceSettings(
        environment="production",
        auth_jwt_secret=None,
        auth_jwks=jwks,
        person_key_secret="production-person-key-secret",
        field_encryption_keys="p1:" + base64.b64encode(os.urandom(32)).decode(),
        audit_chain_keys="a1:" + base64.b64encode(os.urandom(32)).decode(),
    )


def ec_key_and_jwks(kid: str = "k-2025") -> tuple[ec.EllipticCurvePrivateKey, str]:
    private_key = ec.generate_private_key(ec.SECP256R1())
    public_jwk = jwt.algorithms.ECAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    public_jwk |= {"kid": kid, "use": "sig"}
    return private_key, json.dumps({"keys": [public_jwk]})


def claims(settings: ServiceSettings, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "sub": "user-1",
        "roles": ["enterprise"],
        "tenant": {"uscc": ENTERPRISE_USCC},
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "iat": now,
        "exp": now + 600,
    }
    return base | overrides


def make_app(settings: ServiceSettings) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(EdgeMiddleware)
    app.state.authenticator = Authenticator(settings)

    @app.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, Any]:
        return {
            "subject": principal.subject,
            "roles": sorted(principal.roles),
            "uscc": principal.tenant.uscc,
        }

    @app.get("/staff-only")
    async def staff_only(
        principal: Annotated[Principal, Depends(require_roles(Role.HRSS_STAFF, Role.OPS))],
    ) -> dict[str, str]:
        return {"subject": principal.subject}

    @app.get("/enterprises/{code}/hires")
    async def hires(code: str, principal: CurrentPrincipal) -> list[str]:
        principal.require_enterprise(code)
        return []

    return app


async def call(app: FastAPI, path: str, token: str | None = None):
    # The reasons are asserted in English (Chinese is the default: suxin_common.messages).
    headers = {"Accept-Language": "en"} | ({"Authorization": f"Bearer {token}"} if token else {})
    async with AsyncClient(transport=ASGITransport(app), base_url="http://test") as client:
        return await client.get(path, headers=headers)


def assert_unauthenticated(response, reason: str) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["type"] == "urn:suxin:problem:unauthenticated"
    assert reason in response.json()["detail"]


class TestDevTokens:
    async def test_minted_token_authenticates_with_roles_and_tenant(self) -> None:
        settings = dev_settings()
        token = mint_dev_token(
            settings, "ent-admin", [Role.ENTERPRISE, "seeker"], uscc=ENTERPRISE_USCC.lower()
        )
        response = await call(make_app(settings), "/me", token)
        assert response.status_code == 200
        assert response.json() == {
            "subject": "ent-admin",
            "roles": ["enterprise", "seeker"],
            "uscc": ENTERPRISE_USCC,
        }

    async def test_unknown_roles_are_ignored(self) -> None:
        settings = dev_settings()
        token = jwt.encode(
            claims(settings, roles=["seeker", "astronaut"]),
            settings.auth_jwt_secret,
            algorithm="HS256",
        )
        response = await call(make_app(settings), "/me", token)
        assert response.json()["roles"] == ["seeker"]

    def test_minting_is_refused_in_production(self) -> None:
        _, jwks = ec_key_and_jwks()
        with pytest.raises(RuntimeError, match="refused"):
            mint_dev_token(production_settings(jwks), "x", [Role.OPS])


class TestRefusedTokens:
    async def test_missing_token(self) -> None:
        assert_unauthenticated(await call(make_app(dev_settings()), "/me"), "required")

    async def test_bad_signature(self) -> None:
        settings = dev_settings()
        forged = jwt.encode(claims(settings), "another-secret-of-enough-length!", "HS256")
        assert_unauthenticated(await call(make_app(settings), "/me", forged), "signature")

    async def test_expired(self) -> None:
        settings = dev_settings()
        long_ago = int(time.time()) - 3600
        token = jwt.encode(
            claims(settings, iat=long_ago - 60, exp=long_ago), settings.auth_jwt_secret, "HS256"
        )
        assert_unauthenticated(await call(make_app(settings), "/me", token), "expired")

    async def test_wrong_audience(self) -> None:
        settings = dev_settings()
        token = jwt.encode(claims(settings, aud="elsewhere"), settings.auth_jwt_secret, "HS256")
        assert_unauthenticated(await call(make_app(settings), "/me", token), "aud")

    async def test_wrong_issuer(self) -> None:
        settings = dev_settings()
        token = jwt.encode(claims(settings, iss="mallory"), settings.auth_jwt_secret, "HS256")
        assert_unauthenticated(await call(make_app(settings), "/me", token), "iss")

    async def test_missing_expiry(self) -> None:
        settings = dev_settings()
        payload = claims(settings)
        del payload["exp"]
        token = jwt.encode(payload, settings.auth_jwt_secret, "HS256")
        assert_unauthenticated(await call(make_app(settings), "/me", token), "exp")

    async def test_garbage(self) -> None:
        assert_unauthenticated(
            await call(make_app(dev_settings()), "/me", "not.a.token"), "malformed"
        )

    async def test_unsigned_token(self) -> None:
        settings = dev_settings()
        token = jwt.encode(claims(settings), None, algorithm="none")
        assert_unauthenticated(await call(make_app(settings), "/me", token), "not accepted")


class TestRoles:
    async def test_missing_role_is_403_naming_the_needed_roles(self) -> None:
        settings = dev_settings()
        token = mint_dev_token(settings, "seeker-1", [Role.SEEKER])
        response = await call(make_app(settings), "/staff-only", token)
        assert response.status_code == 403
        assert response.json()["type"] == "urn:suxin:problem:forbidden"
        assert response.json()["required_roles"] == ["hrss_staff", "ops"]

    async def test_any_one_of_the_roles_is_enough(self) -> None:
        settings = dev_settings()
        token = mint_dev_token(settings, "ops-1", [Role.OPS])
        response = await call(make_app(settings), "/staff-only", token)
        assert response.json() == {"subject": "ops-1"}

    async def test_enterprise_sees_only_itself_and_staff_see_all(self) -> None:
        settings = dev_settings()
        app = make_app(settings)
        own = mint_dev_token(settings, "e", [Role.ENTERPRISE], uscc=ENTERPRISE_USCC)
        staff = mint_dev_token(settings, "s", [Role.HRSS_STAFF], district="321003")

        assert (await call(app, f"/enterprises/{ENTERPRISE_USCC}/hires", own)).status_code == 200
        assert (await call(app, f"/enterprises/{OTHER_USCC}/hires", own)).status_code == 403
        assert (await call(app, f"/enterprises/{OTHER_USCC}/hires", staff)).status_code == 200

    def test_principal_helpers(self) -> None:
        platform = Principal("p", frozenset({Role.PLATFORM}), Tenant(platform_id="meituan"))
        assert platform.has_role(Role.SEEKER, Role.PLATFORM)
        assert not platform.has_role(Role.SEEKER)
        platform.require_platform("meituan")
        with pytest.raises(errors.Forbidden):
            platform.require_platform("eleme")
        with pytest.raises(errors.Forbidden):
            platform.require_enterprise(ENTERPRISE_USCC)


class TestJwks:
    async def test_es256_token_from_the_jwks_is_accepted(self) -> None:
        private_key, jwks = ec_key_and_jwks(kid="k-2025")
        settings = production_settings(jwks)
        token = jwt.encode(
            claims(settings), private_key, algorithm="ES256", headers={"kid": "k-2025"}
        )
        response = await call(make_app(settings), "/me", token)
        assert response.status_code == 200
        assert response.json()["subject"] == "user-1"

    async def test_jwks_can_come_from_a_file(self, tmp_path) -> None:
        private_key, jwks = ec_key_and_jwks(kid="k-file")
        path = tmp_path / "jwks.json"
        path.write_text(jwks)
        settings = dev_settings(auth_jwks_file=str(path))
        token = jwt.encode(
            claims(settings), private_key, algorithm="ES256", headers={"kid": "k-file"}
        )
        assert (await call(make_app(settings), "/me", token)).status_code == 200

    async def test_unknown_kid_and_foreign_key_are_refused(self) -> None:
        _, jwks = ec_key_and_jwks(kid="k-2025")
        intruder = ec.generate_private_key(ec.SECP256R1())
        settings = production_settings(jwks)
        app = make_app(settings)
        unknown_kid = jwt.encode(claims(settings), intruder, "ES256", headers={"kid": "k-x"})
        same_kid = jwt.encode(claims(settings), intruder, "ES256", headers={"kid": "k-2025"})

        assert_unauthenticated(await call(app, "/me", unknown_kid), "unknown key")
        assert_unauthenticated(await call(app, "/me", same_kid), "signature")

    async def test_hs256_is_refused_in_production(self) -> None:
        _, jwks = ec_key_and_jwks()
        production = production_settings(jwks)
        dev_token = mint_dev_token(dev_settings(), "user-1", [Role.HRSS_STAFF])
        response = await call(make_app(production), "/me", dev_token)
        assert_unauthenticated(response, "HS256")

    def test_hs256_is_refused_in_production_even_if_a_secret_slips_through(self) -> None:
        _, jwks = ec_key_and_jwks()
        settings = production_settings(jwks).model_copy(
            update={"auth_jwt_secret": dev_settings().auth_jwt_secret}
        )
        dev_token = mint_dev_token(dev_settings(), "user-1", [Role.HRSS_STAFF])
        with pytest.raises(Unauthenticated, match="HS256"):
            Authenticator(settings).verify(dev_token)


class TestVerifiedTokenCache:
    """A verified token is remembered until it expires (or for VERIFIED_CACHE_S), never longer;
    a refused one is not remembered."""

    def test_a_verified_token_is_checked_once_and_expires_with_the_token(self, monkeypatch):
        settings = dev_settings(auth_leeway_s=0)
        auth = Authenticator(settings)
        decoded: list[str] = []
        real_decode = auth._decode
        monkeypatch.setattr(auth, "_decode", lambda t: decoded.append(t) or real_decode(t))
        now = int(time.time())
        token = jwt.encode(
            claims(settings, iat=now - 1, exp=now + 2), settings.auth_jwt_secret, "HS256"
        )
        first = auth.verify(token)
        assert auth.verify(token) is first
        assert len(decoded) == 1
        # A fake clock, 3 s on, for both the cache and PyJWT's expiry check (no sleep).
        later = 3.0
        monkeypatch.setattr(suxin_auth.time, "time", lambda: time_now() + later)

        class _Later(datetime.datetime):
            @classmethod
            def now(cls, tz=None):
                return datetime.datetime.now(tz) + datetime.timedelta(seconds=later)

        monkeypatch.setattr(jwt.api_jwt, "datetime", _Later)
        with pytest.raises(Unauthenticated, match="expired"):
            auth.verify(token)
        assert len(decoded) == 2

    def test_a_refused_token_is_not_remembered(self):
        settings = dev_settings()
        auth = Authenticator(settings)
        forged = jwt.encode(claims(settings), "another-secret-of-enough-length!", "HS256")
        for _ in range(2):
            with pytest.raises(Unauthenticated, match="signature"):
                auth.verify(forged)
        assert forged not in auth._verified
