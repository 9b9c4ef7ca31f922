"""Partner machine credentials: JWKS from a URL with key rotation, lifetimes, scopes, and the
development issuer; HRSS staff district scoping."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient

from suxin_common.auth import (
    Authenticator,
    Principal,
    Role,
    Tenant,
    require_scopes,
)
from suxin_common.errors import NotFound
from suxin_common.security.devissuer import DevIssuer
from suxin_common.settings import ServiceSettings
from suxin_common.web import Unauthenticated, install_problem_handlers


class JwksServer:
    """A JWKS endpoint on 127.0.0.1 whose document the test can swap, counting fetches."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": []}
        self.fetches = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                owner.fetches += 1
                body = json.dumps(owner.document).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/.well-known/jwks.json"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> JwksServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def jwks_server():
    with JwksServer() as server:
        yield server


@pytest.fixture
def issuer(tmp_path) -> DevIssuer:
    return DevIssuer(tmp_path / "auth", issuer="https://idp.test", audience="suxin")


def remote_settings(url: str, **overrides: Any) -> ServiceSettings:
    values: dict[str, Any] = dict(
        environment="test",
        auth_jwt_secret=None,
        auth_jwks_url=url,
        auth_issuer="https://idp.test",
        auth_audience="suxin",
        auth_jwks_min_refresh_s=0.0,
    )
    return ServiceSettings(**(values | overrides))


async def test_a_rotated_key_is_fetched_on_its_first_token_without_a_restart(jwks_server, issuer):
    issuer.rotate()
    jwks_server.document = issuer.jwks()
    auth = Authenticator(remote_settings(jwks_server.url))

    old_token = issuer.mint("platform-meituan", scopes=["orders:write"], roles=[Role.PLATFORM])
    principal = await auth.authenticate(old_token)
    assert principal.client_id == "platform-meituan"
    assert principal.scopes == {"orders:write"}
    assert principal.roles == {Role.PLATFORM}

    issuer.rotate()
    new_token = issuer.mint("platform-meituan", scopes=["orders:write"])
    jwks_server.document = issuer.jwks()
    fetches = jwks_server.fetches
    assert (await auth.authenticate(new_token)).subject == "platform-meituan"
    assert jwks_server.fetches == fetches + 1
    # The previous key stays published, so tokens issued before the rotation still pass.
    assert (await auth.authenticate(old_token)).subject == "platform-meituan"


async def test_unknown_kids_do_not_refetch_faster_than_the_minimum_interval(jwks_server, issuer):
    issuer.rotate()
    jwks_server.document = issuer.jwks()
    auth = Authenticator(remote_settings(jwks_server.url, auth_jwks_min_refresh_s=3600))
    await auth.authenticate(issuer.mint("c"))
    issuer.rotate()
    fetches = jwks_server.fetches
    for _ in range(3):
        with pytest.raises(Unauthenticated, match="unknown key"):
            await auth.authenticate(issuer.mint("c"))
    assert jwks_server.fetches == fetches


async def test_a_failing_jwks_endpoint_keeps_the_keys_already_held(jwks_server, issuer):
    issuer.rotate()
    jwks_server.document = issuer.jwks()
    auth = Authenticator(remote_settings(jwks_server.url, auth_jwks_cache_s=0.0))
    token = issuer.mint("c")
    await auth.authenticate(token)
    jwks_server.document = {"keys": "not a list"}
    assert (await auth.authenticate(token)).subject == "c"


async def test_wrong_issuer_audience_and_long_lifetimes_are_refused(jwks_server, issuer, tmp_path):
    issuer.rotate()
    jwks_server.document = issuer.jwks()
    auth = Authenticator(remote_settings(jwks_server.url, auth_max_token_lifetime_s=600))
    with pytest.raises(Unauthenticated, match="longer than 600"):
        await auth.authenticate(issuer.mint("c", ttl_s=3600))
    other_issuer = DevIssuer(issuer.directory, issuer="https://evil.test", audience="suxin")
    with pytest.raises(Unauthenticated, match="issuer"):
        await auth.authenticate(other_issuer.mint("c"))
    other_audience = DevIssuer(issuer.directory, issuer="https://idp.test", audience="bank")
    with pytest.raises(Unauthenticated, match="aud"):
        await auth.authenticate(other_audience.mint("c"))


async def test_clock_skew_within_the_leeway_is_tolerated(jwks_server, issuer):
    issuer.rotate()
    jwks_server.document = issuer.jwks()
    auth = Authenticator(remote_settings(jwks_server.url, auth_leeway_s=30))
    now = int(time.time())
    # Issued by a clock 20 s ahead; expired 20 s ago by ours: both within 30 s.
    assert await auth.authenticate(issuer.mint("c", now=now + 20))
    assert await auth.authenticate(issuer.mint("c", ttl_s=100, now=now - 120))
    with pytest.raises(Unauthenticated, match="expired"):
        await auth.authenticate(issuer.mint("c", ttl_s=100, now=now - 200))


def test_the_dev_issuer_keeps_the_jwks_file_services_read(issuer):
    kid = issuer.ensure_key()
    auth = Authenticator(
        ServiceSettings(
            environment="test",
            auth_jwt_secret=None,
            auth_jwks_file=str(issuer.jwks_path),
            auth_issuer="https://idp.test",
        )
    )
    assert auth.verify(issuer.mint("training-inst-1")).subject == "training-inst-1"
    assert [k["kid"] for k in json.loads(issuer.jwks_path.read_text())["keys"]] == [kid]
    assert all("d" not in k for k in issuer.jwks()["keys"]), "private key material published"


