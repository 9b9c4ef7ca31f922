"""The security pass over HTTP: platforms known by tenant.uscc with per-route scopes, another
platform's worker/claim/ledger answering 404, HRSS staff limited to their district, request
bodies refusing unknown fields, capped pages, and the access audit of cover reads, claim
decisions and payments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from injury_insurance.api import scope
from suxin_common.auth import Role
from suxin_common.security import audit, four_eyes

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
CLIENT_A = "platform-a-client"  # the client id gig-market registered for platform A


@pytest.fixture
async def work(kit, runtime):
    """Platform A (registered in 南京 3201) with worker w1 = person(1), one order o1 in 3201
    from T0 to T0+30min; platform B (also 3201) with worker x9 = person(2)."""
    for uscc in (kit.PLATFORM_A, kit.PLATFORM_B):
        await kit.deliver(runtime, kit.platform_registered(uscc))
    await kit.deliver(runtime, kit.worker_registered(kit.PLATFORM_A, "w1", n=1))
    await kit.deliver(runtime, kit.worker_registered(kit.PLATFORM_B, "x9", n=2))
    await kit.deliver(
        runtime, kit.orders_reported([kit.an_order("o1", T0, completed_at=T0 + 30 * MIN)])
    )


def platform_a(kit, runtime, **kwargs) -> dict[str, str]:
    """Platform A's partner token as the IdP issues it: tenant.uscc and tenant.platform_id."""
    return kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A, platform_id=CLIENT_A, **kwargs)


def staff(kit, runtime, district: str | None = None) -> dict[str, str]:
    return kit.as_subject(
        runtime, Role.HRSS_STAFF, f"staff-{district or 'province'}", district=district
    )


def report(kit, **changes) -> dict:
    return {
        "platform_uscc": kit.PLATFORM_A,
        "worker_id": "w1",
        "injured_at": (T0 + 10 * MIN).isoformat(),
        "place": "南京市玄武区中山路",
        "city_code": "3201",
        "district_code": "320102",
        "order_id": "o1",
        "description": "fell off the bike while delivering",
    } | changes


async def audit_rows(kit, runtime) -> list:
    return await kit.rows(
        runtime,
        "SELECT actor, actor_roles, action, object_type, object_id, details FROM audit_log "
        "ORDER BY id",
    )


# --- platform identity and scopes --------------------------------------------------------------


async def test_a_platform_is_known_by_tenant_uscc_and_another_platforms_objects_are_404(
    kit, runtime, client, work
) -> None:
    mine = platform_a(kit, runtime)
    other = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_B, platform_id="platform-b")
    at = quote((T0 + MIN).isoformat())
    claim = (await client.post("/v1/claims", json=report(kit), headers=mine)).json()

    own_cover = await client.get(
        f"/v1/platforms/{kit.PLATFORM_A}/workers/w1/cover?at={at}", headers=mine
    )
    foreign = {
        "worker": await client.get(
            f"/v1/platforms/{kit.PLATFORM_A}/workers/w1/cover?at={at}", headers=other
        ),
        "ledger": await client.get(
            f"/v1/platforms/{kit.PLATFORM_A}/contributions/2026-11", headers=other
        ),
        "reconciliation": await client.get(
            f"/v1/platforms/{kit.PLATFORM_A}/contributions/2026-11/reconciliation",
            headers=other,
        ),
        "claim": await client.get(f"/v1/claims/{claim['id']}", headers=other),
        "history": await client.get(f"/v1/claims/{claim['id']}/history", headers=other),
        "report": await client.post("/v1/claims", json=report(kit), headers=other),
    }
    listed = await client.get("/v1/claims", headers=other)

    assert own_cover.status_code == 200 and own_cover.json()["covered"] is True
    assert {what: r.status_code for what, r in foreign.items()} == dict.fromkeys(foreign, 404)
    assert listed.json()["items"] == []


