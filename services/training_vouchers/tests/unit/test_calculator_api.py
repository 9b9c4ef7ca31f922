"""The policy calculator over HTTP (no database): every rule of the policy with its reasons in
Chinese, the unit type taken from the caller's own USCC, and a 422 naming the field for input
that cannot be true in the domain."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from httpx import ASGITransport, AsyncClient

from suxin_common.auth import Role
from training_vouchers.app import create_app
from training_vouchers.policies import load_book

from .test_api import OWN_USCC, SETTINGS, assert_problem, bearer, no_database

HIRE = {
    "start_date": "2026-03-01",
    "education": "bachelor",
    "graduation_date": "2025-06-30",
    "job_kind": "full_time",
    "contract_type": "fixed_term",
    "contract_months": 36,
    "district_code": "321002",
    "social_insurance_months": 1,
    "unemployment_insurance_months": 1,
}
TOMORROW = (date.today() + timedelta(days=2)).isoformat()


@pytest.fixture(scope="module")  # one app per module: building it is most of the cost
async def client():
    app = create_app(SETTINGS)
    app.state.runtime = SimpleNamespace(sessions=no_database)  # no lifespan: no database
    async with AsyncClient(transport=ASGITransport(app), base_url="http://test") as c:
        yield c


async def calc(client, body, *, uscc=OWN_USCC):
    return await client.post(
        "/v1/policy-calculator", json=body, headers=bearer(Role.ENTERPRISE, uscc=uscc)
    )


async def test_every_rule_is_listed_with_chinese_reasons(client):
    response = await calc(client, {"hire": HIRE})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    policy = load_book().in_force(date(2026, 3, 1))
    assert [r["rule_id"] for r in results] == [r.id for r in policy.rules]
    for r in results:
        assert r["name_zh"]
        if r["trigger"] == "hire":
            assert r["reasons"] and all(
                x.startswith(("符合", "不符合", "待数据", "金额")) for x in r["reasons"]
            )
        else:
            assert r["verdict"] == "not_evaluated" and r["why_not"].startswith("未评估")
    defaults = {r["rule_id"]: r["documented_defaults"] for r in results}
    assert defaults["job_search_subsidy"] == ["amount 1,500 yuan"]


async def test_reasons_switch_to_english_with_accept_language(client):
    """The stored reasons are codes with parameters; the response renders them in the
    request's language: Chinese by default, English for `Accept-Language: en`."""
    headers = bearer(Role.ENTERPRISE, uscc=OWN_USCC)
    zh = await client.post("/v1/policy-calculator", json={"hire": HIRE}, headers=headers)
    en = await client.post(
        "/v1/policy-calculator", json={"hire": HIRE}, headers=headers | {"Accept-Language": "en"}
    )
    assert zh.status_code == en.status_code == 200, en.text
    assert en.headers["content-language"] == "en"
    cjk = re.compile(r"[\u3400-\u9fff]")
    for r_zh, r_en in zip(zh.json()["results"], en.json()["results"], strict=True):
        assert len(r_zh["reasons"]) == len(r_en["reasons"])
        if r_en["trigger"] == "hire":
            assert all(
                x.startswith(("met:", "not met:", "pending:", "awaiting", "amount:"))
                for x in r_en["reasons"]
            ), r_en["reasons"]
            assert not any(cjk.search(x) for x in r_en["reasons"]), r_en["reasons"]
            assert all(cjk.search(x) for x in r_zh["reasons"])
        else:
            assert r_en["why_not"].startswith("not evaluated: no ")
            assert r_zh["why_not"].startswith("未评估：未描述")


