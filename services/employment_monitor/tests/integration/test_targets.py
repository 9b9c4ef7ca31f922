"""The target endpoint answers for every configured region and year, says plainly (404,
Chinese message, the configured years) when a year has none, and measures the seeds' targets
(seed 003 扬州 2023, seed 000 江苏 2022, seed 004 专精特新 2024/2025) from the read models or
names the data it lacks."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from em_scenario import AS_OF, build, shuffled_with_repeats

from employment_monitor.app import create_app
from employment_monitor.domain.model import MonitoringConfig
from suxin.training.v1 import events_pb2 as training
from suxin_common.web import PROBLEM_MEDIA_TYPE
from suxin_devkit.testing import api_client

from .conftest import auth

pytestmark = pytest.mark.integration


@pytest.fixture
async def scenario(project):
    s = build()
    await project(shuffled_with_repeats(s.events))
    return s


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": 2019}, "没有2019年的目标"),
        ({"year": 2023, "region": "32"}, "地区32没有2023年的目标"),
        ({"region": "3213"}, "地区3213没有配置目标"),
    ],
)
async def test_a_year_or_region_without_targets_is_a_404_that_says_so(
    client, staff, params, message
):
    r = await client.get("/v1/targets", params=params, headers=staff)
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = r.json()
    assert message in body["detail"]
    assert {"region": "3210", "year": 2023} in body["configured"]


async def test_city_staff_see_their_city_and_the_province_only(client):
    r = await client.get(
        "/v1/targets", params={"year": 2023}, headers=auth("hrss_staff", district="320102")
    )
    assert r.status_code == 404  # 南京 staff: 扬州's 2023 targets are not theirs
    assert {c["region"] for c in r.json()["configured"]} == {"32"}


async def test_every_configured_region_and_year_answers(client, staff):
    config = MonitoringConfig.load()
    for target in config.targets:
        r = await client.get(
            "/v1/targets", params={"year": target.year, "region": target.region}, headers=staff
        )
        assert r.status_code == 200, r.text
        [got] = r.json()["targets"]
        assert [i["id"] for i in got["items"]] == [i.id for i in target.items]
        for item in got["items"]:
            assert item["how_measured"]
            if not item["measured"]:
                assert item["actual"] is None and item["how_measured"].startswith("需要数据")
            elif not item["metric"].endswith("_share"):  # a share of nobody stays null
                assert item["actual"] is not None, item


async def test_seed_figures_are_the_targets(client, staff):
    yz = (await client.get("/v1/targets", params={"year": 2023}, headers=staff)).json()
    [t] = [t for t in yz["targets"] if t["region"] == "3210"]
    got = {i["id"]: i["target"] for i in t["items"]}
    assert got["yz2023.internship_posts"] == 7000
    assert got["yz2023.training_person_times"] == 50000
    assert got["yz2023.self_employment"] == 10000
    assert got["yz2023.difficulty_helped"] == 8000
    assert got["yz2023.startup_bases"] == 15
    sme = (await client.get("/v1/targets", params={"year": 2025}, headers=staff)).json()
    got = {i["id"]: i["target"] for t in sme["targets"] for i in t["items"]}
    assert (got["sme2025.training"], got["sme2025.manufacturing_training"],
            got["sme2025.digital_training"]) == (50000, 40000, 10000)  # fmt: skip
    assert (got["sme2025.job_fairs"], got["sme2025.posts"], got["sme2025.internship_bases"]) == (
        100,
        10000,
        50,
    )


async def test_actuals_from_the_read_models(runtime, staff, scenario, tmp_path):
    config = MonitoringConfig.load().model_dump(mode="json")
    config["targets"].append(
        {
            "region": "3210",
            "year": 2026,
            "source": "test",
            "items": [
                {"metric": "training_person_times", "label": "培训人次", "target": 10},
                {"metric": "certifications", "label": "认定发证", "target": 10},
                {"metric": "internship_posts", "label": "见习岗位", "target": 10},
                {"metric": "difficulty_helped_into_work", "label": "帮扶", "target": 10},
            ],
        }
    )
    config["targets"].append(
        {
            "region": "32",
            "year": 2026,
            "source": "test",
            "items": [
                {"metric": "specialized_high_skill_share", "label": "高技能", "target": 0.1},
                {"metric": "specialized_posts", "label": "专区岗位", "target": 10},
            ],
        }
    )
    path = tmp_path / "monitoring.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    app = create_app(runtime.settings.model_copy(update={"monitoring_config": str(path)}))
    async with api_client(app, runtime) as client:
        r = await client.get("/v1/targets", params={"year": 2026}, headers=staff)
        specialized = (
            await client.get("/v1/specialized", params={"as_of": AS_OF.isoformat()}, headers=staff)
        ).json()
    assert r.status_code == 200, r.text
    got = {i["metric"]: i["actual"] for t in r.json()["targets"] for i in t["items"]}
    completed = [e for e in scenario.events if isinstance(e, training.TrainingCompleted)]
    certified = [e for e in scenario.events if isinstance(e, training.TrainingCertified)]
    assert got["training_person_times"] == sum(e.city_code == "3210" for e in completed)
    assert got["certifications"] == sum(e.city_code == "3210" for e in certified)
    assert got["internship_posts"] == 0  # the scenario opens no internship posts
    assert got["specialized_posts"] == 0
    # 高技能人才 = 高级工 and above (skill level ≥ 3); the scenario's shares, as of today.
    want = scenario.specialized(date.today())
    assert got["specialized_high_skill_share"] == round(want["high_skill"] / want["headcount"], 4)
    # 专精特新 module: 政策享受 counted, 缴费 amounts named as data the platform lacks.
    total = specialized["total"]
    assert total["policy_cases"] >= 0 and total["policy_granted_fen"] >= 0
    assert total["contributions_fen"] is None and total["contributions_note"].startswith("需要数据")


async def test_new_urban_jobs_are_new_jobs_less_retirements(runtime, staff, project, tmp_path):
    """城镇新增就业 = 城镇累计新就业 − 自然减员: a retirement in the year takes one off the
    target's actual and off /v1/stats/employment's new_urban_jobs; a resignation does not."""
    from em_scenario import _ended_event

    from suxin.hiring.v1 import events_pb2 as hiring

    s = build()
    await project(shuffled_with_repeats(s.events))
    yz = [h for h in s.hires if h.ent.city == "3210"]
    new_jobs = sum(h.job_kind != hiring.JOB_KIND_INTERNSHIP for h in yz)
    leaving = [h for h in yz if h.end is None and h.job_kind != hiring.JOB_KIND_INTERNSHIP][:2]
    retired, resigned = leaving
    for h, reason in (
        (retired, hiring.SEPARATION_REASON_RETIREMENT),
        (resigned, hiring.SEPARATION_REASON_RESIGNATION),
    ):
        h.end = date(2026, 12, 31)  # the year's last day: still in 2026
        event = _ended_event(h)
        event.reason = reason
        await project([event])

    config = MonitoringConfig.load().model_dump(mode="json")
    config["targets"].append(
        {
            "region": "3210",
            "year": 2026,
            "source": "test",
            "items": [{"metric": "new_urban_jobs", "label": "城镇新增就业", "target": 100}],
        }
    )
    path = tmp_path / "monitoring.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    app = create_app(runtime.settings.model_copy(update={"monitoring_config": str(path)}))
    async with api_client(app, runtime) as client:
        r = await client.get("/v1/targets", params={"year": 2026, "region": "3210"}, headers=staff)
        stats = await client.get(
            "/v1/stats/employment", params={"city_code": "3210"}, headers=staff
        )
        next_year = await client.get(
            "/v1/targets", params={"year": 2027, "region": "3210"}, headers=staff
        )
    assert r.status_code == 200, r.text
    [item] = r.json()["targets"][0]["items"]
    assert item["actual"] == new_jobs - 1
    assert "自然减员" in item["how_measured"]
    total = stats.json()["total"]
    assert total["new_jobs"] == new_jobs
    assert total["natural_attrition"] == 1
    assert total["new_urban_jobs"] == new_jobs - 1
    # 2027 has no target: a 404 that names the configured years, not a zero.
    assert next_year.status_code == 404
    assert "2026" in next_year.json()["detail"]
