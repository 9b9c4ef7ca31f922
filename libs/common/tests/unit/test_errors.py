"""Domain errors raised by handlers answer as problem details, through the kit's web layer."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from suxin_common import errors
from suxin_common.web import PROBLEM_MEDIA_TYPE, install_problem_handlers


def _app(error: errors.DomainError) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/x")
    async def refuse():
        raise error

    return app


async def _answer(error: errors.DomainError):
    async with AsyncClient(transport=ASGITransport(app=_app(error)), base_url="http://t") as c:
        return await c.get("/x", headers={"Accept-Language": "en"})


async def test_each_kind_has_its_status_and_code():
    for error, status in [
        (errors.NotFound("hire 1 does not exist"), 404),
        (errors.Forbidden("not yours"), 403),
        (errors.Conflict("already hired"), 409),
        (errors.RuleViolation("too long"), 422),
    ]:
        r = await _answer(error)
        assert r.status_code == status
        assert r.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
        body = r.json()
        assert (body["status"], body["code"]) == (status, error.code)
        assert body["detail"]  # in the caller's language (looked up by the code)
        assert body["type"].endswith(":" + error.code)


async def test_the_field_and_members_reach_the_answer():
    r = await _answer(
        errors.RuleViolation("the wage is below the minimum", field="monthly_wage_fen")
    )
    [error] = r.json()["errors"]
    assert error["field"] == "monthly_wage_fen"
    r = await _answer(errors.Conflict("closed", code="post-closed", extra={"current": "closed"}))
    body = r.json()
    assert (r.status_code, body["code"], body["current"]) == (409, "post-closed", "closed")
    r = await _answer(errors.Forbidden("set by staff", field="little_giant"))
    assert r.json()["errors"][0]["field"] == "little_giant"
