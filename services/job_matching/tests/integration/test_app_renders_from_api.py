"""An app renders a job card, a recommendation with its reasons and a filter menu from the
API's JSON alone: every code comes with its name, reasons come as text (Chinese unless
`Accept-Language: en`) beside a machine code, and the filter menus come from the code-table
endpoints. Nothing here reads a code table of its own (no suxin_common.codes import)."""

from __future__ import annotations

import re

import pytest

from job_matching.app import create_app
from job_matching.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_resident_id, make_uscc

pytestmark = pytest.mark.integration

STAFF = {"Authorization": "Bearer " + mint_dev_token(ServiceSettings(), "tester", ["hrss_staff"])}
EN = {**STAFF, "Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}
# A bare region code, occupation code or enum value in rendered text: something unnamed.
CODE = re.compile(r"\b32\d{2}(\d{2})?\b|\b\d-\d{2}-\d{2}-\d{2}\b|_")


@pytest.fixture
async def api(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching_renders", Settings, create_app
    ) as client:
        yield client


async def _market(api) -> str:
    uscc = make_uscc(811, region="321003")
    r = await api.post(
        "/v1/enterprises",
        headers=STAFF,
        json={
            "uscc": uscc,
            "name": "扬州智能装备有限公司",
            "city_code": "3210",
            "district_code": "321003",
            "industry_code": "C",
            "size": "medium",
        },
    )
    assert r.status_code == 201, r.text
    r = await api.post(
        "/v1/job-posts",
        headers=STAFF,
        json={
            "enterprise_uscc": uscc,
            "title": "数控车工",
            "occupation_code": "6-18-01-01",
            "district_code": "321003",
            "kind": "full_time",
            "headcount": 2,
            "wage_min_fen": 600000,
            "wage_max_fen": 900000,
            "required_skills": ["数控编程", "看图纸", "车床操作"],
            "min_education": "vocational",
            "description": "操作数控车床加工轴类零件，能独立编程调机。",
        },
    )
    assert r.status_code == 201, r.text
    r = await api.post(
        "/v1/seekers",
        headers=STAFF,
        json={
            "resident_id": make_resident_id(811, district="321003"),
            "education": "vocational",
            "skills": ["数控编程", "看图纸"],
            "desired_occupations": ["6-18-01-01"],
            "desired_regions": ["3210"],
            "desired_wage_fen": 700000,
            "skill_level": "senior_worker",
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


# --- what the app does: JSON in, text out ---------------------------------------------------


def job_card(post: dict) -> str:
    return (
        f"{post['title']}｜{post['enterprise_name']}\n"
        f"{post['city_name']} {post['district_name']}｜{post['kind_name']}｜"
        f"{post['occupation_name']}｜{post['min_education_name']}及以上\n"
        f"{post['wage_min_fen'] // 100}-{post['wage_max_fen'] // 100} 元/月"
    )


def recommendation(match: dict) -> str:
    lines = [f"匹配度 {match['score']:.0f}", job_card(match["job_post"])]
    lines += [f"{p['part_name']}：{p['reason']}" for p in match["breakdown"]]
    return "\n".join(lines)


def menu(table: dict) -> list[str]:
    return [f"{item['name']}" for item in table["items"]]


async def test_job_card_recommendation_and_filter_menu_from_json_alone(api):
    seeker_id = await _market(api)

    # Filter menu: cities, then the districts of the chosen one; job kinds; education levels.
    tables = {t["table"] for t in (await api.get("/v1/code-tables", headers=STAFF)).json()}
    assert {"regions", "industries", "occupations", "education-levels", "skill-levels"} <= tables
    assert {"unit-types", "job-kinds"} <= tables
    cities = (await api.get("/v1/code-tables/regions?level=1", headers=STAFF)).json()
    assert len(cities["items"]) == 13 and "扬州市" in menu(cities)
    yangzhou = next(c for c in cities["items"] if c["name"] == "扬州市")
    districts = (
        await api.get(f"/v1/code-tables/regions?parent={yangzhou['code']}", headers=STAFF)
    ).json()
    assert menu(districts) == ["广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"]
    assert all(d["parent_name"] == "扬州市" for d in districts["items"])
    kinds = (await api.get("/v1/code-tables/job-kinds", headers=STAFF)).json()
    assert "就业见习" in menu(kinds)
    # Search within a menu: by pinyin initials, as a user types.
    found = (await api.get("/v1/code-tables/regions?q=hj", headers=STAFF)).json()
    assert "邗江区" in menu(found)
    units = (await api.get("/v1/code-tables/unit-types", headers=STAFF)).json()
    assert menu(units) == ["企业", "机关", "事业单位", "社会团体", "民办非企业单位", "个体工商户"]

    # Job card from search, filtered by the district chosen in the menu.
    邗江 = next(d["code"] for d in districts["items"] if d["name"] == "邗江区")
    r = await api.get(
        "/v1/search/job-posts", params={"q": "数控", "district_code": 邗江}, headers=STAFF
    )
    assert r.status_code == 200, r.text
    card = job_card(r.json()["items"][0])
    assert card == (
        "数控车工｜扬州智能装备有限公司\n扬州市 邗江区｜全职｜车工｜中专/技校及以上\n"
        "6000-9000 元/月"
    )
    assert not CODE.search(card)

    # Recommendation with its reasons, Chinese by default.
    r = await api.get(f"/v1/seekers/{seeker_id}/recommendations", headers=STAFF)
    assert r.status_code == 200, r.text
    assert r.headers["content-language"] == "zh-CN"
    top = r.json()["items"][0]
    text = recommendation(top)
    assert "技能匹配：具备岗位要求的 2/3 项技能" in text
    assert "工作地点：在意向城市" in text and "学历：满足学历要求" in text
    assert not CODE.search(text.split("\n", 1)[1])
    codes_zh = [(p["part"], p["code"]) for p in top["breakdown"]]

    # The same in English: the text changes, the machine codes do not; names stay official.
    r = await api.get(f"/v1/seekers/{seeker_id}/recommendations", headers=EN)
    assert r.headers["content-language"] == "en"
    top_en = r.json()["items"][0]
    assert [(p["part"], p["code"]) for p in top_en["breakdown"]] == codes_zh
    reasons = {p["part_name"]: p["reason"] for p in top_en["breakdown"]}
    assert reasons["skills"] == "2 of 3 required skills"
    assert top_en["job_post"]["kind_name"] == "full time"
    assert top_en["job_post"]["city_name"] == "扬州市"

    # The seeker's own profile shows names beside every code too.
    me = (await api.get(f"/v1/seekers/{seeker_id}", headers=STAFF)).json()
    assert me["desired_occupation_names"] == ["车工"]
    assert me["desired_region_names"] == ["扬州市"]
    assert me["education_name"] == "中专/技校" and me["skill_level_name"] == "三级/高级工"


async def test_problems_are_chinese_first_with_a_machine_code(api):
    r = await api.get("/v1/code-tables/no-such-table", headers=STAFF)
    assert r.status_code == 404
    assert r.json()["title"] == "未找到" and r.json()["code"] == "not-found"
    r = await api.get("/v1/code-tables/no-such-table", headers=EN)
    assert r.json()["title"] == "Not Found" and r.json()["code"] == "not-found"
    r = await api.get("/v1/search/job-posts", params={"q": ""}, headers=STAFF)
    assert r.status_code == 422 and r.json()["title"] == "请求内容无效"
    assert [e["field"] for e in r.json()["errors"]] == ["q"]


async def test_autocomplete_from_pinyin_and_initials_and_drafts_once_opened(api):
    await _market(api)
    for typed in ("数控", "shuk", "sk"):
        r = await api.get("/v1/search/suggestions", params={"q": typed}, headers=STAFF)
        assert r.status_code == 200, r.text
        terms = {s["term"]: s for s in r.json()["items"]}
        assert "数控" in terms or "数控车工" in terms, (typed, terms)
    skill = next(
        s
        for s in (await api.get("/v1/search/suggestions?q=skbc", headers=STAFF)).json()["items"]
        if s["term"] == "数控编程"
    )
    assert skill["kind"] == "skill" and skill["kind_name"] == "技能" and skill["posts"] == 1

    uscc = make_uscc(811, region="321003")
    draft = {
        "enterprise_uscc": uscc,
        "title": "氩弧焊工",
        "occupation_code": "6-18-02-04",
        "district_code": "321003",
        "kind": "full_time",
        "headcount": 1,
        "wage_min_fen": 700000,
        "wage_max_fen": 900000,
        "status": "draft",
    }
    r = await api.post("/v1/job-posts", headers=STAFF, json=draft)
    assert r.status_code == 201, r.text
    post_id = r.json()["id"]

    async def found(q: str) -> list[str]:
        r = await api.get("/v1/search/job-posts", params={"q": q}, headers=STAFF)
        return [p["id"] for p in r.json()["items"]]

    assert post_id not in await found("电焊工")  # a draft is not searchable
    r = await api.post(f"/v1/job-posts/{post_id}/status", headers=STAFF, json={"status": "open"})
    assert r.status_code == 200, r.text
    assert post_id in await found("电焊工")  # a synonym of 焊工, read from the occupation
    terms = (await api.get("/v1/search/suggestions?q=yahu", headers=STAFF)).json()["items"]
    assert "氩弧焊工" in [s["term"] for s in terms]