async def test_platform_id_alone_does_not_name_a_platform(kit, runtime, client, work) -> None:
    # The token of the old convention (tenant.platform_id holding the USCC) is not enough:
    # injury-insurance scopes platforms by tenant.uscc, as the IdP issues partner tokens.
    legacy = kit.auth(runtime, Role.PLATFORM, platform_id=kit.PLATFORM_A)

    r = await client.get(f"/v1/platforms/{kit.PLATFORM_A}/contributions/2026-11", headers=legacy)
    claims = await client.get("/v1/claims", headers=legacy)

    assert r.status_code == claims.status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "needed"),
    [
        ("GET", "/v1/platforms/{uscc}/workers/w1/cover?at=2026-11-03T01:01:00Z", "cover:read"),
        ("GET", "/v1/platforms/{uscc}/contributions/2026-11", "ledger:read"),
        ("GET", "/v1/platforms/{uscc}/contributions/2026-11/reconciliation", "ledger:read"),
        ("GET", "/v1/claims", "claims:read"),
        ("POST", "/v1/claims", "claims:write"),
    ],
)
async def test_platform_routes_need_their_scope(
    kit, runtime, client, work, method, path, needed
) -> None:
    others = tuple(s for s in kit.PLATFORM_SCOPES if s != needed)
    without = platform_a(kit, runtime, scopes=others)
    body = {"json": report(kit)} if method == "POST" else {}
    url = path.format(uscc=kit.PLATFORM_A)

    refused = await client.request(method, url, headers=without, **body)
    allowed = await client.request(method, url, headers=platform_a(kit, runtime), **body)

    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:suxin:problem:insufficient-scope"
    assert needed in refused.headers["WWW-Authenticate"]
    assert allowed.status_code in (200, 201)


async def test_user_tokens_need_no_scopes(kit, runtime, client, work) -> None:
    worker = kit.as_subject(runtime, Role.SEEKER, kit.person(1))

    reported = await client.post("/v1/claims", json=report(kit), headers=worker)
    ledger = await client.get(
        f"/v1/platforms/{kit.PLATFORM_A}/contributions/2026-11", headers=staff(kit, runtime)
    )

    assert reported.status_code == 201
    assert ledger.status_code == 200


# --- input hardening and page sizes -------------------------------------------------------------


@pytest.mark.parametrize("extra", [{"stage": "approved"}, {"amount_fen": 100}, {"x": 1}])
async def test_a_report_cannot_set_what_the_reporter_may_not(
    kit, runtime, client, work, extra
) -> None:
    r = await client.post("/v1/claims", json=report(kit) | extra, headers=platform_a(kit, runtime))

    assert r.status_code == 422
    assert await kit.rows(runtime, "SELECT id FROM claims") == []


async def test_decision_and_payment_bodies_refuse_unknown_fields(
    kit, runtime, client, work
) -> None:
    claim = (
        await client.post("/v1/claims", json=report(kit), headers=platform_a(kit, runtime))
    ).json()
    province = staff(kit, runtime)

    decision = await client.post(
        f"/v1/claims/{claim['id']}/decision",
        json={
            "decision": "approved",
            "amount_fen": 100,
            "injury_category": "medical",
            "stage": "paid",
        },
        headers=province,
    )
    payment = await client.post(
        f"/v1/claims/{claim['id']}/payment",
        json={"reference": "P1", "amount_fen": 999},
        headers=province,
    )

    assert decision.status_code == payment.status_code == 422


async def test_a_district_outside_the_city_is_refused(kit, runtime, client, work) -> None:
    r = await client.post(
        "/v1/claims", json=report(kit, district_code="320202"), headers=platform_a(kit, runtime)
    )

    assert r.status_code == 422


@pytest.mark.parametrize("path", ["/v1/claims", "/v1/coverages"])
async def test_pages_are_capped(kit, runtime, client, path) -> None:
    r = await client.get(f"{path}?limit=201", headers=staff(kit, runtime))

    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "limit"


# --- HRSS staff by district ---------------------------------------------------------------------