def test_the_dev_issuer_is_refused_in_production():
    with pytest.raises(RuntimeError, match="refused"):
        DevIssuer.from_settings(
            ServiceSettings(
                environment="production",
                auth_jwt_secret=None,
                auth_jwks='{"keys": []}',
                person_key_secret="x" * 40,
                field_encryption_keys="p1:" + "A" * 43 + "=",
                audit_chain_keys="a1:" + "A" * 43 + "=",
            )
        )


async def test_require_scopes_answers_403_naming_the_missing_scope(issuer):
    issuer.rotate()
    settings = ServiceSettings(
        environment="test",
        auth_jwt_secret=None,
        auth_jwks_file=str(issuer.jwks_path),
        auth_issuer="https://idp.test",
    )
    app = FastAPI()
    install_problem_handlers(app)
    app.state.authenticator = Authenticator(settings)

    @app.post("/orders", dependencies=[Depends(require_scopes("orders:write"))])
    async def report_orders() -> dict[str, str]:
        return {"ok": "yes"}

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        allowed = await client.post(
            "/orders",
            headers={"Authorization": "Bearer " + issuer.mint("p", scopes=["orders:write"])},
        )
        refused = await client.post(
            "/orders",
            headers={"Authorization": "Bearer " + issuer.mint("p", scopes=["orders:read"])},
        )
    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert refused.json()["required_scopes"] == ["orders:write"]
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]


def staff(*districts: str) -> Principal:
    tenant = Tenant(district=districts[0] if districts else None, districts=districts[1:])
    return Principal("staff-1", frozenset({Role.HRSS_STAFF}), tenant)


def test_province_level_staff_have_no_district_limit():
    assert staff().district_scope() is None
    assert staff("32").district_scope() is None
    staff().check_district("321002")


def test_city_staff_see_their_districts_and_nothing_else():
    yangzhou = staff("3210")
    assert yangzhou.district_scope() == ("3210",)
    yangzhou.check_district("321002")
    with pytest.raises(NotFound):
        yangzhou.check_district("320102")
    with pytest.raises(NotFound):
        yangzhou.check_district(None)
    two = staff("321002", "321003")
    assert two.sees_district("321003") and not two.sees_district("321012")


def test_district_scope_applies_to_staff_only():
    enterprise = Principal("e", frozenset({Role.ENTERPRISE}), Tenant(district="321002"))
    assert enterprise.district_scope() is None
    auditor = Principal("a", frozenset({Role.AUDITOR, Role.HRSS_STAFF}), Tenant(district="3210"))
    assert auditor.district_scope() is None


def test_district_clause_filters_by_division_prefix():
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    from suxin_common.auth import district_clause

    table = sa.table("cases", sa.column("district_code"))

    def sql(principal: Principal) -> str:
        clause = district_clause(table.c.district_code, principal)
        return str(
            clause.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
        )

    assert sql(staff("3210", "320102")) == (
        "(cases.district_code LIKE '320102' || '%%' ESCAPE '/') "
        "OR (cases.district_code LIKE '3210' || '%%' ESCAPE '/')"
    )
    assert sql(staff()) == "true"


def test_a_rotated_jwks_file_is_reread_without_a_restart(issuer):
    issuer.rotate()
    auth = Authenticator(
        ServiceSettings(
            environment="test",
            auth_jwt_secret=None,
            auth_jwks_file=str(issuer.jwks_path),
            auth_issuer="https://idp.test",
        )
    )
    assert auth.verify(issuer.mint("c")).subject == "c"
    issuer.rotate()
    assert auth.verify(issuer.mint("c")).subject == "c"


def test_the_local_stack_trusts_the_dev_issuer_once_it_exists(tmp_path):
    settings = ServiceSettings(environment="development", auth_dev_issuer_dir=str(tmp_path))
    auth = Authenticator(settings)  # before any partner token was minted: no file yet
    issuer = DevIssuer(tmp_path, issuer=settings.auth_issuer, audience=settings.auth_audience)
    principal = auth.verify(issuer.mint("gig-platform", scopes=["orders:write"]))
    assert principal.client_id == "gig-platform"


def test_an_explicit_jwks_file_must_exist(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        Authenticator(
            ServiceSettings(environment="test", auth_jwks_file=str(tmp_path / "missing.json"))
        )


def test_a_verified_person_key_travels_in_seeker_tokens() -> None:
    from suxin_common.auth import Authenticator, Role, mint_dev_token
    from suxin_common.privacy import PersonalData
    from suxin_common.settings import ServiceSettings
    from suxin_devkit.testing import make_resident_id

    settings = ServiceSettings(environment="test")
    key = PersonalData.from_settings(settings).person_key(make_resident_id(5))
    verified = Authenticator(settings).verify(
        mint_dev_token(settings, "acct-1", [Role.SEEKER], person_key=key)
    )
    assert verified.person_key == key and verified.is_person(key)
    assert not verified.is_person("pk_" + "0" * 32)
    anonymous = Authenticator(settings).verify(mint_dev_token(settings, "acct-2", [Role.SEEKER]))
    assert anonymous.person_key is None and not anonymous.is_person(key)
