"""A hire is real before it counts (录用确认), over HTTP on real PostgreSQL: the person confirms
or denies a hire filed about them, an accepted offer confirms it, 社保 enrolment (FactVerified)
confirms it; one active full-time job per person (409); enterprise flags only from staff or
the 工信 list."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from job_matching.app import create_app
from job_matching.handlers import confirmations
from job_matching.settings import Settings
from suxin.hiring.v1 import events_pb2 as pb
from suxin_common.auth import mint_dev_token
from suxin_common.facts import fact_from_event
from suxin_devkit import factfeed
from suxin_devkit.testing import api_client, make_resident_id, make_uscc, service_runtime

pytestmark = pytest.mark.integration
ACME = make_uscc(31)
RIVAL = make_uscc(32)
START = date.today().isoformat()


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "job_matching", Settings) as rt:
        yield rt


@pytest.fixture
async def jm(runtime):
    async with api_client(create_app(runtime.settings), runtime) as client:
        yield client


def bearer(runtime, roles: list[str], sub: str = "tester", **tenant) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(runtime.settings, sub, roles, **tenant)}"}


async def feed(runtime, event) -> None:
    """What the FactVerified subscription does with data-exchange's event."""
    async with runtime.uow() as uow:
        await confirmations.on_fact_verified(uow, fact_from_event(event))
        await uow.commit()


async def outbox(runtime, subject: str) -> list[bytes]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT payload FROM outbox WHERE subject = :s ORDER BY created_at"),
            {"s": subject},
        )
        return [r.payload for r in rows]


async def enterprise(jm, runtime, uscc: str) -> None:
    r = await jm.post(
        "/v1/enterprises",
        headers=bearer(runtime, ["hrss_staff"]),
        json={"uscc": uscc, "name": f"企业{uscc[-4:]}", "city_code": "3210",
              "district_code": "321002", "industry_code": "C", "size": "medium"},
    )  # fmt: skip
    assert r.status_code == 201, r.text