async def test_staff_see_the_claims_of_their_district_only(kit, runtime, client, work) -> None:
    platform = platform_a(kit, runtime)
    in_district = (await client.post("/v1/claims", json=report(kit), headers=platform)).json()
    city_only = (
        await client.post("/v1/claims", json=report(kit, district_code=None), headers=platform)
    ).json()

    async def visible(district: str | None) -> set[str]:
        listed = await client.get("/v1/claims", headers=staff(kit, runtime, district))
        return {c["id"] for c in listed.json()["items"]}

    async def get(district: str | None, claim: dict) -> int:
        r = await client.get(f"/v1/claims/{claim['id']}", headers=staff(kit, runtime, district))
        return r.status_code

    both = {in_district["id"], city_only["id"]}
    assert await visible(None) == both  # province
    assert await visible("32") == both
    assert await visible("3201") == both  # the city
    assert await visible("320102") == {in_district["id"]}  # the district of the injury
    assert await visible("320105") == set()  # another district of the city
    assert await visible("3202") == set()  # another city
    assert await get("320102", in_district) == 200
    assert await get("320102", city_only) == 404
    assert await get("320105", in_district) == 404
    assert await get("3202", in_district) == 404

    elsewhere = staff(kit, runtime, "320105")
    decision = await client.post(
        f"/v1/claims/{in_district['id']}/decision",
        json={"decision": "approved", "amount_fen": 100, "injury_category": "medical"},
        headers=elsewhere,
    )
    history = await client.get(f"/v1/claims/{in_district['id']}/history", headers=elsewhere)
    assert decision.status_code == history.status_code == 404


async def test_staff_see_coverages_ledgers_and_order_cover_of_their_area(
    kit, runtime, client, work
) -> None:
    at = quote((T0 + MIN).isoformat())
    cover_of = f"/v1/cover?person_key={kit.person(1)}&at={at}"
    ledger = f"/v1/platforms/{kit.PLATFORM_A}/contributions/2026-11"
    worker = f"/v1/platforms/{kit.PLATFORM_A}/workers/w1/cover?at={at}"
    coverages = await client.get("/v1/coverages", headers=staff(kit, runtime))
    enrolment = coverages.json()["items"][0]  # w1's enrolment on A, city 3201, no district

    def as_staff(district):
        return staff(kit, runtime, district)

    # Order cover is known per city: staff of a district in 3201 see it, of 3202 do not.
    assert (await client.get(cover_of, headers=as_staff("320102"))).json()["covered"] is True
    assert (await client.get(cover_of, headers=as_staff("3202"))).json()["covered"] is False
    assert (await client.get(worker, headers=as_staff("320102"))).status_code == 200
    assert (await client.get(worker, headers=as_staff("320205"))).status_code == 404
    # A platform's ledger: staff whose scope holds the city the platform is registered in.
    assert (await client.get(ledger, headers=as_staff("3201"))).status_code == 200
    assert (await client.get(ledger, headers=as_staff("3202"))).status_code == 404
    # Coverages: by district, else city.
    one = f"/v1/coverages/{enrolment['id']}"
    assert (await client.get(one, headers=as_staff("3201"))).status_code == 200
    assert (await client.get(one, headers=as_staff("3202"))).status_code == 404
    assert (await client.get("/v1/coverages", headers=as_staff("3202"))).json()["items"] == []


# --- the access audit ---------------------------------------------------------------------------


