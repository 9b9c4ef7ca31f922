"""Problem details, request ids, health endpoints and cursors, through a tiny FastAPI app."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel
from stdnum.cn import ric

from suxin_common.identity import ResidentId
from suxin_common.web import (
    PROBLEM_MEDIA_TYPE,
    Conflict,
    NotFound,
    Page,
    Unauthenticated,
    Unprocessable,
    decode_cursor,
    encode_cursor,
    health_router,
    install_problem_handlers,
)
from suxin_common.web_edge import EdgeMiddleware

RESIDENT_ID = "32100319900517123" + ric.calc_check_digit("32100319900517123" + "0")


class Registration(BaseModel):
    resident_id: ResidentId
    age: int


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(EdgeMiddleware)  # the services' edge layer: request id + language

    @app.post("/registrations")
    async def register(body: Registration) -> dict[str, int]:
        return {"age": body.age}

    @app.get("/hires/{hire_id}")
    async def get_hire(hire_id: int) -> dict[str, int]:
        if hire_id == 409:
            raise Conflict("Hire already recorded.", slug="duplicate-hire", extra={"hire_id": 409})
        raise NotFound(f"No hire {hire_id}.")

    @app.get("/whoami")
    async def whoami() -> None:
        raise Unauthenticated("A bearer token is required.")

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("boom " + RESIDENT_ID)

    @app.get("/items")
    async def items(cursor: str | None = None) -> Page[int]:
        start = decode_cursor(cursor)["after"] if cursor else 0
        return Page(items=[start + 1, start + 2], next_cursor=encode_cursor({"after": start + 2}))

    return app


def client_for(app: FastAPI) -> AsyncClient:
    # raise_app_exceptions=False: Starlette re-raises after answering 500, as servers expect.
    transport = ASGITransport(app, raise_app_exceptions=False)
    return AsyncClient(transport=transport, base_url="http://test")


def assert_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert body["type"] == f"urn:suxin:problem:{slug}"
    assert body["status"] == status
    assert body["title"]
    return body


class TestProblems:
    async def test_raised_problem_becomes_problem_json(self) -> None:
        async with client_for(make_app()) as client:
            missing = await client.get("/hires/7")
            duplicate = await client.get("/hires/409")

        assert assert_problem(missing, 404, "not-found")["detail"] == "No hire 7."
        assert assert_problem(duplicate, 409, "duplicate-hire")["hire_id"] == 409

    async def test_unauthenticated_asks_for_a_bearer_token(self) -> None:
        async with client_for(make_app()) as client:
            response = await client.get("/whoami")
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"] == "Bearer"

    async def test_invalid_field_names_the_field_without_echoing_the_value(self) -> None:
        wrong = RESIDENT_ID[:-1] + ("1" if RESIDENT_ID[-1] != "1" else "2")
        async with client_for(make_app()) as client:
            response = await client.post(
                "/registrations", json={"resident_id": wrong, "age": "old"}
            )

        body = assert_problem(response, 422, "validation-failed")
        assert {e["field"] for e in body["errors"]} == {"resident_id", "age"}
        assert all(e["location"] == "body" for e in body["errors"])
        assert "resident_id" in body["detail"] and "age" in body["detail"]
        assert wrong not in response.text
        assert wrong[:14] not in response.text
        assert "old" not in response.text

    async def test_missing_field_is_named_in_chinese_or_english(self) -> None:
        async with client_for(make_app()) as client:
            response = await client.post("/registrations", json={"age": 3})
            english = await client.post(
                "/registrations", json={"age": 3}, headers={"Accept-Language": "en"}
            )
        body = assert_problem(response, 422, "validation-failed")
        assert body["title"] == "请求内容无效"
        assert body["detail"] == "以下字段的值无效：resident_id。"
        assert body["errors"] == [{"field": "resident_id", "location": "body", "message": "必填"}]
        body = assert_problem(english, 422, "validation-failed")
        assert body["detail"] == "Invalid value for resident_id."
        assert body["errors"] == [
            {"field": "resident_id", "location": "body", "message": "Field required"}
        ]

    async def test_malformed_json_is_a_client_error(self) -> None:
        async with client_for(make_app()) as client:
            response = await client.post(
                "/registrations",
                content=b'{"resident_id": ',
                headers={"content-type": "application/json"},
            )
        body = assert_problem(response, 422, "validation-failed")
        assert body["detail"] == "请求体不是有效的 JSON。"
        assert body["errors"][0]["field"] is None

    async def test_unknown_route_and_wrong_method_keep_their_status(self) -> None:
        async with client_for(make_app()) as client:
            unknown = await client.get("/nowhere")
            wrong_method = await client.delete("/registrations")

        assert_problem(unknown, 404, "not-found")
        assert_problem(wrong_method, 405, "method-not-allowed")
        assert wrong_method.headers["allow"] == "POST"

    async def test_unhandled_error_is_a_generic_500_logged_with_traceback(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        async with client_for(make_app()) as client:
            response = await client.get("/crash", headers={"X-Request-ID": "req-1"})

        body = assert_problem(response, 500, "internal-error")
        assert "boom" not in response.text
        assert response.headers["x-request-id"] == "req-1"
        [record] = [r for r in caplog.records if r.name == "suxin_common.web"]
        assert record.exc_info is not None
        assert "/crash" in record.getMessage()
        assert body["detail"]

    def test_unprocessable_with_field_lists_it_in_errors(self) -> None:
        problem = Unprocessable("Wage must be positive.", field="wage")
        assert problem.body()["errors"] == [{"field": "wage", "message": "Wage must be positive."}]

    def test_extension_members_cannot_replace_standard_ones(self) -> None:
        with pytest.raises(ValueError):
            NotFound("x", extra={"status": 200})


class TestRequestId:
    async def test_a_request_id_is_created_when_none_is_given(self) -> None:
        async with client_for(make_app()) as client:
            first = await client.get("/hires/1")
            second = await client.get("/hires/1")
        assert first.headers["x-request-id"]
        assert first.headers["x-request-id"] != second.headers["x-request-id"]

    async def test_a_plain_incoming_id_is_kept_and_an_unsafe_one_replaced(self) -> None:
        async with client_for(make_app()) as client:
            kept = await client.get("/hires/1", headers={"X-Request-ID": "abc-123"})
            replaced = await client.get("/hires/1", headers={"X-Request-ID": "a b\tc"})
        assert kept.headers["x-request-id"] == "abc-123"
        assert replaced.headers["x-request-id"] != "a b\tc"


class TestHealth:
    @staticmethod
    def app_with(checks) -> FastAPI:
        app = FastAPI()
        install_problem_handlers(app)
        app.include_router(health_router(checks, timeout_s=0.05))
        return app

    async def test_all_checks_pass(self) -> None:
        async def ok() -> None:
            return None

        async with client_for(self.app_with({"db": ok, "nats": ok})) as client:
            live = await client.get("/livez")
            ready = await client.get("/readyz")

        assert live.json() == {"status": "ok"}
        assert ready.status_code == 200
        assert ready.json() == {"status": "ok", "checks": {"db": "ok", "nats": "ok"}}

    async def test_failing_and_slow_checks_make_it_unready(self) -> None:
        async def ok() -> None:
            return None

        async def broken() -> None:
            raise ConnectionError("postgresql://user:password@db")

        async def slow() -> None:
            await asyncio.sleep(1)

        app = self.app_with({"db": broken, "nats": slow, "cache": ok})
        async with client_for(app) as client:
            live = await client.get("/livez")
            ready = await client.get("/readyz")

        assert live.status_code == 200
        body = assert_problem(ready, 503, "not-ready")
        assert body["checks"] == {"db": "failed", "nats": "timeout", "cache": "ok"}
        assert "db" in body["detail"] and "nats" in body["detail"]
        assert "password" not in ready.text


class TestCursors:
    def test_round_trip(self) -> None:
        position = {"created_at": "2025-01-02T03:04:05Z", "id": "a1", "n": 3}
        cursor = encode_cursor(position)
        assert "=" not in cursor
        assert decode_cursor(cursor) == position

    @pytest.mark.parametrize("cursor", ["", "not a cursor", "WzFd", "x" * 5000, "é"])
    def test_damaged_cursor_is_a_422_on_cursor(self, cursor: str) -> None:
        with pytest.raises(Unprocessable) as raised:
            decode_cursor(cursor)
        assert raised.value.field == "cursor"

    async def test_pages_through_the_api(self) -> None:
        async with client_for(make_app()) as client:
            first = (await client.get("/items")).json()
            second = (await client.get("/items", params={"cursor": first["next_cursor"]})).json()
            damaged = await client.get("/items", params={"cursor": "%%%"})

        assert first["items"] == [1, 2]
        assert second["items"] == [3, 4]
        body = assert_problem(damaged, 422, "unprocessable")
        assert body["errors"] == [{"field": "cursor", "message": "分页游标无效。"}]
