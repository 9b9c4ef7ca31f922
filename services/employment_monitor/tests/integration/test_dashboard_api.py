"""The dashboard's data and export through the API: filters and drill-down agree with the
statistics endpoints, a year without targets says so, the export holds exactly the figures of
the view (CSV and XLSX), and bad input is a 4xx problem."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from em_scenario import build
from openpyxl import load_workbook

from employment_monitor import contracts, handlers
from employment_monitor.api.dashboard_view import NO_TARGETS
from employment_monitor.api.deps import today_cst
from suxin.training.v1 import events_pb2 as training
from suxin_common.messaging.cloudevents import EventMeta

pytestmark = pytest.mark.integration

PROBLEM = "application/problem+json"


@pytest.fixture
async def scenario(runtime):
    """A small scenario, projected in one transaction (the live handler's code path)."""
    s = build(seed=5, enterprises=8, hires=40)
    meta = EventMeta(id="x", type="", source="/test", subject="",
                     time=datetime(2026, 6, 1, tzinfo=UTC), headers={})  # fmt: skip
    async with runtime.uow() as uow:
        for event in s.events:
            await handlers.project(uow, contracts.event_facts(event, meta))
        await uow.commit()
    return s


def sections(text: str) -> dict[str, list[list[str]]]:
    """The export's CSV: '## title' rows start a table (header, rows); blank rows separate."""
    out: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if row and row[0].startswith("## "):
            current = out.setdefault(row[0][3:], [])
        elif row and current is not None:
            current.append(row)
    return out


async def test_filters_and_drill_down_agree_with_the_statistics(client, staff, scenario):
    async def data(**params):
        r = await client.get("/v1/dashboard/data", params=params, headers=staff)
        assert r.status_code == 200, r.text
        return r.json()

    async def employment(**params):
        r = await client.get("/v1/stats/employment", params=params, headers=staff)
        return r.json()["total"]

    province = await data()
    assert province["level"] == "province" and province["area_dimension"] == "city"
    assert {r["code"] for r in province["by_area"]} == {e.city for e in scenario.enterprises}
    assert province["kpis"]["hires"] == (await employment())["hires"] == len(scenario.hires)
    assert province["kpis"]["gig_orders"] > 0 and province["kpis"]["claims"] > 0
    assert province["options"]["districts"] == []
    # the training panel draws counts: no kind is a row of zeros when vouchers were issued
    assert all(k["issued"] > 0 for k in province["training_by_kind"])
    assert province["talent_flows"]

    # drill down: a city lists its districts; a district is the last level
    city = province["by_area"][0]["code"]
    c = await data(city_code=city)
    assert c["level"] == "city" and c["area_dimension"] == "district"
    assert c["scope_name"] == province["by_area"][0]["name"]
    assert all(r["code"].startswith(city) for r in c["by_area"])
    assert c["kpis"]["hires"] == (await employment(city_code=city))["hires"]
    assert sum(r["hires"] for r in c["by_area"]) == c["kpis"]["hires"]
    assert any(o["code"].startswith(city) for o in c["options"]["districts"])
    district = c["by_area"][0]["code"]
    d = await data(district_code=district)
    assert d["level"] == "district" and d["filters"]["city_code"] == city
    assert [r["code"] for r in d["by_area"]] == [district]

    # industry and month
    i = await data(industry_code="C")
    assert i["kpis"]["hires"] == (await employment(industry_code="C"))["hires"]
    assert 0 < i["kpis"]["hires"] < province["kpis"]["hires"]
    month = province["monthly"][0]["month"]
    m = await data(month_from=month, month_to=month)
    assert m["kpis"]["hires"] == province["monthly"][0]["hires"]
    assert [r["month"] for r in m["monthly"]] == [month]


async def test_targets_for_any_configured_year(client, staff):
    r = await client.get("/v1/dashboard/data", headers=staff)
    body = r.json()
    assert body["filters"]["year"] == today_cst().year
    assert body["targets"] == [] and body["targets_message"] == NO_TARGETS
    assert {2022, 2023, 2024, 2025} <= set(body["options"]["target_years"])
    r = await client.get("/v1/dashboard/data", params={"year": 2023}, headers=staff)
    body = r.json()
    assert body["targets_message"] is None
    assert [t["region"] for t in body["targets"]] == ["3210"]
    # staff of Nanjing see the province's targets, not Yangzhou's
    r = await client.get(
        "/v1/dashboard/data", params={"year": 2023, "city_code": "3201"}, headers=staff
    )
    assert r.json()["targets_message"] == "2023年度未配置目标"


async def test_export_is_the_view(client, staff, scenario):
    params = {"city_code": "3210", "year": 2023}  # 扬州 has 2023 targets
    view = (await client.get("/v1/dashboard/data", params=params, headers=staff)).json()

    r = await client.get("/v1/dashboard/export", params=params | {"format": "csv"}, headers=staff)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    got = sections(r.text)
    kpis = dict((row[0], row[1]) for row in got["关键指标"][1:])
    assert kpis["累计录用（城镇就业）"] == str(view["kpis"]["hires"])
    assert kpis["零工订单"] == str(view["kpis"]["gig_orders"])
    assert kpis["职业伤害理赔"] == str(view["kpis"]["claims"])
    areas = got["各地区新增就业（县区）"]
    assert areas[0] == ["地区代码", "地区", "城镇新增就业", "录用", "离职", "净增"]
    assert [(a[0], int(a[2])) for a in areas[1:]] == [
        (r["code"], r["new_jobs"]) for r in view["by_area"]
    ]
    orders = {row[0]: int(row[1]) for row in got["零工订单（按状态）"][1:]}
    assert orders == {r["name"]: r["orders"] for r in view["gig"]["orders_by_status"]}
    targets = got["2023年度目标进度"]
    assert len(targets) - 1 == sum(len(t["items"]) for t in view["targets"])

    r = await client.get("/v1/dashboard/export", params=params | {"format": "xlsx"}, headers=staff)
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames[:3] == ["筛选条件", "关键指标", "城镇新增就业（按月）"]
    rows = list(wb["城镇新增就业（按月）"].iter_rows(values_only=True))
    assert rows[0] == ("月份", "城镇新增就业", "其中再就业", "离职")
    assert [(m, n) for m, n, *_ in rows[1:]] == [
        (r["month"][:7], r["new_jobs"]) for r in view["monthly"]
    ]
    flows = list(wb["人才流动"].iter_rows(values_only=True))[1:]
    assert [f[3] for f in flows] == [r["net"] for r in view["talent_flows"]]

    # one panel alone is a plain CSV
    r = await client.get("/v1/dashboard/export", params=params | {"panel": "groups"}, headers=staff)
    assert r.text.lstrip("\ufeff").splitlines()[0] == "重点群体,录用人数"


async def test_bad_export_requests_are_problems(client, staff):
    for params in ({"format": "pdf"}, {"year": 1999}, {"panel": "No Such"},
                   {"month_from": "2026-13-01"}, {"city_code": "3299"}):  # fmt: skip
        r = await client.get("/v1/dashboard/export", params=params, headers=staff)
        assert r.status_code == 422 and r.headers["content-type"] == PROBLEM, params
    r = await client.get("/v1/dashboard/export", params={"panel": "nosuch"}, headers=staff)
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    r = await client.get("/v1/dashboard/export")
    assert r.status_code == 401


async def test_retention_rate_is_unknown_until_a_retention_is_recorded(client, staff, project):
    kind = training.TRAINING_KIND_EMPLOYEE_UPSKILLING
    await project([
        training.VoucherIssued(voucher_id="v1", training_kind=kind, city_code="3210"),
        training.TrainingCompleted(voucher_id="v1", training_kind=kind, passed=True,
                                   city_code="3210"),
    ])  # fmt: skip
    body = (await client.get("/v1/dashboard/data", headers=staff)).json()
    upskilling = body["training_by_kind"][2]
    assert upskilling["issued"] == upskilling["completed"] == 1
    assert upskilling["rate"] is None and upskilling["rate_note"].startswith("需要数据")
    await project([
        training.TrainingOutcomeRecorded(voucher_id="v1", training_kind=kind, city_code="3210",
                                         outcome=training.TRAINING_OUTCOME_RETAINED),
    ])  # fmt: skip
    body = (await client.get("/v1/dashboard/data", headers=staff)).json()
    assert body["training_by_kind"][2]["rate"] == 1.0