async def test_cover_reads_decisions_and_payments_are_audited(kit, runtime, client, work) -> None:
    province = staff(kit, runtime)
    at = quote((T0 + MIN).isoformat())
    claim = (
        await client.post("/v1/claims", json=report(kit), headers=platform_a(kit, runtime))
    ).json()
    cover = await client.get(f"/v1/cover?person_key={kit.person(1)}&at={at}", headers=province)
    proposed = await client.post(
        f"/v1/claims/{claim['id']}/decision",
        json={"decision": "approved", "amount_fen": 1_500_000, "injury_category": "medical"},
        headers=province,
    )
    check = {"verdict": "confirm"}
    checker = kit.as_subject(runtime, Role.HRSS_STAFF, "checker-province")
    decided = await client.post(
        f"/v1/approvals/{proposed.json()['pending_approval_id']}/check", json=check, headers=checker
    )
    payer = kit.as_subject(runtime, Role.HRSS_STAFF, "payer-province")
    recorded = await client.post(
        f"/v1/claims/{claim['id']}/payment", json={"reference": "JS-PAY-1"}, headers=payer
    )
    treasurer = kit.as_subject(runtime, Role.HRSS_STAFF, "treasurer-province")
    paid = await client.post(
        f"/v1/approvals/{recorded.json()['pending_approval_id']}/check",
        json=check,
        headers=treasurer,
    )
    assert (cover.status_code, decided.status_code, paid.status_code) == (200, 200, 200)

    entries = await audit_rows(kit, runtime)
    actions = [(e.actor, e.action, e.object_type, e.object_id) for e in entries]
    assert actions == [
        ("system:cover-check", audit.DECIDE_CLAIM, "claim", claim["id"]),
        ("staff-province", audit.READ_PERSONAL_DATA, "person", kit.person(1)),
        ("staff-province", four_eyes.PROPOSED, "claim", claim["id"]),
        ("checker-province", four_eyes.CONFIRMED, "claim", claim["id"]),
        ("checker-province", audit.DECIDE_CLAIM, "claim", claim["id"]),
        ("payer-province", four_eyes.PROPOSED, "claim", claim["id"]),
        ("treasurer-province", four_eyes.CONFIRMED, "claim", claim["id"]),
        ("treasurer-province", audit.DECIDE_PAYMENT, "claim", claim["id"]),
    ]
    check, read, decision, payment = (entries[i].details for i in (0, 1, 4, 7))
    assert (check["stage"], check["covering_order_id"]) == ("under_review", "o1")
    assert read["platforms"] == [kit.PLATFORM_A] and read["orders"] == 1
    assert (decision["from_stage"], decision["stage"]) == ("under_review", "approved")
    assert decision["amount_fen"] == 1_500_000
    assert (decision["decided_by"], decision["approved_by"]) == (
        "staff-province",
        "checker-province",
    )
    assert (payment["amount_fen"], payment["reference"]) == (1_500_000, "JS-PAY-1")
    assert entries[4].actor_roles == "hrss_staff"
    engine = create_async_engine(runtime.settings.database_url)
    try:
        assert (await audit.verify_chain(engine)).ok
    finally:
        await engine.dispose()


async def test_a_refused_decision_leaves_no_audit_entry(kit, runtime, client, work) -> None:
    outside = report(kit, injured_at=(T0 - MIN).isoformat())
    rejected = (
        await client.post("/v1/claims", json=outside, headers=platform_a(kit, runtime))
    ).json()
    before = await audit_rows(kit, runtime)

    again = await client.post(
        f"/v1/claims/{rejected['id']}/decision",
        json={"decision": "approved", "amount_fen": 100, "injury_category": "medical"},
        headers=staff(kit, runtime),
    )

    assert rejected["stage"] == "rejected"
    assert before[-1].details["stage"] == "rejected"
    assert again.status_code == 409
    assert await audit_rows(kit, runtime) == before


async def test_staff_reads_of_a_claim_are_audited_not_the_workers_own(
    kit, runtime, client, work
) -> None:
    claim = (
        await client.post("/v1/claims", json=report(kit), headers=platform_a(kit, runtime))
    ).json()
    await client.get(
        f"/v1/claims/{claim['id']}", headers=kit.as_subject(runtime, Role.SEEKER, kit.person(1))
    )
    await client.get(f"/v1/claims/{claim['id']}", headers=staff(kit, runtime, "3201"))

    reads = [e for e in await audit_rows(kit, runtime) if e.action == audit.READ_PERSONAL_DATA]

    assert [(e.actor, e.object_id) for e in reads] == [("staff-3201", claim["id"])]


def test_the_platform_scopes_are_the_documented_ones() -> None:
    assert {scope.COVER_READ, scope.LEDGER_READ, scope.CLAIMS_READ, scope.CLAIMS_WRITE} == {
        "cover:read",
        "ledger:read",
        "claims:read",
        "claims:write",
    }
