"""Platform enterprises and their workers registered by real name."""

import pytest
from sqlalchemy import text

from gig_market.handlers import RESIDENT_ID_AAD
from suxin.gig.v1 import events_pb2 as pb
from suxin_devkit.testing import make_resident_id, scalar

from .conftest import AS_A, AS_B, PLATFORM_A, PLATFORM_B, STAFF, bearer, register_platform

pytestmark = pytest.mark.integration


async def events(runtime, subject: str) -> list[bytes]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT payload FROM outbox WHERE subject = :s ORDER BY created_at"),
            {"s": subject},
        )
        return [bytes(p) for p in rows.scalars()]


async def test_platforms_are_registered_by_staff_unique_by_uscc_and_client_id(client, runtime):
    body = {
        "uscc": PLATFORM_A,
        "name": "某配送平台",
        "client_id": "client-a",
        "pilot": True,
        "industries": ["instant_delivery"],
        "city_code": "3201",
    }
    assert (await client.post("/v1/platforms", json=body, headers=AS_A)).status_code == 403
    r = await client.post("/v1/platforms", json=body, headers=STAFF)
    assert r.status_code == 201 and r.json()["version"] == 1
    assert (await client.post("/v1/platforms", json=body, headers=STAFF)).status_code == 409
    r = await client.post("/v1/platforms", json=body | {"uscc": PLATFORM_B}, headers=STAFF)
    assert r.status_code == 409  # client_id taken
    r = await client.post(
        "/v1/platforms", json=body | {"uscc": "91320100000000000X"}, headers=STAFF
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "uscc"
    r = await client.post("/v1/platforms", json=body | {"industries": ["mining"]}, headers=STAFF)
    assert r.status_code == 422
    r = await client.post("/v1/platforms", json=body | {"industries": []}, headers=STAFF)
    assert r.status_code == 422

    r = await client.patch(
        f"/v1/platforms/{PLATFORM_A}",
        json={"industries": ["instant_delivery", "ride_hailing"], "pilot": False},
        headers=STAFF,
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    r = await client.patch(f"/v1/platforms/{PLATFORM_A}", json={"pilot": False}, headers=STAFF)
    assert r.json()["version"] == 2  # no change, no new version
    r = await client.patch(f"/v1/platforms/{PLATFORM_A}", json={"version": 9}, headers=STAFF)
    assert r.status_code == 422
    published = [
        pb.PlatformRegistered.FromString(p)
        for p in await events(runtime, "suxin.gig.platform_registered.v1")
    ]
    assert [(e.version, e.pilot) for e in published] == [(1, True), (2, False)]
    assert list(published[1].industries) == [
        pb.PLATFORM_INDUSTRY_RIDE_HAILING,
        pb.PLATFORM_INDUSTRY_INSTANT_DELIVERY,
    ]

    assert (await client.get(f"/v1/platforms/{PLATFORM_A}", headers=AS_A)).status_code == 200
    assert (await client.get(f"/v1/platforms/{PLATFORM_A}", headers=AS_B)).status_code == 404
    r = await client.get("/v1/platforms", headers=STAFF)
    assert [p["uscc"] for p in r.json()["items"]] == [PLATFORM_A]


async def test_workers_register_by_real_name_with_the_id_encrypted_masked_and_keyed(
    client, runtime
):
    await register_platform(client, PLATFORM_A, "client-a")
    await register_platform(client, PLATFORM_B, "client-b")
    resident_id = make_resident_id(42, born="19900315")
    body = {
        "worker_id": "rider-1",
        "resident_id": resident_id,
        "name": "王小明",
        "city_code": "3201",
    }
    url = f"/v1/platforms/{PLATFORM_A}/workers"
    r = await client.post(url, json=body, headers=AS_A)
    assert r.status_code == 201, r.text
    worker = r.json()
    assert worker["masked_resident_id"] == resident_id[:4] + "*" * 10 + resident_id[-4:]
    assert worker["masked_name"] == "王**" and worker["birth_year"] == 1990
    assert resident_id not in r.text

    stored = await scalar(runtime.engine, "SELECT resident_id_encrypted FROM gig_workers")
    assert resident_id not in stored and "王小明" not in (
        await scalar(runtime.engine, "SELECT name_encrypted FROM gig_workers")
    )
    assert runtime.personal_data.reveal(stored, RESIDENT_ID_AAD) == resident_id

    [payload] = await events(runtime, "suxin.gig.gig_worker_registered.v1")
    assert resident_id.encode() not in payload
    event = pb.GigWorkerRegistered.FromString(payload)
    assert event.person_key == runtime.personal_data.person_key(resident_id)
    assert (event.platform_uscc, event.worker_id, event.birth_year) == (PLATFORM_A, "rider-1", 1990)

    # The same person again, under another id: refused; under another platform: fine.
    r = await client.post(url, json=body | {"worker_id": "rider-2"}, headers=AS_A)
    assert r.status_code == 409 and r.json()["worker_id"] == "rider-1"
    r = await client.post(url, json=body, headers=AS_A)
    assert r.status_code == 409
    r = await client.post(f"/v1/platforms/{PLATFORM_B}/workers", json=body, headers=AS_B)
    assert r.status_code == 201
    # Another platform's workers do not exist for B.
    assert (await client.post(url, json=body, headers=AS_B)).status_code == 404
    assert (await client.get(f"{url}/rider-1", headers=AS_B)).status_code == 404
    assert (await client.get(f"{url}/rider-1", headers=AS_A)).status_code == 200
    assert (await client.get(f"{url}/nobody", headers=AS_A)).status_code == 404
    assert (await client.get(url, headers=STAFF)).json()["items"][0]["worker_id"] == "rider-1"
    assert (await client.post(url, json=body, headers=bearer("seeker"))).status_code == 403

    bad = body | {"worker_id": "rider-3", "resident_id": resident_id[:-1] + "0"}
    if bad["resident_id"] == resident_id:
        bad["resident_id"] = resident_id[:-1] + "1"
    r = await client.post(url, json=bad, headers=AS_A)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "resident_id"
    assert bad["resident_id"] not in r.text


async def test_a_worker_under_16_is_refused_and_one_of_16_today_registered(client):
    """《劳动法》第十五条 禁止招用未满十六周岁的未成年人: counted to the day, China time."""
    from datetime import datetime, timedelta, timezone

    await register_platform(client, PLATFORM_A, "client-a")
    today = datetime.now(timezone(timedelta(hours=8))).date()
    sixteen = (
        today.replace(year=today.year - 16)
        if (today.month, today.day) != (2, 29)
        else (today.replace(year=today.year - 16, day=28))
    )
    url = f"/v1/platforms/{PLATFORM_A}/workers"
    under = make_resident_id(7, born=(sixteen + timedelta(days=1)).strftime("%Y%m%d"))
    body = {"worker_id": "young-1", "resident_id": under, "name": "李小", "city_code": "3201"}
    r = await client.post(url, json=body, headers=AS_A)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "resident_id"
    assert under not in r.text

    of_age = make_resident_id(8, born=sixteen.strftime("%Y%m%d"))
    body |= {"worker_id": "young-2", "resident_id": of_age}
    r = await client.post(url, json=body, headers=AS_A)
    assert r.status_code == 201, r.text
