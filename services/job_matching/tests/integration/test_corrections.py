"""更正请求 over a real database: a person asks for a correction of their profile, another
person cannot see it (404), staff of another district cannot decide it (404), staff of the
district accept it (the profile changes) or reject it, once; both steps are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching.app import create_app
from job_matching.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.privacy import PersonalData
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_resident_id

pytestmark = pytest.mark.integration


def bearer(roles: list[str], sub: str, **claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(ServiceSettings(), sub, roles, **claims)}"}


def person(n: int, sub: str) -> dict[str, str]:
    key = PersonalData.from_settings(Settings(environment="test")).person_key(make_resident_id(n))
    return bearer(["seeker"], sub, person_key=key)


STAFF = bearer(["hrss_staff"], "staff-gl", district="3210")
FAR_STAFF = bearer(["hrss_staff"], "staff-nj", district="3201")


@pytest.fixture(scope="module")
async def jm(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching_fix", Settings, create_app
    ) as c:
        yield c


async def test_a_person_asks_staff_decide_and_the_profile_changes(jm):
    a, b = person(501, "fix-a"), person(502, "fix-b")
    body = {
        "resident_id": make_resident_id(501),
        "education": "bachelor",
        "district_code": "321002",
    }
    r = await jm.post("/v1/seekers", headers=a, json=body)
    assert r.status_code == 201, r.text
    ask = {
        "field": "education",
        "requested_value": "master",
        "reason": "学历信息有误，已取得硕士学位",
    }
    r = await jm.post("/v1/me/profile/corrections", headers=b, json=ask)
    assert r.status_code == 409  # b has no profile
    for bad, field in (
        ({"field": "resident_id"}, "field"),
        ({"requested_value": "phd!"}, "requested_value"),
    ):
        r = await jm.post("/v1/me/profile/corrections", headers=a, json=ask | bad)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
    r = await jm.post("/v1/me/profile/corrections", headers=a, json=ask)
    assert r.status_code == 201, r.text
    fix = r.json()
    assert fix["status"] == "pending"
    assert (await jm.get(f"/v1/me/profile/corrections/{fix['id']}", headers=b)).status_code == 404
    assert (await jm.get("/v1/me/profile/corrections", headers=b)).json() == []

    queue = (await jm.get("/v1/profile-corrections", headers=STAFF)).json()
    assert [q["id"] for q in queue] == [fix["id"]]
    assert (await jm.get("/v1/profile-corrections", headers=FAR_STAFF)).json() == []
    decide = f"/v1/profile-corrections/{fix['id']}/decision"
    r = await jm.post(decide, headers=FAR_STAFF, json={"accept": True})
    assert r.status_code == 404
    r = await jm.post(decide, headers=a, json={"accept": True})
    assert r.status_code == 403
    r = await jm.post(decide, headers=STAFF, json={"accept": True, "note": "已核对学信网"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert (await jm.post(decide, headers=STAFF, json={"accept": False})).status_code == 409
    assert (await jm.get("/v1/me/profile", headers=a)).json()["education"] == "master"
    [mine] = (await jm.get("/v1/me/profile/corrections", headers=a)).json()
    assert mine["decision_note"] == "已核对学信网"

    engine = create_async_engine(jm.database_url)
    async with engine.connect() as conn:
        actions = (
            (
                await conn.execute(
                    text(
                        "SELECT action FROM audit_log WHERE action IN "
                        "('request_correction', 'decide_correction') ORDER BY id"
                    )
                )
            )
            .scalars()
            .all()
        )
    await engine.dispose()
    assert actions == ["request_correction", "decide_correction"]