async def post(jm, runtime, uscc: str, kind: str = "full_time") -> str:
    r = await jm.post(
        "/v1/job-posts",
        headers=bearer(runtime, ["enterprise"], uscc=uscc),
        json={"enterprise_uscc": uscc, "title": "设备运维工程师", "description": "产线设备运维",
              "occupation_code": "6-18-01-01", "district_code": "321002", "kind": kind,
              "headcount": 3, "wage_min_fen": 600000, "wage_max_fen": 900000},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def seeker(jm, runtime, n: int) -> tuple[str, dict, str]:
    rid = make_resident_id(n)
    key = runtime.personal_data.person_key(rid)
    headers = bearer(runtime, ["seeker"], sub=f"seeker-{n}", person_key=key)
    r = await jm.post("/v1/seekers", headers=headers, json={"resident_id": rid,
                                                             "education": "bachelor"})  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"], headers, key


async def hire(jm, runtime, uscc, seeker_id, post_id, **more):
    return await jm.post(
        "/v1/hires",
        headers=bearer(runtime, ["enterprise"], uscc=uscc),
        json={"enterprise_uscc": uscc, "seeker_id": seeker_id, "job_post_id": post_id,
              "start_date": START, "contract_type": "fixed_term", "contract_months": 36,
              "monthly_wage_fen": 700000} | more,
    )  # fmt: skip


async def test_a_hire_is_declared_until_the_person_confirms_it(jm, runtime):
    await enterprise(jm, runtime, ACME)
    seeker_id, me, _ = await seeker(jm, runtime, 501)
    r = await hire(jm, runtime, ACME, seeker_id, await post(jm, runtime, ACME))
    assert r.status_code == 201, r.text
    hire_id = r.json()["id"]
    assert r.json()["confirmation"] == "declared"
    assert await outbox(runtime, "suxin.hiring.hire_confirmed.v1") == []

    # Someone else cannot answer for the person; the enterprise cannot either.
    _, stranger, _ = await seeker(jm, runtime, 502)
    r = await jm.post(f"/v1/hires/{hire_id}/confirmation", headers=stranger,
                      json={"decision": "confirm"})  # fmt: skip
    assert r.status_code == 404
    r = await jm.post(f"/v1/hires/{hire_id}/confirmation",
                      headers=bearer(runtime, ["enterprise"], uscc=ACME),
                      json={"decision": "confirm"})  # fmt: skip
    assert r.status_code == 403
    r = await jm.post(f"/v1/hires/{hire_id}/confirmation", headers=me, json={"decision": "yes"})
    assert r.status_code == 422 and "decision" in r.text

    r = await jm.post(f"/v1/hires/{hire_id}/confirmation", headers=me,
                      json={"decision": "confirm"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert (r.json()["confirmation"], r.json()["confirmed_by"]) == ("confirmed", "person")
    [payload] = await outbox(runtime, "suxin.hiring.hire_confirmed.v1")
    event = pb.HireConfirmed.FromString(payload)
    assert event.hire_id == hire_id and event.confirmed_by == pb.HIRE_CONFIRMATION_PERSON
    assert event.version == 2 and event.job_kind == pb.JOB_KIND_FULL_TIME
    assert make_resident_id(501).encode() not in payload
    again = await jm.post(f"/v1/hires/{hire_id}/confirmation", headers=me,
                          json={"decision": "deny"})  # fmt: skip
    assert again.status_code == 409
    [listed] = (await jm.get(f"/v1/seekers/{seeker_id}/hires", headers=me)).json()
    assert listed["id"] == hire_id and listed["confirmation"] == "confirmed"


async def test_a_stranger_denies_the_hire_and_it_never_confirms(jm, runtime):
    await enterprise(jm, runtime, ACME)
    seeker_id, me, _ = await seeker(jm, runtime, 511)
    hire_id = (await hire(jm, runtime, ACME, seeker_id, await post(jm, runtime, ACME))).json()["id"]

    r = await jm.post(f"/v1/hires/{hire_id}/confirmation", headers=me, json={"decision": "deny"})

    assert r.status_code == 200 and r.json()["confirmation"] == "denied"
    assert await outbox(runtime, "suxin.hiring.hire_confirmed.v1") == []
    # A denied hire does not hold the person's full-time place.
    await enterprise(jm, runtime, RIVAL)
    r = await hire(jm, runtime, RIVAL, seeker_id, await post(jm, runtime, RIVAL))
    assert r.status_code == 201, r.text


async def test_social_insurance_enrolment_confirms_the_hire(jm, runtime):
    await enterprise(jm, runtime, ACME)
    seeker_id, _, key = await seeker(jm, runtime, 521)
    hire_id = (await hire(jm, runtime, ACME, seeker_id, await post(jm, runtime, ACME))).json()["id"]
    # 社保 enrolment with another employer confirms nothing here.
    await feed(runtime, factfeed.enrolment(key, RIVAL, date.today()))
    assert await outbox(runtime, "suxin.hiring.hire_confirmed.v1") == []

    await feed(runtime, factfeed.enrolment(key, ACME, date.today(), evidence_ref="si-2026-12#7"))
    await feed(runtime, factfeed.enrolment(key, ACME, date.today(), evidence_ref="si-2026-12#7"))

    [payload] = await outbox(runtime, "suxin.hiring.hire_confirmed.v1")
    event = pb.HireConfirmed.FromString(payload)
    assert (event.hire_id, event.confirmed_by, event.evidence_ref) == (
        hire_id,
        pb.HIRE_CONFIRMATION_SOCIAL_INSURANCE,
        "si-2026-12#7",
    )


async def test_an_accepted_offer_makes_the_hire_confirmed_at_once(jm, runtime):
    await enterprise(jm, runtime, ACME)
    seeker_id, me, _ = await seeker(jm, runtime, 531)
    post_id = await post(jm, runtime, ACME)
    r = await jm.post("/v1/applications", headers=me,
                      json={"seeker_id": seeker_id, "job_post_id": post_id})  # fmt: skip
    assert r.status_code == 201, r.text
    app_id = r.json()["id"]
    ent = bearer(runtime, ["enterprise"], uscc=ACME)
    assert (await jm.post(f"/v1/applications/{app_id}/offer", headers=ent, json={})).is_success
    r = await jm.post(f"/v1/applications/{app_id}/accept", headers=ent, json={})
    assert r.status_code in (403, 404)  # only the person accepts
    r = await jm.post(f"/v1/applications/{app_id}/accept", headers=me, json={})
    assert r.status_code == 200 and r.json()["status"] == "accepted"

    r = await hire(jm, runtime, ACME, seeker_id, post_id, application_id=app_id)

    assert r.status_code == 201, r.text
    [payload] = await outbox(runtime, "suxin.hiring.hire_confirmed.v1")
    event = pb.HireConfirmed.FromString(payload)
    assert event.confirmed_by == pb.HIRE_CONFIRMATION_OFFER_ACCEPTED
    assert event.evidence_ref == f"application:{app_id}"


async def test_a_second_full_time_hire_of_an_employed_person_is_a_409(jm, runtime):
    await enterprise(jm, runtime, ACME)
    await enterprise(jm, runtime, RIVAL)
    seeker_id, _, key = await seeker(jm, runtime, 541)
    first = await hire(jm, runtime, ACME, seeker_id, await post(jm, runtime, ACME))
    assert first.status_code == 201

    r = await hire(jm, runtime, RIVAL, seeker_id, await post(jm, runtime, RIVAL))

    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("already-employed-full-time")
    assert ACME not in r.text  # the other employer is the person's data
    # A part-time job beside it is fine.
    r = await hire(jm, runtime, RIVAL, seeker_id, await post(jm, runtime, RIVAL, "part_time"),
                   contract_type="part_time", contract_months=6)  # fmt: skip
    assert r.status_code == 201, r.text
    # 社保 shows the person now enrolled with the rival: the change is real.
    await feed(runtime, factfeed.enrolment(key, RIVAL, date.today()))
    r = await hire(jm, runtime, RIVAL, seeker_id, await post(jm, runtime, RIVAL))
    assert r.status_code == 201, r.text
    async with runtime.engine.connect() as conn:
        hires = (await conn.execute(text("SELECT count(*) FROM hires"))).scalar()
    assert hires == 3


async def test_a_second_full_time_hire_after_the_first_ended_is_fine(jm, runtime):
    await enterprise(jm, runtime, ACME)
    await enterprise(jm, runtime, RIVAL)
    seeker_id, _, _ = await seeker(jm, runtime, 551)
    first = (await hire(jm, runtime, ACME, seeker_id, await post(jm, runtime, ACME))).json()
    r = await jm.post(f"/v1/hires/{first['id']}/separation",
                      headers=bearer(runtime, ["enterprise"], uscc=ACME),
                      json={"end_date": START, "reason": "resignation"})  # fmt: skip
    assert r.status_code == 200, r.text

    r = await hire(jm, runtime, RIVAL, seeker_id, await post(jm, runtime, RIVAL))

    assert r.status_code == 201, r.text


async def test_enterprise_flags_come_from_staff_or_the_industry_list_never_the_enterprise(
    jm, runtime
):
    own = bearer(runtime, ["enterprise"], uscc=ACME)
    body = {"uscc": ACME, "name": "自称专精特新", "city_code": "3210", "district_code": "321002",
            "industry_code": "C", "size": "small"}  # fmt: skip
    for flag in ("specialized_sme", "little_giant", "key_monitored"):
        r = await jm.post("/v1/enterprises", headers=own, json=body | {flag: True})
        assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
        assert r.json()["errors"][0]["field"] == flag
    # The 工信 list arrives first; registration reads it.
    await feed(runtime, factfeed.enterprise_list("specialized_sme", ACME))
    r = await jm.post("/v1/enterprises", headers=own, json=body)
    assert r.status_code == 201 and r.json()["specialized_sme"] is True
    assert r.json()["little_giant"] is False
    # A 小巨人 list entry arriving later sets the flag; a withdrawn entry clears it.
    await feed(runtime, factfeed.enterprise_list("little_giant", ACME))
    assert (await jm.get(f"/v1/enterprises/{ACME}", headers=own)).json()["little_giant"] is True
    await feed(runtime, factfeed.enterprise_list("little_giant", ACME, version=2, revoked=True))
    assert (await jm.get(f"/v1/enterprises/{ACME}", headers=own)).json()["little_giant"] is False
    # A 工信 list entry about "key_monitored" from the wrong department changes nothing.
    wrong = factfeed.enterprise_list("key_monitored", ACME)
    wrong.department = factfeed.dxf.DEPARTMENT_INDUSTRY
    await feed(runtime, wrong)
    assert (await jm.get(f"/v1/enterprises/{ACME}", headers=own)).json()["key_monitored"] is False
