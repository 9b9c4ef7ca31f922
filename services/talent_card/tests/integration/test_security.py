"""The security pass: closed request bodies, capped pages, district scoping on every staff list
and object (another district's object answers 404), verifiers confined to their organisation,
and the access audit of personal-data reads and of every card and entitlement decision."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from suxin.common.v1 import common_pb2 as common
from suxin.training.v1 import events_pb2 as training
from suxin_common.auth import Role
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.security import audit
from suxin_devkit.testing import make_resident_id, make_uscc
from talent_card import contracts
from talent_card.adapters import repository as repo
from talent_card.domain.model import Position, TalentFlow
from talent_card.handlers import offer_card_on_certification

pytestmark = pytest.mark.integration

NANJING, YANGZHOU = "3201", "3210"
HOSPITAL, BANK = make_uscc(101), make_uscc(202)


@pytest.fixture
def auth(as_):
    """Headers for a caller, optionally with a district, an organisation or (a seeker) the
    verified person: ``auth(Role.SEEKER, "account-1", person=make_resident_id(1))``."""

    def headers(
        role: Role,
        subject: str | None = None,
        *,
        district: str | None = None,
        uscc=None,
        person: str | None = None,
    ) -> dict[str, str]:
        return as_(role, subject, uscc, district=district, person=person)

    return headers


def application(n: int, city: str, **attributes) -> dict:
    return {
        "resident_id": make_resident_id(n),
        "city_code": city,
        "attributes": attributes or {"education": "doctorate"},
        "documents": [{"kind": "diploma", "reference": f"D-{n}"}],
    }


async def card_in(client, auth, n: int, city: str) -> str:
    """A card owned by account-<n>, issued in ``city`` through an approved application."""
    staff = auth(Role.HRSS_STAFF)
    app = (
        await client.post(
            "/v1/card-applications",
            json=application(n, city, talent_programme="national"),
            headers=auth(Role.SEEKER, f"account-{n}", person=make_resident_id(n)),
        )
    ).json()
    approved = await client.post(
        f"/v1/card-applications/{app['id']}/approve", json={}, headers=staff
    )
    assert approved.status_code == 200, approved.text
    return approved.json()["card_id"]


async def credential(client, auth, card_id: str) -> str:
    r = await client.get(f"/v1/cards/{card_id}/credential", headers=auth(Role.HRSS_STAFF))
    return r.json()["credential"]


async def entries(client, auth, **filters) -> list[dict]:
    r = await client.get(
        "/v1/audit/entries", params={"limit": 200} | filters, headers=auth(Role.AUDITOR)
    )
    assert r.status_code == 200, r.text
    return r.json()["items"]


# --- input hardening and page sizes ---------------------------------------------------------


# Fixed ids in parametrized paths: every pytest-xdist worker must collect the same test names.
UNKNOWN_CARD = "ca4d0000-0000-4000-8000-00000000dead"
UNKNOWN_APPLICATION = "a9900000-0000-4000-8000-00000000dead"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/v1/cards",
            {"resident_id": make_resident_id(1), "level": "A", "city_code": NANJING, "status": "x"},
        ),
        (f"/v1/cards/{UNKNOWN_CARD}/suspend", {"reason": "r", "version": 3}),
        ("/v1/card-applications", application(1, NANJING) | {"proposed_level": "A"}),
        (f"/v1/card-applications/{UNKNOWN_APPLICATION}/approve", {"card_id": str(uuid.uuid4())}),
        ("/v1/card-offers/lookup", {"resident_id": make_resident_id(1), "status": "open"}),
        ("/v1/me/cards/claim", {"resident_id": make_resident_id(1), "owner_subject": "me"}),
    ],
)
async def test_a_body_with_a_field_the_caller_may_not_set_is_refused(client, auth, path, body):
    role = Role.SEEKER if path.startswith("/v1/me") else Role.HRSS_STAFF
    r = await client.post(path, json=body, headers=auth(role))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"


async def test_an_entitlement_use_cannot_carry_a_count_or_a_partner(client, auth):
    body = {"credential": "x" * 40, "entitlement": "health_check", "reference": "r-1"}
    verifier = auth(Role.VERIFIER, uscc=HOSPITAL)
    for extra in ({"partner_uscc": BANK}, {"amount": 1}, {"used_on": "2026-01-01"}):
        r = await client.post("/v1/entitlement-uses", json=body | extra, headers=verifier)
        assert r.status_code == 422, (extra, r.text)


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/v1/card-applications", Role.HRSS_STAFF),
        ("/v1/card-offers", Role.HRSS_STAFF),
        ("/v1/talent-flows", Role.HRSS_STAFF),
        ("/v1/entitlement-uses", Role.HRSS_STAFF),
        ("/v1/me/entitlement-uses", Role.SEEKER),
    ],
)
async def test_a_page_over_the_cap_is_refused_not_cut(client, auth, path, role):
    over = await client.get(path, params={"limit": 201}, headers=auth(role))
    capped = await client.get(path, params={"limit": 200}, headers=auth(role))
    assert over.status_code == 422 and "limit" in over.text
    assert capped.status_code == 200, capped.text


# --- district scoping -----------------------------------------------------------------------


async def test_staff_see_only_their_districts_applications(client, auth):
    def seeker(n: int) -> dict[str, str]:
        return auth(Role.SEEKER, f"account-{n}", person=make_resident_id(n))

    nanjing = (
        await client.post("/v1/card-applications", json=application(1, NANJING), headers=seeker(1))
    ).json()["id"]
    yangzhou = (
        await client.post("/v1/card-applications", json=application(2, YANGZHOU), headers=seeker(2))
    ).json()["id"]
    yz_staff = auth(Role.HRSS_STAFF, "yz-staff", district=YANGZHOU)
    county_staff = auth(Role.HRSS_STAFF, "yz-county", district=YANGZHOU + "02")
    province = auth(Role.HRSS_STAFF, "js-staff", district="32")

    listed = await client.get("/v1/card-applications", headers=yz_staff)
    everything = await client.get("/v1/card-applications", headers=province)
    other = await client.get(f"/v1/card-applications/{nanjing}", headers=yz_staff)
    own = await client.get(f"/v1/card-applications/{yangzhou}", headers=yz_staff)
    approve_other = await client.post(
        f"/v1/card-applications/{nanjing}/approve", json={}, headers=yz_staff
    )
    reject_other = await client.post(
        f"/v1/card-applications/{nanjing}/reject", json={}, headers=yz_staff
    )
    submit_elsewhere = await client.post(
        "/v1/card-applications", json=application(3, NANJING), headers=yz_staff
    )

    assert [a["id"] for a in listed.json()["items"]] == [yangzhou]
    assert {a["id"] for a in everything.json()["items"]} == {nanjing, yangzhou}
    # Talent cards are kept by city: a county's staff see none of them.
    assert (await client.get("/v1/card-applications", headers=county_staff)).json()["items"] == []
    assert (other.status_code, own.status_code) == (404, 200)
    assert (approve_other.status_code, reject_other.status_code) == (404, 404)
    assert submit_elsewhere.status_code == 403
    still = await client.get(f"/v1/card-applications/{nanjing}", headers=province)
    assert still.json()["status"] == "pending"


async def test_staff_see_and_change_only_their_districts_cards(client, auth):
    nanjing = await card_in(client, auth, 1, NANJING)
    yz_staff = auth(Role.HRSS_STAFF, "yz-staff", district=YANGZHOU)

    answers = {
        "card": await client.get(f"/v1/cards/{nanjing}", headers=yz_staff),
        "credential": await client.get(f"/v1/cards/{nanjing}/credential", headers=yz_staff),
        "qr": await client.get(f"/v1/cards/{nanjing}/qr", headers=yz_staff),
        "employments": await client.get(f"/v1/cards/{nanjing}/employments", headers=yz_staff),
        **{
            change: await client.post(
                f"/v1/cards/{nanjing}/{change}", json={"reason": "核查"}, headers=yz_staff
            )
            for change in ("suspend", "reinstate", "revoke")
        },
    }
    issue_elsewhere = await client.post(
        "/v1/cards",
        json={"resident_id": make_resident_id(9), "level": "C", "city_code": NANJING},
        headers=yz_staff,
    )

    assert {k: r.status_code for k, r in answers.items()} == dict.fromkeys(answers, 404)
    assert issue_elsewhere.status_code == 403
    card = await client.get(f"/v1/cards/{nanjing}", headers=auth(Role.HRSS_STAFF))
    assert (card.json()["status"], card.json()["version"]) == ("active", 1)


async def offer_in(runtime, n: int, city: str) -> None:
    event = training.TrainingCertified(
        voucher_id=str(uuid.uuid4()),
        person_key=runtime.personal_data.person_key(make_resident_id(n)),
        institution_uscc=make_uscc(7),
        occupation_code="6-18-01-01",
        skill_level=common.SKILL_LEVEL_SENIOR_TECHNICIAN,
        city_code=city,
        certified_on=common.Date(year=2026, month=11, day=2),
    )
    meta = EventMeta(str(uuid.uuid4()), "test", "/test", "test", datetime.now(UTC), {})
    async with runtime.uow() as uow:
        await offer_card_on_certification(uow, contracts.training_certified(event, meta))
        await uow.commit()


async def test_staff_see_only_their_districts_offers(runtime, client, auth):
    await offer_in(runtime, 1, NANJING)
    await offer_in(runtime, 2, YANGZHOU)
    yz_staff = auth(Role.HRSS_STAFF, "yz-staff", district=YANGZHOU)

    listed = (await client.get("/v1/card-offers", headers=yz_staff)).json()["items"]
    everything = (await client.get("/v1/card-offers", headers=auth(Role.HRSS_STAFF))).json()
    lookup_other = await client.post(
        "/v1/card-offers/lookup", json={"resident_id": make_resident_id(1)}, headers=yz_staff
    )
    lookup_own = await client.post(
        "/v1/card-offers/lookup", json={"resident_id": make_resident_id(2)}, headers=yz_staff
    )

    assert [o["city_code"] for o in listed] == [YANGZHOU]
    assert len(everything["items"]) == 2
    assert lookup_other.json() == []
    assert [o["city_code"] for o in lookup_own.json()] == [YANGZHOU]


async def test_staff_see_only_flows_touching_their_district(runtime, client, auth):
    card_id = uuid.UUID(await card_in(client, auth, 1, NANJING))

    async def flow(origin: str, destination: str) -> str:
        f = TalentFlow(
            id=uuid.uuid4(),
            card_id=card_id,
            person_key="pk",
            hire_id=uuid.uuid4(),
            origin=Position(None, origin),
            destination=Position(make_uscc(5), destination),
            flowed_on=date(2026, 3, 1),
            recorded_at=datetime.now(UTC),
        )
        async with runtime.uow() as uow:
            assert await repo.add_flow(uow.session, f)
            await uow.commit()
        return str(f.id)

    into_yz, out_of_yz, elsewhere = (
        await flow(NANJING, YANGZHOU),
        await flow(YANGZHOU, "3205"),
        await flow(NANJING, "3205"),
    )

    seen = await client.get(
        "/v1/talent-flows", headers=auth(Role.HRSS_STAFF, "yz", district=YANGZHOU)
    )
    everything = await client.get("/v1/talent-flows", headers=auth(Role.HRSS_STAFF))

    assert {f["id"] for f in seen.json()["items"]} == {into_yz, out_of_yz}
    assert {f["id"] for f in everything.json()["items"]} == {into_yz, out_of_yz, elsewhere}


async def test_entitlement_uses_are_seen_by_their_partner_and_their_districts_staff(client, auth):
    nanjing, yangzhou = (
        await card_in(client, auth, 1, NANJING),
        await card_in(client, auth, 2, YANGZHOU),
    )
    hospital, bank = auth(Role.VERIFIER, uscc=HOSPITAL), auth(Role.VERIFIER, "b", uscc=BANK)
    for n, (card_id, partner) in enumerate(((nanjing, hospital), (yangzhou, bank))):
        body = {
            "credential": await credential(client, auth, card_id),
            "entitlement": "medical_green_channel",
            "reference": f"ref-{n}",
        }
        assert (
            await client.post("/v1/entitlement-uses", json=body, headers=partner)
        ).status_code == 201

    def cards(r) -> list[str]:
        assert r.status_code == 200, r.text
        return sorted(u["card_id"] for u in r.json()["items"])

    yz_staff = auth(Role.HRSS_STAFF, "yz", district=YANGZHOU)
    assert cards(await client.get("/v1/entitlement-uses", headers=hospital)) == [nanjing]
    assert cards(await client.get("/v1/entitlement-uses", headers=bank)) == [yangzhou]
    assert (
        cards(await client.get("/v1/entitlement-uses", params={"card_id": nanjing}, headers=bank))
        == []
    )
    assert cards(await client.get("/v1/entitlement-uses", headers=yz_staff)) == [yangzhou]
    assert cards(await client.get("/v1/entitlement-uses", headers=auth(Role.HRSS_STAFF))) == sorted(
        [nanjing, yangzhou]
    )
    # A verifier token naming no organisation sees nothing.
    assert (
        await client.get("/v1/entitlement-uses", headers=auth(Role.VERIFIER, "anon"))
    ).status_code == 403


# --- a seeker acts only for the person their token verified --------------------------------

OWNER = make_resident_id(1)


async def open_offer(runtime, client, auth) -> str:
    """An open offer to person 1 (in Yangzhou); its id, as staff list it."""
    await offer_in(runtime, 1, YANGZHOU)
    offers = await client.get("/v1/card-offers", headers=auth(Role.HRSS_STAFF))
    [offer] = offers.json()["items"]
    return offer["id"]


async def by_resident_id(runtime, client, auth, endpoint: str):
    """Set up what ``endpoint`` acts on for person 1; returns a call taking headers."""
    body = {"resident_id": OWNER}
    if endpoint == "apply":
        return lambda h: client.post(
            "/v1/card-applications", json=application(1, NANJING), headers=h
        )
    if endpoint == "lookup":
        await offer_in(runtime, 1, YANGZHOU)
        return lambda h: client.post("/v1/card-offers/lookup", json=body, headers=h)
    if endpoint in ("accept", "decline"):
        offer_id = await open_offer(runtime, client, auth)
        path = f"/v1/card-offers/{offer_id}/{endpoint}"
        return lambda h: client.post(path, json=body, headers=h)
    assert endpoint == "claim"
    issued = await client.post(
        "/v1/cards",
        json={"resident_id": OWNER, "level": "C", "city_code": NANJING},
        headers=auth(Role.HRSS_STAFF),
    )
    assert issued.status_code == 201, issued.text
    return lambda h: client.post("/v1/me/cards/claim", json=body, headers=h)


@pytest.mark.parametrize(
    ("endpoint", "done"),
    [("apply", 201), ("lookup", 200), ("accept", 201), ("decline", 204), ("claim", 200)],
)
async def test_a_seeker_acts_only_for_the_person_their_token_verified(
    runtime, client, auth, endpoint, done
):
    call = await by_resident_id(runtime, client, auth, endpoint)
    someone_else = auth(Role.SEEKER, "account-2", person=make_resident_id(2))
    unverified = auth(Role.SEEKER, "account-1")
    owner = auth(Role.SEEKER, "account-1", person=OWNER)

    refused = [await call(someone_else), await call(unverified)]
    # Nothing was changed by the refused calls: the owner's own call still does its work.
    own = await call(owner)

    assert [r.status_code for r in refused] == [404, 404], [r.text for r in refused]
    assert all(r.headers["content-type"] == "application/problem+json" for r in refused)
    assert own.status_code == done, own.text
    staff = auth(Role.HRSS_STAFF)
    if endpoint == "apply":
        [app] = (await client.get("/v1/card-applications", headers=staff)).json()["items"]
        assert app["id"] == own.json()["id"]
    elif endpoint == "lookup":
        assert [o["level"] for o in own.json()] == ["C"]
    elif endpoint == "claim":
        assert [c["id"] for c in (await client.get("/v1/me/cards", headers=owner)).json()] == [
            own.json()["id"]
        ]
        assert (await client.get("/v1/me/cards", headers=someone_else)).json() == []


async def test_a_refusal_does_not_tell_whether_anything_exists(runtime, client, auth):
    offer_id = await open_offer(runtime, client, auth)  # person 1's
    issued = await client.post(
        "/v1/cards",
        json={"resident_id": make_resident_id(3), "level": "C", "city_code": NANJING},
        headers=auth(Role.HRSS_STAFF),
    )
    assert issued.status_code == 201
    # Person 4 is verified and holds nothing: their own calls find nothing (404).
    nobody = make_resident_id(4)
    person_4 = auth(Role.SEEKER, "account-4", person=nobody)

    for path, holder in (
        (f"/v1/card-offers/{offer_id}/accept", 1),
        (f"/v1/card-offers/{offer_id}/decline", 1),
        ("/v1/me/cards/claim", 3),
    ):
        # Naming the person who does hold it answers exactly as nothing there does.
        theirs = await client.post(
            path, json={"resident_id": make_resident_id(holder)}, headers=person_4
        )
        own = await client.post(path, json={"resident_id": nobody}, headers=person_4)
        assert own.status_code == 404, own.text
        assert (theirs.status_code, theirs.json()) == (own.status_code, own.json()), path


async def test_staff_still_act_for_a_person_in_their_district(runtime, client, auth):
    await offer_in(runtime, 1, YANGZHOU)
    yz_staff = auth(Role.HRSS_STAFF, "yz-staff", district=YANGZHOU)
    nj_staff = auth(Role.HRSS_STAFF, "nj-staff", district=NANJING)
    body = {"resident_id": OWNER}

    seen = await client.post("/v1/card-offers/lookup", json=body, headers=yz_staff)
    unseen = await client.post("/v1/card-offers/lookup", json=body, headers=nj_staff)
    applied = await client.post(
        "/v1/card-applications", json=application(1, YANGZHOU), headers=yz_staff
    )

    assert [o["level"] for o in seen.json()] == ["C"]
    assert (unseen.status_code, unseen.json()) == (200, [])
    assert applied.status_code == 201, applied.text


# --- access audit ---------------------------------------------------------------------------


async def test_personal_data_reads_are_audited(runtime, client, auth):
    await offer_in(runtime, 1, YANGZHOU)
    seeker = auth(Role.SEEKER, "account-1", person=make_resident_id(1))
    staff = auth(Role.HRSS_STAFF, "staff-7")
    app = (
        await client.post("/v1/card-applications", json=application(1, NANJING), headers=seeker)
    ).json()

    await client.post(
        "/v1/card-offers/lookup", json={"resident_id": make_resident_id(1)}, headers=seeker
    )
    await client.post(
        "/v1/card-offers/lookup", json={"resident_id": make_resident_id(3)}, headers=staff
    )
    own = await client.get(f"/v1/card-applications/{app['id']}", headers=seeker)
    by_staff = await client.get(f"/v1/card-applications/{app['id']}", headers=staff)
    await client.get("/v1/card-applications", headers=staff)
    no_card = await client.post(
        "/v1/me/cards/claim", json={"resident_id": make_resident_id(1)}, headers=seeker
    )
    card_id = await card_in(client, auth, 5, NANJING)
    claimed = await client.post(
        "/v1/me/cards/claim",
        json={"resident_id": make_resident_id(5)},
        headers=auth(Role.SEEKER, "account-5", person=make_resident_id(5)),
    )
    employments = await client.get(f"/v1/cards/{card_id}/employments", headers=staff)
    holder = auth(Role.SEEKER, "account-5")
    assert (await client.get(f"/v1/cards/{card_id}/credential", headers=holder)).status_code == 200
    assert (await client.get(f"/v1/cards/{card_id}/credential", headers=staff)).status_code == 200
    assert (await client.get(f"/v1/cards/{card_id}", headers=staff)).status_code == 200

    assert (own.status_code, by_staff.status_code) == (200, 200)
    assert (no_card.status_code, claimed.status_code, employments.status_code) == (404, 200, 200)
    reads = await entries(client, auth, action=audit.READ_PERSONAL_DATA)
    by_purpose: dict[str, list[dict]] = {}
    for entry in reversed(reads):
        by_purpose.setdefault(entry["purpose"], []).append(entry)

    pii = runtime.personal_data
    lookups = by_purpose["card offer lookup by resident ID"]
    assert [(e["actor"], e["object_id"]) for e in lookups] == [
        ("account-1", pii.person_key(make_resident_id(1))),
        ("staff-7", pii.person_key(make_resident_id(3))),
    ]
    assert lookups[0]["details"]["levels"] == ["C"] and lookups[1]["details"]["offer_ids"] == []
    [review] = by_purpose["application review"]  # the applicant's own read is not audited
    assert (review["actor"], review["object_type"], review["object_id"]) == (
        "staff-7",
        "card_application",
        app["id"],
    )
    assert review["details"]["rules"] == ["doctorate"]
    assert review["actor_roles"] == ["hrss_staff"]
    assert [e["object_id"] for e in by_purpose["application list"]] == [app["id"]]
    claims = by_purpose["card claim by resident ID"]
    assert [(e["actor"], e["details"]["outcome"]) for e in claims] == [
        ("account-1", "no_card"),
        ("account-5", "already_bound"),
    ]
    assert claims[1]["details"]["card_id"] == card_id
    [history] = by_purpose["card holder employment history"]
    assert (history["object_id"], history["details"]["employments"]) == (card_id, 0)
    # The holder's own credential read is not audited; staff reads of card and token are.
    assert [e["actor"] for e in by_purpose["card credential"]] == ["staff-7"]
    assert [e["object_id"] for e in by_purpose["card record"]] == [card_id]
    text = str(reads)
    assert not any(make_resident_id(n) in text for n in range(1, 6))


async def test_card_decisions_are_audited_with_codes(client, auth):
    staff = auth(Role.HRSS_STAFF, "staff-7")
    issued = await client.post(
        "/v1/cards",
        json={"resident_id": make_resident_id(1), "level": "C", "city_code": NANJING},
        headers=staff,
    )
    card_id = issued.json()["id"]
    for change in ("suspend", "reinstate", "revoke"):
        r = await client.post(
            f"/v1/cards/{card_id}/{change}", json={"reason": "张三 举报"}, headers=staff
        )
        assert r.status_code == 200, r.text
    refused = await client.post(
        f"/v1/cards/{card_id}/reinstate", json={"reason": "x"}, headers=staff
    )
    # An application approved at a higher level replaces (revokes) the card it supersedes.
    upgraded = await card_in(client, auth, 2, NANJING)
    app = (
        await client.post(
            "/v1/card-applications",
            json=application(2, NANJING, education="doctorate"),
            headers=staff,
        )
    ).json()
    rejected = await client.post(
        f"/v1/card-applications/{app['id']}/reject", json={"note": "材料不全"}, headers=staff
    )

    assert (issued.status_code, refused.status_code, rejected.status_code) == (201, 409, 200)
    trail = list(reversed(await entries(client, auth, object_id=card_id)))
    assert [e["action"] for e in trail] == [
        "issue_card",
        "suspend_card",
        "reinstate_card",
        "revoke_card",
    ]
    assert all(e["actor"] == "staff-7" and e["purpose"] for e in trail)
    issue = trail[0]["details"]
    assert (issue["level"], issue["source"], issue["rules"]) == (
        "C",
        "staff_decision",
        ["staff-decision"],
    )
    assert issue["criteria_version"] and issue["signing_kid"]
    assert [(e["details"]["from_status"], e["details"]["to_status"]) for e in trail[1:]] == [
        ("active", "suspended"),
        ("suspended", "active"),
        ("active", "revoked"),
    ]
    assert "张三" not in str(trail)  # free-text reasons stay out of the audit details

    [issued_upgrade] = await entries(client, auth, object_id=upgraded, action="issue_card")
    assert issued_upgrade["details"]["source"] == "application"
    assert issued_upgrade["details"]["level"] == "A"
    reviews = await entries(client, auth, action="review_card_application")
    assert {(e["details"]["decision"], e["object_id"]) for e in reviews} >= {
        ("rejected", app["id"])
    }
    assert (await client.get("/v1/audit/verify", headers=auth(Role.AUDITOR))).json()["ok"]


async def test_a_superseded_card_is_audited_as_revoked(client, auth):
    staff = auth(Role.HRSS_STAFF, "staff-7")
    seeker = auth(Role.SEEKER, "account-1", person=make_resident_id(1))
    first = (
        await client.post("/v1/card-applications", json=application(1, NANJING), headers=seeker)
    ).json()
    first_card = (
        await client.post(f"/v1/card-applications/{first['id']}/approve", json={}, headers=staff)
    ).json()["card_id"]
    higher = (
        await client.post(
            "/v1/card-applications",
            json=application(1, NANJING, talent_programme="national"),
            headers=seeker,
        )
    ).json()
    await client.post(f"/v1/card-applications/{higher['id']}/approve", json={}, headers=staff)

    [revoked] = await entries(client, auth, object_id=first_card, action="revoke_card")
    assert revoked["details"]["cause"] == "superseded"
    assert revoked["actor"] == "staff-7"


async def test_entitlement_uses_and_refusals_are_audited(client, auth):
    card_id = await card_in(client, auth, 1, NANJING)
    token = await credential(client, auth, card_id)
    hospital = auth(Role.VERIFIER, "desk-1", uscc=HOSPITAL)

    def use(reference: str) -> dict:
        return {"credential": token, "entitlement": "health_check", "reference": reference}

    first = await client.post("/v1/entitlement-uses", json=use("v-1"), headers=hospital)
    retry = await client.post("/v1/entitlement-uses", json=use("v-1"), headers=hospital)
    over = await client.post("/v1/entitlement-uses", json=use("v-2"), headers=hospital)

    assert (first.status_code, retry.status_code, over.status_code) == (201, 200, 409)
    [used] = await entries(client, auth, action="use_entitlement")
    assert (used["actor"], used["object_type"], used["object_id"]) == (
        "desk-1",
        "entitlement_use",
        first.json()["id"],
    )
    assert used["details"]["card_id"] == card_id
    assert (used["details"]["entitlement"], used["details"]["partner_uscc"]) == (
        "health_check",
        HOSPITAL,
    )
    [refusal] = await entries(client, auth, action="refuse_entitlement_use")
    assert (refusal["object_id"], refusal["details"]["refusal"]) == (
        card_id,
        "entitlement-limit-reached",
    )
    assert (refusal["details"]["limit"], refusal["details"]["used"]) == (1, 1)
    # The refusal's audit entry is committed, the use is not recorded.
    listed = (await client.get("/v1/entitlement-uses", headers=hospital)).json()["items"]
    assert [u["reference"] for u in listed] == ["v-1"]


async def test_an_offer_made_on_an_event_is_audited_for_the_consumer(runtime, client, auth):
    await offer_in(runtime, 1, YANGZHOU)

    [offer] = await entries(client, auth, action="offer_card")

    assert offer["actor"] == "consumer:talent-card" and offer["actor_roles"] == []
    assert (offer["details"]["level"], offer["details"]["rules"]) == ("C", ["senior-technician"])
    assert offer["details"]["source_key"].startswith("training_certified:")


async def test_only_auditors_read_the_trail(client, auth):
    for role in (Role.HRSS_STAFF, Role.SEEKER, Role.VERIFIER, Role.ADMIN):
        r = await client.get("/v1/audit/entries", headers=auth(role))
        assert r.status_code == 403, role
