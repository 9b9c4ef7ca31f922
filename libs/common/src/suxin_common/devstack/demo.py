"""Demo data for the local stack (`make run`), loaded through the services' public APIs.

Synthetic people and enterprises only: resident IDs and credit codes are generated with valid
check digits (``suxin_common.testing``), none belongs to anyone. Re-running on an existing
stack is safe: what exists already is reused (409s are expected).
"""

from __future__ import annotations

import shlex
import time
from datetime import date, timedelta
from typing import Any

import httpx

from suxin_common.auth import mint_dev_token
from suxin_common.settings import ServiceSettings
from suxin_common.testing import make_resident_id, make_uscc

ENTERPRISES = [
    # (n, name, city, district, industry, size, 专精特新, 小巨人, key-monitored)
    (1, "扬州智能装备有限公司", "3210", "321002", "C", "medium", True, True, True),
    (2, "扬州文旅数字科技有限公司", "3210", "321003", "I", "small", True, False, False),
    (3, "南京软件谷信息技术有限公司", "3201", "320114", "I", "large", False, False, True),
    (4, "苏州精密制造股份有限公司", "3205", "320505", "C", "large", True, False, True),
    (5, "无锡物流服务有限公司", "3202", "320214", "G", "small", False, False, False),
]
POSTS = [
    # (enterprise n, title, occupation, district, kind, headcount, wage min, max in yuan)
    (1, "数控设备运维工程师", "6-18-01-01", "321002", "full_time", 20, 6000, 9000),
    (1, "智能制造见习生", "6-18-01-01", "321002", "internship", 10, 2500, 3000),
    (2, "数字文旅产品经理", "2-02-10-03", "321003", "full_time", 5, 7000, 11000),
    (3, "Python 后端开发工程师", "2-02-10-03", "320114", "full_time", 30, 12000, 20000),
    (4, "质量检验员", "6-31-03-01", "320505", "full_time", 15, 5500, 7500),
    (5, "仓储配送员（灵活用工）", "4-02-06-03", "320214", "gig", 50, 4000, 7000),
]
SEEKERS = [
    # (n, district, born, education, graduated days ago, key groups)
    (1, "321002", "20010305", "bachelor", 140, ["college_graduate"]),
    (2, "321003", "19990711", "master", 400, ["college_graduate"]),
    (3, "320114", "19850120", "senior_secondary", None, ["employment_difficulty"]),
    (4, "320505", "19900418", "vocational", None, ["veteran"]),
    (
        5,
        "320214",
        "19931101",
        "junior_secondary_or_below",
        None,
        ["migrant_worker", "poverty_alleviated"],
    ),
    (6, "321002", "19880909", "bachelor", None, ["displaced_by_digital_transformation"]),
    (7, "321002", "20020215", "junior_college", 90, ["college_graduate"]),
    (8, "320114", "19970606", "doctorate", 300, ["college_graduate"]),
]
HIRES = [
    # (seeker n, post index, contract type, months)
    (1, 0, "fixed_term", 36),
    (7, 1, "internship_agreement", 6),
    (3, 4, "open_ended", 0),
    (8, 3, "fixed_term", 36),
    (5, 5, "service_agreement", 12),
]
CARD_HOLDERS = [(8, "A", "3201"), (2, "B", "3210")]


