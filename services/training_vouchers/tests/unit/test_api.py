"""The HTTP API's authorization and validation, which answer before any database access."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from httpx import ASGITransport, AsyncClient

from suxin_common.auth import Role, mint_dev_token
from suxin_common.web import PROBLEM_MEDIA_TYPE, encode_cursor
from suxin_devkit.testing import make_resident_id
from training_vouchers.app import create_app
from training_vouchers.settings import Settings

OWN_USCC = "91321000MA1XXXXX18"
OTHER_USCC = "91320100MA1YYYYY2C"
GOOD_ID = make_resident_id(5)
BAD_ID = GOOD_ID[:-1] + ("1" if GOOD_ID[-1] != "1" else "2")
SETTINGS = Settings(environment="test", run_background_workers=False)


def no_database():
    raise AssertionError("this request must be answered before the database is used")


@pytest.fixture(scope="module")  # one app per module: building it is most of the cost
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
        assert graduate["family"] == "hiring_absorption"
        assert graduate["definition"]["amount"] == {"formula": "fixed", "amount_fen": 100_000}
        assert graduate["definition"]["conditions"][0]["in"] == [
            "junior_college",
            "bachelor",
            "master",
            "doctorate",
        ]
        assert body["tables"]["minimum_wage"]["tiers_fen"]["class_1"] == 228_000

    async def test_needs_a_token(self, client):
        body = assert_problem(await client.get("/v1/policies/active"), 401)
        assert body["type"] == "urn:suxin:problem:unauthenticated"


class TestSubsidyCaseAuthorization:
    async def test_an_enterprise_cannot_list_another_enterprises_cases(self, client):
        # Another tenant's objects do not exist for the caller: 404, not 403.
        response = await client.get(
            "/v1/subsidy-cases",
            params={"enterprise_uscc": OTHER_USCC},
            headers=bearer(Role.ENTERPRISE, uscc=OWN_USCC),
        )
        assert assert_problem(response, 404)["type"] == "urn:suxin:problem:not-found"

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


class TestInputValidation:
    @pytest.mark.parametrize(
        ("path", "body", "field"),
        [
            (
                "/v1/policy-calculator",
                {
                    "hire": {
                        "start_date": "2026-03-01",
                        "job_kind": "full_time",
                        "contract_type": "fixed_term",
                        "status": "approved",
                    }
                },
                "status",
            ),
            ("/v1/policy-calculator", {"hire": {"start_date": "2026-03-01"}}, "hire.job_kind"),
            (
                "/v1/social-insurance/contributions",
                {
                    "enterprise_uscc": OWN_USCC,
                    "person_key": "pk_" + "a" * 32,
                    "months": [
                        {
                            "month": "2026-13",
                            "employee_fen": 1,
                            "employer": {
                                "pension_fen": 1,
                                "medical_fen": 1,
                                "unemployment_fen": 1,
                                "work_injury_fen": 1,
                                "maternity_fen": 1,
                            },
                        }
                    ],
                },
                "month",
            ),
            (
                "/v1/social-insurance/contributions",
                {"enterprise_uscc": OWN_USCC, "months": []},
                None,
            ),
            (
                "/v1/social-insurance/births",
                {
                    "enterprise_uscc": OWN_USCC,
                    "resident_id": BAD_ID,
                    "birth_date": "2026-03-14",
                    "child_order": 2,
                },
                "resident_id",
            ),
        ],
    )
    async def test_bad_input_is_a_422_problem(self, client, path, body, field):
        headers = bearer(Role.HRSS_STAFF)
        problem = assert_problem(await client.post(path, json=body, headers=headers), 422)
        if field:
            assert any(e["field"].endswith(field) for e in problem["errors"]), problem
        assert BAD_ID not in str(problem)

    @pytest.mark.parametrize(
        ("path", "role"),
        [
            ("/v1/social-insurance/contributions", Role.ENTERPRISE),
            ("/v1/social-insurance/births", Role.SEEKER),
            ("/v1/subsidy-cases/00000000-0000-4000-8000-000000000000/decision", Role.ENTERPRISE),
            ("/v1/subsidy-cases/00000000-0000-4000-8000-000000000000/payment", Role.ENTERPRISE),
            ("/v1/policy-calculator", Role.INSTITUTION),
        ],
    )
    async def test_the_wrong_role_is_refused(self, client, path, role):
        response = await client.post(path, json={}, headers=bearer(role, uscc=OWN_USCC))
        assert_problem(response, 403)

    async def test_the_calculator_answers_without_the_database(self, client):
        body = {
            "hire": {
                "start_date": "2026-03-01",
                "education": "master",
                "graduation_date": "2025-06-30",
                "job_kind": "full_time",
                "contract_type": "fixed_term",
                "contract_months": 36,
                "district_code": "321002",
                "social_insurance_months": 1,
                "unemployment_insurance_months": 1,
            },
            "birth": {
                "birth_date": "2026-03-14",
                "child_order": 2,
                "months": [
                    {
                        "month": f"2026-{m:02d}",
                        "employee_fen": 84000,
                        "employer": {
                            "pension_fen": 128000,
                            "medical_fen": 64000,
                            "unemployment_fen": 4000,
                            "work_injury_fen": 3200,
                            "maternity_fen": 6400,
                        },
                    }
                    for m in range(3, 9)
                ],
            },
        }
        response = await client.post(
            "/v1/policy-calculator", json=body, headers=bearer(Role.ENTERPRISE, uscc=OWN_USCC)
        )
        assert response.status_code == 200, response.text
        out = response.json()
        assert out["policy_version"] == "js-2026.1"
        granted = {r["rule_id"]: r["amount_fen"] for r in out["results"] if r["granted"]}
        assert granted == {"job_expansion_youth": 150_000, "maternity_second_third_child": 616_800}
        assert out["total_fen"] == 766_800
        not_applying = [r for r in out["results"] if not r["granted"]]
        assert not_applying and all(r["why_not"] for r in not_applying)
