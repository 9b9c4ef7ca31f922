"""Each statistic equals the count computed independently from a generated scenario's events,
delivered in a random order with repeats (a separation may come before its hire)."""

from __future__ import annotations

from collections import Counter

import pytest
from em_scenario import AS_OF, build, shuffled_with_repeats

from suxin.hiring.v1 import events_pb2 as hiring
from suxin.training.v1 import events_pb2 as training

pytestmark = pytest.mark.integration


@pytest.fixture
async def scenario(project):
    s = build()
    await project(shuffled_with_repeats(s.events))
    return s


def _pick(row: dict, *keys: str) -> dict:
    return {k: row.get(k, 0) for k in keys}


async def test_employment_by_city_and_month(client, staff, scenario):
    r = await client.get(
        "/v1/stats/employment", params={"group_by": ["city", "month"]}, headers=staff
    )
    assert r.status_code == 200, r.text
    measures = (
        "hires",
        "new_jobs",
        "reemployed",
        "interns",
        "difficulty_reemployed",
        "separations",
    )
    got = {(row["city"], row["month"]): _pick(row, *measures) for row in r.json()["rows"]}
    want = {
        (city, month.isoformat()): {m: counts.get(m, 0) for m in measures}
        for (city, month), counts in scenario.hires_by_city_month().items()
    }
    assert got == want
    total = r.json()["total"]
    assert total["hires"] == len(scenario.hires)
    assert total["separations"] == sum(1 for h in scenario.hires if h.end)
    assert total["net"] == total["hires"] - total["separations"]


async def test_hires_by_key_group_and_filters(client, staff, scenario):
    r = await client.get("/v1/stats/hires", params={"group_by": "group"}, headers=staff)
    assert r.status_code == 200, r.text
    assert {row["group"]: row["hires"] for row in r.json()["rows"]} == scenario.hires_by_group()
    assert r.json()["total"] == len(scenario.hires)

    r = await client.get(
        "/v1/stats/hires",
        params={"city_code": "3210", "group": "veteran", "month_from": "2026-03-15"},
        headers=staff,
    )
    want = sum(
        1
        for h in scenario.hires
        if h.ent.city == "3210" and "veteran" in h.groups and h.start.month >= 3
    )
    assert r.json()["total"] == want


async def test_enterprise_headcount_insured_and_warnings(client, staff, scenario):
    r = await client.get(
        "/v1/enterprises", params={"as_of": AS_OF.isoformat(), "limit": 200}, headers=staff
    )
    assert r.status_code == 200, r.text
    items = {e["enterprise_uscc"]: e for e in r.json()["items"]}
    assert set(items) == {e.uscc for e in scenario.enterprises}
    for e in scenario.enterprises:
        assert items[e.uscc]["headcount"] == scenario.headcount(e.uscc, AS_OF)
        assert items[e.uscc]["insured"] == scenario.insured(e.uscc)

    r = await client.get("/v1/warnings", params={"as_of": AS_OF.isoformat()}, headers=staff)
    flagged = [w["enterprise_uscc"] for w in r.json()["items"]]
    start = AS_OF.replace(month=3)  # period_months: 3
    want = []
    for e in scenario.enterprises:
        if not (e.monitored or e.specialized):
            continue
        before, after = scenario.headcount(e.uscc, start), scenario.headcount(e.uscc, AS_OF)
        if before >= 5 and (before - after) / before > 0.10:
            want.append(e.uscc)
    assert scenario.enterprises[1].uscc in want  # the scenario's shrinking firm
    assert sorted(flagged) == sorted(want)


async def test_specialized_shares_against_targets(client, staff, scenario):
    r = await client.get("/v1/specialized", params={"as_of": AS_OF.isoformat()}, headers=staff)
    assert r.status_code == 200, r.text
    body = r.json()
    want = scenario.specialized(AS_OF)
    total = body["total"]
    assert _pick(total, *want) == want
    assert total["graduate_share"] == round(want["graduates"] / want["headcount"], 4)
    assert body["targets"]["graduate_share"] == 0.15
    assert body["targets"]["insured_employees"] == 100_000
    assert sum(c["headcount"] for c in body["cities"]) == want["headcount"]


async def test_supply_demand_gig_and_talent_flows(client, staff, scenario):
    r = await client.get("/v1/stats/supply-demand", headers=staff)
    rows = r.json()["rows"]
    assert sum(x["positions"] for x in rows) == sum(p[3] for p in scenario.posts)
    assert sum(x["applications"] for x in rows) == len(scenario.applications)
    # 求人倍率 = positions / job seekers (distinct applicants per city and month), not per
    # application.
    seekers = Counter((c, m.isoformat()) for c, m, _ in set(scenario.applications))
    positions = Counter()
    for city, _, month, n in scenario.posts:
        positions[(city, month.isoformat())] += n
    for x in rows:
        key = (x["city"], x["month"][:10])
        assert x["seekers"] == seekers.get(key, 0), x
        assert x["positions"] == positions.get(key, 0), x
        if x["seekers"]:
            assert x["demand_supply_ratio"] == pytest.approx(x["positions"] / x["seekers"], 0.01)
    assert sum(x["seekers"] for x in rows) < len(scenario.applications)  # repeats counted once

    r = await client.get("/v1/stats/gig", headers=staff)
    body = r.json()
    got = Counter()
    for row in body["orders"]:
        got[(row["city"], row["status"])] += row["orders"]
    assert got == scenario.orders
    cover = Counter()
    for row in body["cover"]:
        cover[row["city"]] += row["contribution_fen"]
    assert cover == scenario.cover
    stages = Counter(scenario.claims.values())
    assert {row["stage"]: row["claims"] for row in body["claims"]} == dict(stages)

    r = await client.get("/v1/stats/talent-flows", headers=staff)
    net = {c["city"]: c["net"] for c in r.json()["cities"]}
    assert {k: v for k, v in net.items() if v} == {
        k: v for k, v in scenario.talent_net().items() if v
    }


