"""The security pass on gig-market: partner scopes, no BOLA (another platform's objects are
404), HRSS staff by district, audited real-name registration and worker reads, input
hardening and page-size caps."""

import pytest

from suxin_devkit.testing import make_resident_id, make_uscc

from .conftest import (
    AS_A,
    AS_B,
    PLATFORM_A,
    PLATFORM_B,
    PLATFORM_SCOPES,
    STAFF,
    bearer,
    register_platform,
)

pytestmark = pytest.mark.integration

AUDITOR = bearer("auditor")
URL_A = f"/v1/platforms/{PLATFORM_A}"
ORDER = {
    "order_id": "o-1",
    "worker_id": "a1",
    "industry": "instant_delivery",
    "status": "accepted",
    "accepted_at": "2026-11-20T10:00:00+08:00",
}


def platform_a(*scopes: str) -> dict[str, str]:
    return bearer("platform", scopes, platform_id="client-a")


def staff_of(district: str) -> dict[str, str]:
    return bearer("hrss_staff", district=district)


async def audit_entries(client, **filters) -> list[dict]:
    r = await client.get("/v1/audit/entries", params=filters | {"limit": 200}, headers=AUDITOR)
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def test_platform_tokens_need_the_scope_of_each_route_staff_need_none(client, two_platforms):
    reports = f"{URL_A}/order-reports"
    worker = {"worker_id": "a9", "resident_id": make_resident_id(9), "name": "李四"}
    worker |= {"city_code": "3201"}
    checks = [
        ("POST", reports, {"orders": [ORDER]}, "orders:write"),
        ("GET", f"{URL_A}/orders", None, "orders:read"),
        ("POST", f"{URL_A}/workers", worker, "workers:write"),
        ("GET", f"{URL_A}/workers", None, "workers:read"),
        ("GET", f"{URL_A}/workers/a1", None, "workers:read"),
        ("GET", URL_A, None, "platforms:read"),
    ]
    for method, url, body, scope in checks:
        others = tuple(s for s in PLATFORM_SCOPES if s != scope)
        r = await client.request(method, url, json=body, headers=platform_a(*others))
        assert r.status_code == 403, (method, url, r.text)
        assert r.json()["required_scopes"] == [scope]
        assert "insufficient_scope" in r.headers["www-authenticate"]
        r = await client.request(method, url, json=body, headers=platform_a(scope))
        assert r.status_code in (200, 201), (method, url, r.text)
    # HRSS staff (user tokens, no scopes) read and register workers and read orders.
    for method, url, body, _ in checks[1:]:
        if body is not None:
            body = body | {"worker_id": "a10", "resident_id": make_resident_id(10)}
        r = await client.request(method, url, json=body, headers=STAFF)
        assert r.status_code in (200, 201), (method, url, r.text)
    # Reporting orders is the platform's own act: not staff's, not another platform's.
    assert (await client.post(reports, json={"orders": [ORDER]}, headers=STAFF)).status_code == 403


async def test_another_platforms_workers_orders_and_reports_answer_404(client, two_platforms):
    r = await client.post(f"{URL_A}/order-reports", json={"orders": [ORDER]}, headers=AS_A)
    assert r.status_code == 200 and r.json()["new"] == 1
    for method, url, body in [
        ("POST", f"{URL_A}/order-reports", {"orders": [ORDER | {"order_id": "b-1"}]}),
        ("GET", f"{URL_A}/orders", None),
        ("GET", f"{URL_A}/workers", None),
        ("GET", f"{URL_A}/workers/a1", None),
        ("GET", URL_A, None),
        ("POST", f"{URL_A}/workers", {"worker_id": "x", "resident_id": make_resident_id(77)}),
    ]:
        if body and "resident_id" in body:
            body |= {"name": "赵六", "city_code": "3201"}
        r = await client.request(method, url, json=body, headers=AS_B)
        assert r.status_code == 404, (method, url, r.text)
    # B's own worker ids do not reach A's: reporting an order for b1 at A is a row error.
    r = await client.post(
        f"{URL_A}/order-reports",
        json={"orders": [ORDER | {"order_id": "o-2", "worker_id": "b1"}]},
        headers=AS_A,
    )
    assert r.json()["errors"][0]["type"] == "urn:suxin:problem:worker-not-found"
    # A platform token without the platform_id claim sees no platform at all.
    anonymous_platform = bearer("platform", PLATFORM_SCOPES)
    assert (await client.get(URL_A, headers=anonymous_platform)).status_code == 404


