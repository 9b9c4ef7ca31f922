"""The statistics API's rules: who may call it, bad input as problem+json, the caller's region
scope, CSV export and capped, cursor-paged lists."""

from __future__ import annotations

import csv
import io

import pytest
from em_scenario import build

from employment_monitor.settings import Settings
from suxin_common.auth import mint_dev_token

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


def token(*roles: str, district: str | None = None) -> dict[str, str]:
    t = mint_dev_token(Settings(environment="test"), "t", list(roles), district=district)
    return {"Authorization": f"Bearer {t}"}


@pytest.fixture
async def scenario(project):
    s = build(seed=4, enterprises=8, hires=80)
    await project(s.events)
    return s


@pytest.mark.parametrize(
    "path",
    ["/v1/stats/hires", "/v1/stats/employment", "/v1/enterprises", "/v1/warnings",
     "/v1/specialized", "/v1/targets", "/v1/dashboard/data", "/v1/stats/training"],
)  # fmt: skip
async def test_statistics_need_a_staff_token(client, path):
    r = await client.get(path)
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    r = await client.get(path, headers=token("enterprise"))
    assert r.status_code == 403 and r.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "params",
    [
        {"city_code": "3214"},
        {"district_code": "12345"},
        {"industry_code": "Z"},
        {"group_by": "nation"},
        {"group": "astronauts"},
        {"month_from": "2026-13-01"},
        {"month_from": "2026-05-01", "month_to": "2026-01-01"},
        {"city_code": "3201", "district_code": "321002"},
        {"format": "xlsx"},
    ],
)
async def test_bad_filters_are_422_problems(client, staff, params):
    r = await client.get("/v1/stats/employment", params=params, headers=staff)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM


async def test_district_staff_see_only_their_district(client, scenario):
    mine = token("hrss_staff", district="321002")
    r = await client.get("/v1/stats/hires", params={"group_by": "district"}, headers=mine)
    assert r.status_code == 200
    assert [row["district"] for row in r.json()["rows"]] == ["321002"]
    want = sum(1 for h in scenario.hires if h.ent.district == "321002")
    assert r.json()["total"] == want
    r = await client.get("/v1/stats/hires", params={"city_code": "3201"}, headers=mine)
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    city_staff = token("hrss_staff", district="3201")
    r = await client.get("/v1/stats/hires", params={"group_by": "city"}, headers=city_staff)
    assert [row["city"] for row in r.json()["rows"]] == ["3201"]


async def test_csv_export(client, staff, scenario):
    r = await client.get(
        "/v1/stats/employment", params={"group_by": ["city"], "format": "csv"}, headers=staff
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row["city"] for row in rows} == {e.city for e in scenario.enterprises}
    assert sum(int(row["hires"]) for row in rows) == len(scenario.hires)


async def test_enterprises_are_paged_with_a_capped_size(client, staff, scenario):
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        r = await client.get("/v1/enterprises", params=params, headers=staff)
        assert r.status_code == 200, r.text
        seen += [e["enterprise_uscc"] for e in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert seen == sorted({e.uscc for e in scenario.enterprises})
    r = await client.get("/v1/enterprises", params={"limit": 1000}, headers=staff)
    assert r.status_code == 422
    r = await client.get("/v1/enterprises", params={"cursor": "!!"}, headers=staff)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM


async def test_dashboard_page_and_assets_are_served_locally(client, staff, scenario):
    r = await client.get("/dashboard")
    assert r.status_code == 200 and "就业运行监测" in r.text
    assert "/dashboard/assets/plotly.min.js" in r.text and "cdn" not in r.text.lower()
    r = await client.get("/dashboard/assets/plotly.min.js")
    assert r.status_code == 200 and len(r.content) > 1_000_000
    assert (await client.get("/dashboard/assets/../app.py")).status_code == 404
    r = await client.get("/v1/dashboard/data", headers=staff)
    assert r.status_code == 200
    assert r.json()["kpis"]["hires"] == len(scenario.hires)