async def test_training_rates(client, staff, scenario):
    r = await client.get("/v1/stats/training", headers=staff)
    by_kind: dict[str, Counter] = {}
    for row in r.json()["rows"]:
        c = by_kind.setdefault(row["training_kind"], Counter())
        for k in ("completed", "passed", "employed", "retained"):
            c[k] += row[k]
    names = {
        training.TRAINING_KIND_EMPLOYMENT_SKILLS: "employment_skills",
        training.TRAINING_KIND_ENTREPRENEURSHIP: "entrepreneurship",
        training.TRAINING_KIND_EMPLOYEE_UPSKILLING: "employee_upskilling",
    }
    for kind, name in names.items():
        recs = [v for v in scenario.vouchers if v["kind"] == kind]
        for k in ("completed", "passed", "employed", "retained"):
            assert by_kind[name][k] == sum(v[k] for v in recs), (name, k)
    # 就业培训上岗率 = employed / completed, for employment-skills training, per city row.
    for row in r.json()["rows"]:
        if row["training_kind"] == "employment_skills" and row["completed"]:
            assert row["rate"] == round(row["employed"] / row["completed"], 4)


async def test_subsidy_deadline_compliance(client, staff, scenario):
    r = await client.get("/v1/stats/subsidies", headers=staff)
    assert r.status_code == 200, r.text
    body = r.json()
    from datetime import date

    today = date.fromisoformat(body["today"])
    rows = body["rows"]
    assert sum(x["opened"] for x in rows) == len(scenario.cases)
    assert sum(x["decided"] for x in rows) == sum(1 for c in scenario.cases if c["decided"])
    assert sum(x["decided_in_time"] for x in rows) == sum(1 for c in scenario.cases if c["in_time"])
    overdue = sum(1 for c in scenario.cases if not c["decided"] and c["deadline"] < today)
    assert sum(x["overdue"] for x in rows) == overdue
    assert all(d["days_left"] == (date.fromisoformat(d["review_deadline"]) - today).days
               for d in body["upcoming_deadlines"])  # fmt: skip


async def test_targets_progress_against_a_configured_target(runtime, staff, scenario, tmp_path):
    import yaml

    from employment_monitor.app import create_app
    from employment_monitor.domain.model import MonitoringConfig
    from suxin_devkit.testing import api_client

    config = MonitoringConfig.load().model_dump(mode="json")
    config["targets"].append(
        {
            "region": "3210",
            "year": 2026,
            "source": "test",
            "items": [
                {"metric": "new_urban_jobs", "label": "城镇新增就业", "target": 100},
                {"metric": "reemployment", "label": "再就业", "target": 50},
                {"metric": "interns", "label": "就业见习", "target": 10},
                {"metric": "public_welfare_posts", "label": "公益性岗位", "target": 10},
            ],
        }
    )
    path = tmp_path / "monitoring.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    app = create_app(runtime.settings.model_copy(update={"monitoring_config": str(path)}))
    async with api_client(app, runtime) as client:
        r = await client.get("/v1/targets", params={"year": 2026}, headers=staff)
    assert r.status_code == 200, r.text
    [target] = [t for t in r.json()["targets"] if t["region"] == "3210"]
    got = {i["metric"]: i["actual"] for i in target["items"]}
    yz = [h for h in scenario.hires if h.ent.city == "3210"]
    assert got["new_urban_jobs"] == sum(h.job_kind != hiring.JOB_KIND_INTERNSHIP for h in yz)
    assert got["reemployment"] == sum(h.unemployed for h in yz)
    assert got["interns"] == sum(h.job_kind == hiring.JOB_KIND_INTERNSHIP for h in yz)
    assert got["public_welfare_posts"] == sum(
        n for city, kind, _, n in scenario.posts
        if city == "3210" and kind == hiring.JOB_KIND_PUBLIC_WELFARE
    )  # fmt: skip
    item = next(i for i in target["items"] if i["metric"] == "new_urban_jobs")
    assert item["progress"] == round(item["actual"] / 100, 4)


async def test_unmeasurable_targets_say_so(client, staff):
    r = await client.get("/v1/targets", params={"year": 2023}, headers=staff)
    [yz] = [t for t in r.json()["targets"] if t["region"] == "3210"]
    item = next(i for i in yz["items"] if i["metric"] == "graduate_employment_rate")
    assert item["actual"] is None and item["progress"] is None
    assert next(i for i in yz["items"] if i["metric"] == "new_urban_jobs")["target"] == 55000