async def test_staff_see_the_markets_postings_and_platforms_of_their_district(client):
    nanjing = {"name": "南京市零工市场", "level": "city", "city_code": "3201"}
    nanjing |= {"opened_on": "2023-01-01"}
    hanjiang = nanjing | {"name": "邗江区零工市场", "level": "county", "city_code": "3210"}
    hanjiang |= {"district_code": "321003"}
    yangzhou = nanjing | {"name": "扬州市零工市场", "city_code": "3210"}
    # Staff create only within their district scope.
    assert (
        await client.post("/v1/gig-markets", json=nanjing, headers=staff_of("3210"))
    ).status_code == 403
    ids = {}
    for market, who in ((nanjing, "32"), (hanjiang, "321003"), (yangzhou, "3210")):
        r = await client.post("/v1/gig-markets", json=market, headers=staff_of(who))
        assert r.status_code == 201, r.text
        ids[market["name"]] = r.json()["id"]

    async def names(headers) -> list[str]:
        r = await client.get("/v1/gig-markets", headers=headers)
        return sorted(m["name"] for m in r.json()["items"])

    everything = sorted(ids)
    assert await names(STAFF) == everything  # province level (no district claim)
    assert await names(staff_of("32")) == everything
    assert await names(bearer("seeker")) == everything  # market information is public
    assert await names(staff_of("3210")) == ["扬州市零工市场", "邗江区零工市场"]
    assert await names(staff_of("321003")) == ["邗江区零工市场"]
    nanjing_url = f"/v1/gig-markets/{ids['南京市零工市场']}"
    assert (await client.get(nanjing_url, headers=staff_of("3210"))).status_code == 404
    r = await client.get(f"{nanjing_url}/postings", headers=staff_of("3210"))
    assert r.status_code == 404
    assert (await client.get(nanjing_url, headers=staff_of("3201"))).status_code == 200

    posting = {
        "title": "仓储分拣（日结）",
        "occupation_code": "4-02-06-03",
        "district_code": "321003",
        "pay_unit": "day",
        "pay_fen": 20000,
        "headcount": 3,
        "starts_on": "2099-01-01",
        "ends_on": "2099-01-31",
    }
    hanjiang_url = f"/v1/gig-markets/{ids['邗江区零工市场']}/postings"
    r = await client.post(hanjiang_url, json=posting, headers=staff_of("321002"))
    assert r.status_code == 404  # the market lies outside 321002
    r = await client.post(
        hanjiang_url, json=posting | {"district_code": "321002"}, headers=staff_of("321003")
    )
    assert r.status_code == 403  # a posting in another district
    r = await client.post(hanjiang_url, json=posting, headers=staff_of("321003"))
    assert r.status_code == 201, r.text
    posting_id = r.json()["id"]
    r = await client.get(hanjiang_url, headers=staff_of("3210"))
    assert [p["id"] for p in r.json()["items"]] == [posting_id]
    close = f"/v1/gig-postings/{posting_id}/close"
    assert (await client.post(close, headers=staff_of("3201"))).status_code == 404
    assert (await client.post(close, headers=staff_of("3210"))).status_code == 200

    # Platforms by the city they are registered in.
    assert (
        await client.post(
            "/v1/platforms",
            json={
                "uscc": PLATFORM_A,
                "name": "某配送平台",
                "client_id": "client-a",
                "industries": ["instant_delivery"],
                "city_code": "3201",
            },
            headers=staff_of("3210"),
        )
    ).status_code == 403
    await register_platform(client, PLATFORM_A, "client-a")  # 3201, by province staff
    await register_platform(client, PLATFORM_B, "client-b", city_code="3210")
    r = await client.get("/v1/platforms", headers=staff_of("3210"))
    assert [p["uscc"] for p in r.json()["items"]] == [PLATFORM_B]
    for method, url in (
        ("GET", URL_A),
        ("GET", f"{URL_A}/workers"),
        ("GET", f"{URL_A}/orders"),
        ("PATCH", URL_A),
    ):
        body = {"pilot": False} if method == "PATCH" else None
        r = await client.request(method, url, json=body, headers=staff_of("3210"))
        assert r.status_code == 404, (method, url)
    assert (await client.get(URL_A, headers=staff_of("320102"))).status_code == 404
    assert (await client.get(URL_A, headers=staff_of("3201"))).status_code == 200