def load_demo_data(urls: dict[str, str]) -> str:
    """Load a small, coherent data set; return the text `make run` prints after the URLs."""
    settings = ServiceSettings()
    staff = {"Authorization": f"Bearer {mint_dev_token(settings, 'demo-staff', ['hrss_staff'])}"}
    with httpx.Client(trust_env=False, timeout=30, headers=staff) as http:
        jm, tc = urls["job_matching"], urls["talent_card"]
        for n, name, city, district, industry, size, sme, giant, key in ENTERPRISES:
            _ok(
                http.post(
                    f"{jm}/v1/enterprises",
                    json={
                        "uscc": make_uscc(n),
                        "name": name,
                        "city_code": city,
                        "district_code": district,
                        "industry_code": industry,
                        "size": size,
                        "specialized_sme": sme,
                        "little_giant": giant,
                        "key_monitored": key,
                    },
                )
            )
        post_ids = []
        for n, title, occupation, district, kind, headcount, low, high in POSTS:
            r = _ok(
                http.post(
                    f"{jm}/v1/job-posts",
                    json={
                        "enterprise_uscc": make_uscc(n),
                        "title": title,
                        "occupation_code": occupation,
                        "district_code": district,
                        "kind": kind,
                        "headcount": headcount,
                        "wage_min_fen": low * 100,
                        "wage_max_fen": high * 100,
                    },
                )
            )
            post_ids.append(r.json()["id"])
        seekers = {}
        for n, district, born, education, graduated, groups in SEEKERS:
            body: dict[str, Any] = {
                "resident_id": make_resident_id(n, district=district, born=born),
                "education": education,
                "key_groups": groups,
            }
            if graduated is not None:
                body["graduation_date"] = str(date.today() - timedelta(days=graduated))
            seekers[n] = _seeker_id(http.post(f"{jm}/v1/seekers", json=body))
        for n, level, city in CARD_HOLDERS:
            district, born = next((s[1], s[2]) for s in SEEKERS if s[0] == n)
            _ok(
                http.post(
                    f"{tc}/v1/cards",
                    json={
                        "resident_id": make_resident_id(n, district=district, born=born),
                        "level": level,
                        "city_code": city,
                    },
                )
            )
        for n, post, contract, months in HIRES:
            enterprise = POSTS[post][0]
            _ok(
                http.post(
                    f"{jm}/v1/hires",
                    json={
                        "enterprise_uscc": make_uscc(enterprise),
                        "seeker_id": seekers[n],
                        "job_post_id": post_ids[post],
                        "start_date": str(date.today()),
                        "contract_type": contract,
                        "contract_months": months,
                        "monthly_wage_fen": POSTS[post][6] * 100,
                    },
                )
            )
        example_seeker = _fresh_seeker(http, jm)
    return _example(urls, settings, post_ids[0], example_seeker)


def _ok(r: httpx.Response) -> httpx.Response:
    if r.status_code not in (200, 201, 409):
        raise RuntimeError(
            f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text[:300]}"
        )
    return r


def _seeker_id(r: httpx.Response) -> str:
    _ok(r)
    return r.json()["id"] if r.status_code == 201 else r.json()["seeker_id"]


def _fresh_seeker(http: httpx.Client, jm: str) -> str:
    """A graduate not registered before, so the printed example hire succeeds on every run."""
    born = date(2002, 1, 1) + timedelta(days=int(time.time()) % 3000)
    for n in range(100, 1000):
        r = http.post(
            f"{jm}/v1/seekers",
            json={
                "resident_id": make_resident_id(n, district="321002", born=born.strftime("%Y%m%d")),
                "education": "bachelor",
                "graduation_date": str(date.today() - timedelta(days=120)),
                "key_groups": ["college_graduate"],
            },
        )
        if r.status_code == 201:
            return r.json()["id"]
        _ok(r)
    raise RuntimeError("no unused demo seeker number left")


def _example(urls: dict[str, str], settings: ServiceSettings, post_id: str, seeker_id: str) -> str:
    uscc = make_uscc(1)
    token = mint_dev_token(settings, "demo-enterprise", ["enterprise"], uscc=uscc)
    staff = mint_dev_token(settings, "demo-staff", ["hrss_staff"])
    body = (
        f'{{"enterprise_uscc":"{uscc}","seeker_id":"{seeker_id}","job_post_id":"{post_id}",'
        f'"start_date":"{date.today()}","contract_type":"fixed_term","contract_months":36,'
        f'"monthly_wage_fen":800000}}'
    )
    return "\n".join(
        [
            "Demo data loaded: 5 enterprises, 6 job posts, 9 job seekers, 2 talent cards, 5 hires.",
            "",
            "Record a hire as the enterprise 扬州智能装备 (a dev token, valid 12 h):",
            "",
            f"  curl -sS -X POST {urls['job_matching']}/v1/hires \\",
            f"    -H 'Authorization: Bearer {token}' \\",
            "    -H 'Content-Type: application/json' \\",
            f"    -d {shlex.quote(body)}",
            "",
            "Then watch it fan out (HRSS staff token):",
            "",
            f"  STAFF='Authorization: Bearer {staff}'",
            _staff_curl(urls["training_vouchers"], f"/v1/subsidy-cases?enterprise_uscc={uscc}"),
            _staff_curl(urls["injury_insurance"], f"/v1/coverages?enterprise_uscc={uscc}"),
            _staff_curl(
                urls["employment_monitor"], "/v1/stats/hires?group_by=city&group_by=industry"
            ),
        ]
    )


def _staff_curl(base: str, path: str) -> str:
    return f"  curl -sS -H \"$STAFF\" '{base}{path}'"