async def test_an_institution_asking_about_maternity_learns_it_is_excluded(client):
    from stdnum.cn import uscc as std

    body17 = "12321002MB1XXXXX1"
    institution = body17 + std.calc_check_digit(body17)
    birth = {"birth_date": "2026-03-14", "child_order": 2}
    response = await calc(client, {"birth": birth}, uscc=institution)
    [m] = [r for r in response.json()["results"] if r["rule_id"] == "maternity_second_third_child"]
    assert m["verdict"] == "not_met" and "不含机关事业单位" in m["why_not"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hire": HIRE | {"graduation_date": "2027-01-01"}}, "hire.graduation_date"),
        ({"hire": HIRE | {"graduation_date": TOMORROW, "start_date": "2099-01-01"}},
         "hire.graduation_date"),
        ({"hire": HIRE | {"birth_year": 2011}}, "hire.birth_year"),
        ({"hire": HIRE | {"birth_date": "2010-03-02"}}, "hire.birth_date"),  # 15 on 2026-03-01
        ({"hire": HIRE | {"birth_date": "2001-05-01", "birth_year": 2002}}, "hire.birth_year"),
        ({"hire": HIRE | {"contract_months": 0}}, "hire.contract_months"),
        ({"hire": HIRE | {"contract_months": -1}}, "hire.contract_months"),
        ({"birth": {"birth_date": TOMORROW, "child_order": 2}}, "birth.birth_date"),
        ({"enterprise_loan": {"application_id": "a", "enterprise_uscc": OWN_USCC,
                              "applied_on": "2026-05-01", "established_on": "2026-05-02",
                              "insured_headcount": 3, "new_hires_last_year": 3,
                              "layoff_rate_bp": 0}}, "enterprise_loan.established_on"),
        ({"startup_loan": {"loan_id": "l", "applied_on": "2026-05-01",
                           "borrower_kind": "individual", "amount_fen": 100, "term_months": 12,
                           "interest_paid_fen": 101}}, "startup_loan.interest_paid_fen"),
        ({"startup_loan": {"loan_id": "l", "applied_on": "2026-05-01",
                           "borrower_kind": "individual", "amount_fen": -5, "term_months": 12}},
         "startup_loan.amount_fen"),
        ({"enterprise_year": {"enterprise_uscc": OWN_USCC, "year": 2025,
                              "enterprise_size": "small", "insured_headcount": 5, "layoffs": 6,
                              "unemployment_insurance_paid_fen": 1,
                              "contributions_in_arrears": False}}, "enterprise_year.layoffs"),
    ],
)  # fmt: skip
async def test_input_that_cannot_be_true_is_a_422_naming_the_field(client, body, field):
    problem = assert_problem(await calc(client, body), 422)
    assert field in [e["field"] for e in problem["errors"]]


async def test_a_graduate_of_the_hires_own_year_is_not_refused(client):
    # 毕业年度: hired in March 2026, graduating in June 2026 (not in the future by then).
    response = await calc(client, {"hire": HIRE | {"start_date": "2026-03-01",
                                                   "graduation_date": "2026-01-10"}})  # fmt: skip
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("unit_type", "verdict"),
    [("enterprise", "met"), ("public_institution", "not_met"), ("government_organ", "not_met")],
)
async def test_the_registry_unit_type_decides_the_refund(client, unit_type, verdict):
    year = {"enterprise_uscc": OWN_USCC, "year": 2025, "enterprise_size": "small",
            "insured_headcount": 20, "layoffs": 0, "unemployment_insurance_paid_fen": 300_000,
            "contributions_in_arrears": False, "unit_type": unit_type}  # fmt: skip
    response = await calc(client, {"enterprise_year": year})
    [r] = [r for r in response.json()["results"] if r["rule_id"] == "job_stabilisation_refund"]
    assert r["verdict"] == verdict


@pytest.mark.parametrize(
    ("body", "version"),
    [
        ({"hire": HIRE | {"start_date": "2025-12-31"}}, None),  # the day before js-2026.1
        ({"hire": HIRE | {"start_date": "2026-01-01"}}, "js-2026.1"),  # its first day
        ({"birth": {"birth_date": "2025-12-31", "child_order": 2, "employee_gender": "female",
                    "months": []}}, None),
        ({"job_search": {"applied_on": "2025-12-31", "graduation_date": "2025-06-30",
                         "education": "bachelor", "hardships": ["disabled"]}}, None),
        ({"job_search": {"applied_on": "2026-01-01", "graduation_date": "2026-06-30",
                         "education": "bachelor", "hardships": ["disabled"]}},
         "js-2026.1"),
        ({"on": "2023-06-01"}, None),  # seed 003's year: its rules are not this system's
    ],
)  # fmt: skip
async def test_a_day_before_every_policy_version_says_so(client, body, version):
    response = await calc(client, body)
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["policy_version"] == version
    if version is None:
        assert out["results"] == [] and out["total_fen"] == 0
        assert "无生效的政策版本" in out["note"] and "2026-01-01" in out["note"]
    else:
        assert out["results"] and out["note"] is None


@pytest.mark.parametrize(
    ("birth_date", "verdict"),
    [
        ("2001-03-02", "met"),  # 24 on 2026-03-01, though born in 2001
        ("2001-03-01", "not_met"),  # the 25th birthday is the start date
        ("2010-03-01", "met"),  # the 16th birthday is the start date
    ],
)
async def test_the_calculator_counts_the_youth_age_to_the_day(client, birth_date, verdict):
    youth = HIRE | {
        "education": None,
        "graduation_date": None,
        "previously_unemployed": True,
        "birth_date": birth_date,
    }
    response = await calc(client, {"hire": youth})
    assert response.status_code == 200, response.text
    [r] = [r for r in response.json()["results"] if r["rule_id"] == "job_expansion_youth"]
    assert r["verdict"] == verdict