async def test_real_name_registration_and_worker_reads_are_audited(client, runtime):
    await register_platform(client, PLATFORM_A, "client-a")
    resident_id = make_resident_id(5, born="19880808")
    body = {"worker_id": "r-1", "resident_id": resident_id, "name": "周八", "city_code": "3201"}
    r = await client.post(f"{URL_A}/workers", json=body, headers=AS_A)
    assert r.status_code == 201
    worker = f"{PLATFORM_A}/r-1"
    [registered] = await audit_entries(client, action="register_real_name")
    assert (registered["object_type"], registered["object_id"]) == ("gig_worker", worker)
    assert registered["actor_roles"] == ["platform"]

    # A refused registration (same worker id) leaves no entry: the entry commits with it.
    assert (await client.post(f"{URL_A}/workers", json=body, headers=AS_A)).status_code == 409
    assert len(await audit_entries(client, action="register_real_name")) == 1

    assert (await client.get(f"{URL_A}/workers/r-1", headers=STAFF)).status_code == 200
    assert (await client.get(f"{URL_A}/workers", headers=AS_A)).status_code == 200
    reads = await audit_entries(client, action="read_personal_data", object_id=worker)
    assert sorted(e["purpose"] for e in reads) == ["worker list (masked)", "worker record (masked)"]
    assert sorted(e["actor_roles"] for e in reads) == [["hrss_staff"], ["platform"]]
    # Refused reads are not reads.
    assert (await client.get(f"{URL_A}/workers/r-1", headers=AS_B)).status_code == 404
    assert len(await audit_entries(client, action="read_personal_data")) == 2
    # ... but refused attempts, with the caller (issue 22).
    [denied] = await audit_entries(client, action="access_denied")
    assert denied["actor_roles"] == ["platform"] and denied["details"]["status"] == 404

    r = await client.get("/v1/audit/verify", headers=AUDITOR)
    assert r.json()["ok"] is True and r.json()["checked"] == 4
    r = await client.get("/v1/audit/entries", headers=AUDITOR)
    assert resident_id not in r.text and "周八" not in r.text
    assert (await client.get("/v1/audit/entries", headers=STAFF)).status_code == 403


async def test_bodies_refuse_unknown_fields_and_pages_are_capped(client, two_platforms):
    worker = {"worker_id": "a5", "resident_id": make_resident_id(55), "name": "吴九"}
    worker |= {"city_code": "3201"}
    for extra in ({"person_key": "x"}, {"masked_resident_id": "x"}, {"platform_uscc": "x"}):
        r = await client.post(f"{URL_A}/workers", json=worker | extra, headers=AS_A)
        assert r.status_code == 422, extra
        assert r.json()["errors"][0]["field"] == next(iter(extra))
    r = await client.patch(URL_A, json={"client_id": "client-b"}, headers=STAFF)
    assert r.status_code == 422  # the client id is fixed at registration
    r = await client.post(
        "/v1/gig-markets",
        json={
            "name": "  苏州市零工市场  ",
            "level": "city",
            "city_code": "3205",
            "opened_on": "2024-01-01",
        },
        headers=STAFF,
    )
    assert r.status_code == 201 and r.json()["name"] == "苏州市零工市场"  # stripped

    # An order row with a field the platform may not set is that row's error, not the batch's.
    rows = [ORDER, ORDER | {"order_id": "o-2", "version": 9}]
    r = await client.post(f"{URL_A}/order-reports", json={"orders": rows}, headers=AS_A)
    assert r.status_code == 200
    out = r.json()
    assert (out["new"], out["rejected"]) == (1, 1)
    assert out["errors"][0]["index"] == 1 and out["errors"][0]["errors"][0]["field"] == "version"
    r = await client.post(
        f"{URL_A}/order-reports", json={"orders": [ORDER], "status": "x"}, headers=AS_A
    )
    assert r.status_code == 422

    for url in (
        "/v1/gig-markets",
        "/v1/platforms",
        f"{URL_A}/workers",
        f"{URL_A}/orders",
    ):
        r = await client.get(url, params={"limit": 201}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "limit", url
        assert (await client.get(url, params={"limit": 200}, headers=STAFF)).status_code == 200


async def test_order_report_envelope_with_a_foreign_platform_is_not_found_before_parsing(
    client, two_platforms
):
    # B may not learn whether A exists, even with a body that would not validate.
    r = await client.post(
        f"{URL_A}/order-reports",
        content=b"not json",
        headers=AS_B | {"content-type": "application/json"},
    )
    assert r.status_code == 404
    r = await client.post(
        f"/v1/platforms/{make_uscc(303)}/order-reports", json={"orders": [ORDER]}, headers=AS_A
    )
    assert r.status_code == 404
