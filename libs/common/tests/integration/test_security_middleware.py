"""Abuse limits, Idempotency-Key and the auditor API, on a small app with the kit installed
exactly as build_service_app installs it, against a real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import Depends, FastAPI, Request, status
from httpx import ASGITransport, AsyncClient

from suxin_common.auth import Authenticator, CurrentPrincipal, Role, mint_dev_token, require_roles
from suxin_common.db import UnitOfWork, session_factory
from suxin_common.security import audit
from suxin_common.security.install import install_security
from suxin_common.settings import ServiceSettings
from suxin_common.web import InputModel, install_problem_handlers
from suxin_common.web_edge import EdgeMiddleware
from suxin_devkit.testing import eventually, kit_database

pytestmark = pytest.mark.integration


class CaseIn(InputModel):
    name: str


def build_app(engine, **overrides: Any) -> tuple[FastAPI, ServiceSettings, dict[str, int]]:
    settings = ServiceSettings(environment="test", **overrides)
    app = FastAPI()
    app.state.settings = settings
    app.state.authenticator = Authenticator(settings)
    app.state.runtime = SimpleNamespace(engine=engine)
    install_problem_handlers(app)
    install_security(app, settings)
    app.add_middleware(EdgeMiddleware)
    calls = {"created": 0}
    gate = asyncio.Event()
    gate.set()
    app.state.gate = gate

    @app.post(
        "/v1/cases",
        status_code=status.HTTP_201_CREATED,
        dependencies=[Depends(require_roles(Role.HRSS_STAFF))],
    )
    async def open_case(body: CaseIn, principal: CurrentPrincipal, request: Request):
        await request.app.state.gate.wait()
        calls["created"] += 1
        async with UnitOfWork(session_factory(engine), source="/t") as uow:
            await audit.record(
                uow, principal, action=audit.DECIDE_SUBSIDY, object_type="case", object_id="c1"
            )
            await uow.commit()
        return {"id": str(uuid.uuid4()), "name": body.name}

    return app, settings, calls


def bearer(settings: ServiceSettings, *roles: Role, sub: str = "staff-1") -> dict[str, str]:
    return {"Authorization": "Bearer " + mint_dev_token(settings, sub, list(roles))}


@pytest.fixture
async def engine(infra):
    _, engine = await kit_database(infra, "security_mw")
    try:
        yield engine
    finally:
        await engine.dispose()


def client(app: FastAPI) -> AsyncClient:
    return AsyncClient(transport=ASGITransport(app=app), base_url="http://svc")


async def test_same_key_and_body_replays_the_stored_response(engine):
    app, settings, calls = build_app(engine)
    headers = bearer(settings, Role.HRSS_STAFF) | {"Idempotency-Key": "k-1"}
    async with client(app) as c:
        first = await c.post("/v1/cases", json={"name": "a"}, headers=headers)
        second = await c.post("/v1/cases", json={"name": "a"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert calls["created"] == 1


async def test_same_key_with_another_body_is_422(engine):
    app, settings, calls = build_app(engine)
    headers = bearer(settings, Role.HRSS_STAFF) | {"Idempotency-Key": "k-2"}
    async with client(app) as c:
        await c.post("/v1/cases", json={"name": "a"}, headers=headers)
        reused = await c.post("/v1/cases", json={"name": "b"}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["type"] == "urn:suxin:problem:idempotency-key-reused"
    assert calls["created"] == 1


async def test_a_concurrent_duplicate_is_409_and_keys_are_per_caller(engine):
    app, settings, calls = build_app(engine)
    app.state.gate.clear()
    headers = bearer(settings, Role.HRSS_STAFF) | {"Idempotency-Key": "k-3"}
    other = bearer(settings, Role.HRSS_STAFF, sub="staff-2") | {"Idempotency-Key": "k-3"}
    async with client(app) as c:
        first = asyncio.create_task(c.post("/v1/cases", json={"name": "a"}, headers=headers))
        await eventually(lambda: _claimed(engine))
        duplicate = await c.post("/v1/cases", json={"name": "a"}, headers=headers)
        app.state.gate.set()
        assert (await first).status_code == 201
        assert (await c.post("/v1/cases", json={"name": "a"}, headers=other)).status_code == 201
    assert duplicate.status_code == 409
    assert calls["created"] == 2


async def _claimed(engine) -> bool:
    async with engine.connect() as conn:
        from sqlalchemy import text

        return bool((await conn.execute(text("SELECT count(*) FROM idempotency_keys"))).scalar())


async def test_a_refused_request_does_not_burn_the_key(engine):
    app, settings, calls = build_app(engine)
    async with client(app) as c:
        refused = await c.post(
            "/v1/cases",
            json={"name": "a"},
            headers=bearer(settings, Role.SEEKER) | {"Idempotency-Key": "k-4"},
        )
        invalid = await c.post(
            "/v1/cases",
            json={"name": "a", "status": "approved"},
            headers=bearer(settings, Role.HRSS_STAFF) | {"Idempotency-Key": "k-5"},
        )
    assert refused.status_code == 403
    # A 422 is stored (the same request will always be invalid), and says which field.
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "status"


async def test_bodies_over_the_limit_are_413_problems(engine):
    app, settings, _ = build_app(engine, max_request_body_bytes=100)
    async with client(app) as c:
        big = await c.post(
            "/v1/cases", json={"name": "x" * 200}, headers=bearer(settings, Role.HRSS_STAFF)
        )

        async def chunks():
            for _ in range(5):
                yield b'{"name": "' + b"x" * 40

        streamed = await c.post(
            "/v1/cases", content=chunks(), headers=bearer(settings, Role.HRSS_STAFF)
        )
    for response in (big, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["X-Request-ID"]


async def test_rate_limit_answers_429_with_headers_per_client(engine):
    app, settings, _ = build_app(
        engine, rate_limit_enabled=True, rate_limit_per_s=0.01, rate_limit_burst=2
    )
    staff = bearer(settings, Role.HRSS_STAFF)
    other = bearer(settings, Role.HRSS_STAFF, sub="staff-2")
    async with client(app) as c:
        answers = [await c.get("/v1/audit/verify", headers=staff) for _ in range(3)]
        other_answer = await c.get("/v1/audit/verify", headers=other)
        health = [await c.get("/livez") for _ in range(3)]
    assert [a.status_code for a in answers[:2]] != [429, 429]
    limited = answers[2]
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.headers["RateLimit-Policy"] == '"default";q=2;w=200'
    assert limited.headers["RateLimit"].startswith('"default";r=0;t=')
    assert answers[0].headers["RateLimit"].startswith('"default";r=1;')
    assert other_answer.status_code != 429
    assert all(h.status_code != 429 for h in health)


@pytest.mark.parametrize(("shared", "allowed"), [(False, 6), (True, 3)])
async def test_a_shared_limit_holds_across_two_replicas(engine, shared, allowed):
    """Two app instances on one database, a client alternating between them: in-process
    buckets let each replica grant the burst (2 x 3); the shared counter grants 3 in all."""
    options = dict(
        rate_limit_enabled=True, rate_limit_per_s=0.01, rate_limit_burst=3, rate_limit_shared=shared
    )
    (one, settings, _), (two, _, _) = build_app(engine, **options), build_app(engine, **options)
    staff = bearer(settings, Role.HRSS_STAFF)
    async with client(one) as a, client(two) as b:
        answers = [await (a, b)[i % 2].get("/v1/nothing", headers=staff) for i in range(10)]
    statuses = [r.status_code for r in answers]
    assert sum(s != 429 for s in statuses) == allowed, statuses
    assert all(s in (404, 429) for s in statuses)
    if shared:
        assert statuses[:3] == [404, 404, 404]
        assert answers[3].headers["RateLimit"].startswith('"default";r=0;')
        assert int(answers[3].headers["Retry-After"]) >= 1


async def test_the_auditor_lists_and_verifies_and_nobody_else_may(engine):
    app, settings, _ = build_app(engine)
    async with client(app) as c:
        for n in range(3):
            await c.post(
                "/v1/cases",
                json={"name": f"n{n}"},
                headers=bearer(settings, Role.HRSS_STAFF) | {"X-Request-ID": f"req-{n}"},
            )
        auditor = bearer(settings, Role.AUDITOR, sub="auditor-1")
        page = await c.get("/v1/audit/entries?limit=2", headers=auditor)
        rest = await c.get(
            f"/v1/audit/entries?limit=2&cursor={page.json()['next_cursor']}", headers=auditor
        )
        verified = await c.get("/v1/audit/verify", headers=auditor)
        too_big = await c.get("/v1/audit/entries?limit=100000", headers=auditor)
        staff = await c.get("/v1/audit/entries", headers=bearer(settings, Role.HRSS_STAFF))
        admin = await c.get("/v1/audit/verify", headers=bearer(settings, Role.ADMIN))
    assert [e["request_id"] for e in page.json()["items"]] == ["req-2", "req-1"]
    assert [e["request_id"] for e in rest.json()["items"]] == ["req-0"]
    assert page.json()["items"][0]["actor_roles"] == ["hrss_staff"]
    assert verified.json() == verified.json() | {"ok": True, "checked": 3}
    assert too_big.status_code == 422
    assert staff.status_code == admin.status_code == 403


async def test_expired_keys_are_reusable_and_purged(engine):
    from sqlalchemy import text

    from suxin_common.security.idempotency import purge_expired

    app, settings, calls = build_app(engine, idempotency_ttl_s=0.0)
    headers = bearer(settings, Role.HRSS_STAFF) | {"Idempotency-Key": "k-old"}
    async with client(app) as c:
        first = await c.post("/v1/cases", json={"name": "a"}, headers=headers)
        again = await c.post("/v1/cases", json={"name": "b"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert calls["created"] == 2
    assert await purge_expired(engine, limit=10) == 1
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM idempotency_keys"))).scalar() == 0
