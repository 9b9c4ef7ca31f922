"""The HTTP API's authorization and validation, which answer before any database access."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from httpx import ASGITransport, AsyncClient

from suxin_common.auth import Role, mint_dev_token
from suxin_common.web import PROBLEM_MEDIA_TYPE, encode_cursor
from training_vouchers.app import create_app
from training_vouchers.settings import Settings

OWN_USCC = "91321000MA1XXXXX18"
OTHER_USCC = "91320100MA1YYYYY2C"
SETTINGS = Settings(environment="test", run_background_workers=False)


def no_database():
    raise AssertionError("this request must be answered before the database is used")


@pytest.fixture
async def client():
    app = create_app(SETTINGS)
    # The lifespan (database, NATS) is not run: these requests must not need it.
    app.state.runtime = SimpleNamespace(sessions=no_database)
    async with AsyncClient(transport=ASGITransport(app), base_url="http://test") as c:
        yield c


def bearer(*roles: Role, uscc: str | None = None) -> dict[str, str]:
    token = mint_dev_token(SETTINGS, "user-1", roles, uscc=uscc)
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert body["status"] == status
    return body


class TestActivePolicy:
    async def test_any_authenticated_caller_sees_the_rules(self, client):
        response = await client.get("/v1/policies/active", headers=bearer(Role.SEEKER))

        assert response.status_code == 200
        body = response.json()
        assert body["version"] == "js-2026.1"
        assert body["review_working_days"] == 20
        assert body["amounts_confirmed"] is False
        graduate = body["rules"][0]
        assert graduate["id"] == "one_time_absorption_graduate"
        assert graduate["name_zh"].startswith("一次性吸纳就业补贴")
        assert graduate["delivery_mode"] == "no_application"
        assert graduate["parameters"]["amount_fen"] == 150_000
        assert graduate["parameters"]["education_levels"] == [
            "bachelor",
            "doctorate",
            "junior_college",
            "master",
        ]

    async def test_needs_a_token(self, client):
        body = assert_problem(await client.get("/v1/policies/active"), 401)
        assert body["type"] == "urn:suxin:problem:unauthenticated"


class TestSubsidyCaseAuthorization:
    async def test_an_enterprise_cannot_list_another_enterprises_cases(self, client):
        response = await client.get(
            "/v1/subsidy-cases",
            params={"enterprise_uscc": OTHER_USCC},
            headers=bearer(Role.ENTERPRISE, uscc=OWN_USCC),
        )
        assert assert_problem(response, 403)["type"] == "urn:suxin:problem:forbidden"

    async def test_an_enterprise_token_must_name_its_enterprise(self, client):
        response = await client.get("/v1/subsidy-cases", headers=bearer(Role.ENTERPRISE))
        assert_problem(response, 403)

    @pytest.mark.parametrize(
        "path", ["/v1/subsidy-cases", "/v1/subsidy-cases/0b7d8f3e-5c2a-4e61-9a0f-1d2c3b4a5e6f"]
    )
    async def test_a_seeker_sees_no_cases_here(self, client, path):
        assert_problem(await client.get(path, headers=bearer(Role.SEEKER)), 403)


class TestListValidation:
    @pytest.mark.parametrize("limit", ["0", "201", "ten"])
    async def test_limit_is_1_to_200(self, client, limit):
        response = await client.get(
            "/v1/subsidy-cases", params={"limit": limit}, headers=bearer(Role.HRSS_STAFF)
        )
        body = assert_problem(response, 422)
        assert [e["field"] for e in body["errors"]] == ["limit"]

    @pytest.mark.parametrize(
        "cursor",
        [
            "!!not base64!!",
            encode_cursor({"opened_at": "yesterday", "id": "x"}),
            encode_cursor({"id": "0b7d8f3e-5c2a-4e61-9a0f-1d2c3b4a5e6f"}),
            encode_cursor(
                {"opened_at": "2025-09-26T10:00:00", "id": "0b7d8f3e-5c2a-4e61-9a0f-1d2c3b4a5e6f"}
            ),
        ],
    )
    async def test_a_bad_cursor_is_422(self, client, cursor):
        response = await client.get(
            "/v1/subsidy-cases", params={"cursor": cursor}, headers=bearer(Role.HRSS_STAFF)
        )
        body = assert_problem(response, 422)
        assert body["errors"][0]["field"] == "cursor"

    async def test_a_bad_credit_code_is_422(self, client):
        response = await client.get(
            "/v1/subsidy-cases",
            params={"enterprise_uscc": "91321000MA1XXXXX19"},
            headers=bearer(Role.HRSS_STAFF),
        )
        assert assert_problem(response, 422)["errors"][0]["field"] == "enterprise_uscc"

    async def test_a_bad_case_id_is_422(self, client):
        response = await client.get("/v1/subsidy-cases/42", headers=bearer(Role.HRSS_STAFF))
        assert_problem(response, 422)
