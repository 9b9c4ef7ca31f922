"""我的 over a real database: a verified person sees the subsidy cases that concern them and
their vouchers, nobody else's (404 / empty), and every read is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from suxin_common.auth import Role, mint_dev_token
from suxin_devkit.testing import make_resident_id

pytestmark = pytest.mark.integration

START = datetime(2026, 9, 18, 2, 0, tzinfo=UTC)


def person(runtime, person_key: str | None, subject: str = "app-user") -> dict[str, str]:
    token = mint_dev_token(runtime.settings, subject, [Role.SEEKER], person_key=person_key)
    return {"Authorization": f"Bearer {token}"}


def staff(runtime) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, "staff-1", [Role.HRSS_STAFF])
    return {"Authorization": f"Bearer {token}"}


async def audited(runtime, actor: str) -> list[tuple[str, str]]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT object_type, object_id FROM audit_log WHERE actor = :a ORDER BY id"),
            {"a": actor},
        )
        return [(r.object_type, r.object_id) for r in rows]


async def test_a_person_sees_only_the_cases_that_concern_them(client, runtime, make_hire, deliver):
    a_hire, b_hire = make_hire(), make_hire()
    a_hire.person_key, b_hire.person_key = "pk_" + "a" * 32, "pk_" + "b" * 32
    for n, event in enumerate([a_hire, b_hire]):
        await deliver(event, at=START + timedelta(minutes=n))
    a, b = person(runtime, "pk_" + "a" * 32, "user-a"), person(runtime, "pk_" + "b" * 32, "user-b")

    mine = (await client.get("/v1/me/subsidy-cases", params={"limit": 1}, headers=a)).json()
    assert mine["next_cursor"] is None
    items = mine["items"]
    assert len(items) == 1 and items[0]["rule_family"] == "hiring_absorption"
    # These are employer-facing (吸纳就业补贴 paid to the enterprise): no employer figures.
    for item in items:
        assert item["for_whom"] == "employer"
        assert item["title"].startswith("您的用人单位申请了")
        assert item["amount_fen"] is None and item["decision_reason"] is None

    [theirs] = (await client.get("/v1/me/subsidy-cases", headers=b)).json()["items"]
    assert theirs["id"] not in {i["id"] for i in items}
    # B cannot read A's case: 404, as for a case that does not exist.
    response = await client.get(f"/v1/me/subsidy-cases/{items[0]['id']}", headers=b)
    assert response.status_code == 404
    own = await client.get(f"/v1/me/subsidy-cases/{items[0]['id']}", headers=a)
    assert own.status_code == 200 and own.json()["id"] == items[0]["id"]

    # A seeker whose identity is not verified has no person key and so no cases.
    unverified = person(runtime, None, "user-u")
    assert (await client.get("/v1/me/subsidy-cases", headers=unverified)).json()["items"] == []
    # Every read of a case is audited, by case id.
    trail = await audited(runtime, "user-a")
    assert trail.count(("subsidy_case", items[0]["id"])) == 2  # the list, then the case
    bad = await client.get("/v1/me/subsidy-cases", params={"cursor": "!!"}, headers=a)
    assert bad.status_code == 422 and "cursor" in bad.text


async def test_a_person_sees_their_vouchers_and_exports_what_is_held(client, runtime, four_eyes):
    await four_eyes.put_occupation(
        "6-18-02-04", {"name": "焊工", "subsidy_fen": {"intermediate_worker": 150000}}
    )
    issued = []
    for n in (71, 72):
        body = {
            "resident_id": make_resident_id(n),
            "occupation_code": "6-18-02-04",
            "training_kind": "employment_skills",
            "target_level": "intermediate_worker",
            "eligibility": "rural_labour",
            "city_code": "3210",
        }
        response = await client.post("/v1/vouchers", json=body, headers=staff(runtime))
        assert response.status_code == 201, response.text
        issued.append(response.json())
    va, vb = issued
    a, b = person(runtime, va["person_key"], "user-a"), person(runtime, vb["person_key"], "user-b")

    [mine] = (await client.get("/v1/me/vouchers", headers=a)).json()
    assert mine["id"] == va["id"] and mine["amount_fen"] == 150000
    assert mine["masked_resident_id"] == va["masked_resident_id"]
    assert "*" in mine["masked_resident_id"] and "person_key" not in mine
    assert (await client.get(f"/v1/me/vouchers/{vb['id']}", headers=a)).status_code == 404
    assert (await client.get(f"/v1/me/vouchers/{vb['id']}", headers=b)).status_code == 200

    export = await client.get("/v1/me/export", headers=a)
    assert export.status_code == 200
    document = export.json()
    assert document["verified"] is True
    assert [v["id"] for v in document["vouchers"]] == [va["id"]]
    assert make_resident_id(71) not in export.text and va["person_key"] not in export.text
    assert ("person_export", "user-a") in await audited(runtime, "user-a")
    # Enterprise and staff tokens are not a person: the route refuses them.
    enterprise = mint_dev_token(runtime.settings, "e", [Role.ENTERPRISE], uscc=None)
    refused = await client.get("/v1/me/vouchers", headers={"Authorization": f"Bearer {enterprise}"})
    assert refused.status_code == 403
