"""Applications (申请) with staff review: the criteria propose a level with its evidence."""

from __future__ import annotations

import pytest

from suxin_common.auth import Role
from suxin_devkit.testing import make_resident_id

pytestmark = pytest.mark.integration


def application(n: int = 1, **attributes) -> dict:
    return {
        "resident_id": make_resident_id(n),
        "city_code": "3201",
        "attributes": attributes or {"professional_title": "senior", "education": "doctorate"},
        "documents": [{"kind": "title_certificate", "reference": "苏职称-2024-0001"}],
    }


async def test_an_application_is_reviewed_and_approved_into_a_card(client, as_) -> None:
    seeker = as_(Role.SEEKER, "account-1", person=make_resident_id(1))
    staff = as_(Role.HRSS_STAFF)

    submitted = await client.post("/v1/card-applications", json=application(), headers=seeker)
    app = submitted.json()
    approved = await client.post(
        f"/v1/card-applications/{app['id']}/approve", json={"note": "材料齐全"}, headers=staff
    )
    again = await client.post(f"/v1/card-applications/{app['id']}/approve", json={}, headers=staff)

    assert submitted.status_code == 201, submitted.text
    assert (app["status"], app["proposed_level"], app["criteria_version"]) == (
        "pending",
        "B",
        "js-2026.1",
    )
    assert {e["rule"] for e in app["evidence"]} == {"senior-professional-title", "doctorate"}
    assert "符合认定标准：正高级专业技术职称（B 类）" in {e["reason"] for e in app["evidence"]}
    english = await client.get(
        f"/v1/card-applications/{app['id']}", headers=staff | {"Accept-Language": "en"}
    )
    assert english.status_code == 200, english.text
    assert "meets the criterion: a full senior professional title (level B)" in {
        e["reason"] for e in english.json()["evidence"]
    }
    assert make_resident_id(1) not in submitted.text
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    card_id = approved.json()["card_id"]
    [card] = (await client.get("/v1/me/cards", headers=seeker)).json()
    assert (card["id"], card["level"], card["proactive"]) == (card_id, "B", False)
    assert again.status_code == 409


async def test_an_application_the_criteria_do_not_support_cannot_be_approved(client, as_) -> None:
    staff = as_(Role.HRSS_STAFF)
    app = (
        await client.post(
            "/v1/card-applications",
            json=application(professional_title="intermediate"),
            headers=as_(Role.SEEKER, person=make_resident_id(1)),
        )
    ).json()

    approve = await client.post(
        f"/v1/card-applications/{app['id']}/approve", json={}, headers=staff
    )
    reject = await client.post(
        f"/v1/card-applications/{app['id']}/reject",
        json={"note": "不符合条件，可致电13912345678"},
        headers=staff,
    )

    assert app["proposed_level"] is None
    assert approve.status_code == 409
    assert reject.status_code == 200 and reject.json()["status"] == "rejected"
    # A typed mobile number is masked before it is stored (issue 22, item 4).
    assert reject.json()["review_note"] == "不符合条件，可致电139****5678"


async def test_a_higher_level_replaces_the_card_held(client, as_) -> None:
    staff = as_(Role.HRSS_STAFF)

    async def submit(**attributes) -> str:
        r = await client.post(
            "/v1/card-applications", json=application(**attributes), headers=staff
        )
        return r.json()["id"]

    async def approve(application_id: str):
        return await client.post(
            f"/v1/card-applications/{application_id}/approve", json={}, headers=staff
        )

    first = (await approve(await submit(education="doctorate"))).json()["card_id"]
    national, same = await submit(talent_programme="national"), await submit(education="doctorate")

    upgraded = await approve(national)
    not_higher = await approve(same)

    assert upgraded.status_code == 200
    old = (await client.get(f"/v1/cards/{first}", headers=staff)).json()
    new = (await client.get(f"/v1/cards/{upgraded.json()['card_id']}", headers=staff)).json()
    assert (old["status"], new["status"], new["level"]) == ("revoked", "active", "A")
    assert not_higher.status_code == 409
    pending = await client.get("/v1/card-applications", params={"status": "pending"}, headers=staff)
    assert [a["id"] for a in pending.json()["items"]] == [same]


async def test_another_account_cannot_see_an_application(client, as_) -> None:
    app = (
        await client.post(
            "/v1/card-applications",
            json=application(),
            headers=as_(Role.SEEKER, "a", person=make_resident_id(1)),
        )
    ).json()

    theirs = await client.get(f"/v1/card-applications/{app['id']}", headers=as_(Role.SEEKER, "b"))
    own = await client.get(f"/v1/card-applications/{app['id']}", headers=as_(Role.SEEKER, "a"))
    review = await client.post(
        f"/v1/card-applications/{app['id']}/approve", json={}, headers=as_(Role.SEEKER, "a")
    )

    assert theirs.status_code == 404
    assert own.status_code == 200
    assert review.status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        {"status": "approved"},
        {"attributes": {"professional_title": "grand_master"}},
        {"attributes": {"education": "doctorate", "level": "A"}},
        {"resident_id": "123"},
    ],
)
async def test_bad_applications_are_refused(client, as_, change) -> None:
    r = await client.post(
        "/v1/card-applications", json=application() | change, headers=as_(Role.SEEKER)
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
