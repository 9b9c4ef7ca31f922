"""Refused attempts (401, 403, 404 on an object) land in the audit trail with the caller, within
a budget per caller; request ids that could carry personal data are replaced."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from fastapi import Depends, FastAPI
from httpx import ASGITransport, AsyncClient

from suxin_common.auth import Authenticator, CurrentPrincipal, Role, mint_dev_token, require_roles
from suxin_common.security import audit
from suxin_common.security.denied import ACCESS_DENIED, DeniedAttemptAuditMiddleware
from suxin_common.security.install import install_security
from suxin_common.settings import ServiceSettings
from suxin_common.tables import audit_log
from suxin_common.web import NotFound, install_problem_handlers
from suxin_common.web_edge import EdgeMiddleware
from suxin_devkit.testing import kit_database

pytestmark = pytest.mark.integration

RESIDENT_ID = "320102199001011237"


def build_app(engine, settings: ServiceSettings, middleware=None) -> FastAPI:
    app = FastAPI()
    app.state.settings = settings
    app.state.authenticator = Authenticator(settings)
    app.state.runtime = SimpleNamespace(engine=engine)
    install_problem_handlers(app)
    if middleware is None:
        install_security(app, settings)
    else:
        app.add_middleware(DeniedAttemptAuditMiddleware, **middleware)
    app.add_middleware(EdgeMiddleware)

    @app.get("/v1/cases/{case_id}", dependencies=[Depends(require_roles(Role.HRSS_STAFF))])
    async def get_case(case_id: str, principal: CurrentPrincipal):
        if case_id != "mine":  # another tenant's case: answered like a missing one
            raise NotFound("case not found")
        return {"id": case_id}

    return app


def bearer(settings: ServiceSettings, *roles: Role, sub: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + mint_dev_token(settings, sub, list(roles))}


@pytest.fixture
async def engine(infra):
    _, engine = await kit_database(infra, "denied_audit")
    try:
        yield engine
    finally:
        await engine.dispose()


async def denied_entries(engine) -> list[dict]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.select(audit_log).where(audit_log.c.action == ACCESS_DENIED).order_by(audit_log.c.id)
        )
        return [dict(r) for r in rows.mappings()]


def client(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://svc")


async def test_401_403_and_404_on_an_object_are_audited_with_the_caller(engine):
    settings = ServiceSettings(environment="test", rate_limit_enabled=False)
    app = build_app(engine, settings)
    async with client(app) as c:
        anonymous = await c.get("/v1/cases/c-7", headers={"X-Request-ID": "probe-1"})
        wrong_role = await c.get("/v1/cases/c-7", headers=bearer(settings, Role.SEEKER, sub="s-1"))
        foreign = await c.get(
            f"/v1/cases/{RESIDENT_ID}", headers=bearer(settings, Role.HRSS_STAFF, sub="st-1")
        )
        own = await c.get("/v1/cases/mine", headers=bearer(settings, Role.HRSS_STAFF, sub="st-1"))
        no_route = await c.get(
            "/v1/nothing/here", headers=bearer(settings, Role.HRSS_STAFF, sub="st-1")
        )
    assert [anonymous.status_code, wrong_role.status_code, foreign.status_code] == [401, 403, 404]
    assert own.status_code == 200 and no_route.status_code == 404
    entries = await denied_entries(engine)
    assert [(e["actor"], e["details"]["status"]) for e in entries] == [
        ("anonymous", 401),
        ("s-1", 403),
        ("st-1", 404),
    ]
    assert {e["object_type"] for e in entries} == {"GET /v1/cases/{case_id}"}
    assert entries[0]["request_id"] == "probe-1"
    assert entries[1]["actor_roles"] == "seeker"
    # The object id the caller tried is kept, masked like the logs.
    assert entries[2]["object_id"] == "3201**********1237"
    assert RESIDENT_ID not in str(entries)
    async with engine.connect() as conn:
        assert (await audit.verify_chain(conn)).ok


async def test_a_flood_of_refusals_is_bounded_per_caller_and_counted(engine):
    settings = ServiceSettings(environment="test", rate_limit_enabled=False)
    now = [1000.0]
    app = build_app(
        engine,
        settings,
        {"per_caller_burst": 3, "per_caller_rate": 0.1, "clock": lambda: now[0]},
    )
    seeker = bearer(settings, Role.SEEKER, sub="flooder")
    async with client(app) as c:
        for _ in range(10):
            assert (await c.get("/v1/cases/x", headers=seeker)).status_code == 403
        other = await c.get("/v1/cases/x", headers=bearer(settings, Role.SEEKER, sub="other"))
        now[0] += 10.0  # one more entry's worth of budget
        await c.get("/v1/cases/x", headers=seeker)
    assert other.status_code == 403
    entries = await denied_entries(engine)
    flooder = [e for e in entries if e["actor"] == "flooder"]
    assert len(flooder) == 4
    assert flooder[-1]["details"]["suppressed"] == 7
    assert [e["actor"] for e in entries].count("other") == 1


async def test_request_ids_that_could_carry_personal_data_are_replaced(engine):
    settings = ServiceSettings(environment="test", rate_limit_enabled=False)
    app = build_app(engine, settings)
    async with client(app) as c:
        shaped = await c.get("/v1/cases/c-1", headers={"X-Request-ID": RESIDENT_ID})
        phone = await c.get("/v1/cases/c-1", headers={"X-Request-ID": "call-13812345678"})
        long = await c.get("/v1/cases/c-1", headers={"X-Request-ID": "a" * 65})
        newline = await c.get(
            "/v1/cases/c-1", headers={"X-Request-ID": "ok\u00e9".encode("latin-1")}
        )
    for response, sent in ((shaped, RESIDENT_ID), (phone, "call-13812345678"), (long, "a" * 65)):
        assert response.headers["x-request-id"] != sent
    assert newline.headers["x-request-id"] != "ok\u00e9"
    stored = [e["request_id"] for e in await denied_entries(engine)]
    assert len(stored) == 4
    assert not any("13812345678" in r or RESIDENT_ID in r or len(r) > 64 for r in stored)
