"""Gig markets and postings through the API on a real PostgreSQL."""

import pytest

from suxin_devkit.testing import make_uscc

from .conftest import STAFF, bearer

pytestmark = pytest.mark.integration

MARKET = {
    "name": "扬州市零工市场",
    "level": "city",
    "city_code": "3210",
    "provincial_level": True,
    "opened_on": "2023-05-01",
}
ENTERPRISE = make_uscc(7, region="321002")
AS_ENTERPRISE = bearer("enterprise", uscc=ENTERPRISE)
AS_OTHER_ENTERPRISE = bearer("enterprise", uscc=make_uscc(8, region="321002"))


async def test_markets_are_registered_by_staff_listed_by_city_and_unique_by_name(client):
    r = await client.post("/v1/gig-markets", json=MARKET, headers=bearer("seeker"))
    assert r.status_code == 403
    r = await client.post("/v1/gig-markets", json=MARKET, headers=STAFF)
    assert r.status_code == 201, r.text
    assert r.json()["provincial_level"] is True
    assert (await client.post("/v1/gig-markets", json=MARKET, headers=STAFF)).status_code == 409
    county = {**MARKET, "name": "邗江区零工市场", "level": "county", "provincial_level": False}
    r = await client.post("/v1/gig-markets", json=county, headers=STAFF)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "district_code"
    r = await client.post(
        "/v1/gig-markets", json=county | {"district_code": "321003"}, headers=STAFF
    )
    assert r.status_code == 201
    r = await client.post("/v1/gig-markets", json=MARKET | {"status": "x"}, headers=STAFF)
    assert r.status_code == 422  # unknown fields are refused

    r = await client.get("/v1/gig-markets", params={"city_code": "3210"}, headers=bearer("seeker"))
    assert [m["name"] for m in r.json()["items"]] == ["扬州市零工市场", "邗江区零工市场"]
    r = await client.get(
        "/v1/gig-markets", params={"provincial_level": "true"}, headers=bearer("seeker")
    )
    assert [m["name"] for m in r.json()["items"]] == ["扬州市零工市场"]
    r = await client.get("/v1/gig-markets", params={"limit": 1}, headers=STAFF)
    page2 = await client.get(
        "/v1/gig-markets", params={"limit": 1, "cursor": r.json()["next_cursor"]}, headers=STAFF
    )
    assert [m["name"] for m in page2.json()["items"]] == ["邗江区零工市场"]
    assert page2.json()["next_cursor"] is None
    r = await client.get("/v1/gig-markets", params={"city_code": "9999"}, headers=STAFF)
    assert r.status_code == 422
    r = await client.get("/v1/gig-markets", params={"cursor": "!!"}, headers=STAFF)
    assert r.status_code == 422
    assert (await client.get("/v1/gig-markets")).status_code == 401


async def test_postings_are_published_by_enterprises_at_a_market_and_closed_once(client):
    market = (await client.post("/v1/gig-markets", json=MARKET, headers=STAFF)).json()
    posting = {
        "title": "仓储分拣（日结）",
        "occupation_code": "4-02-06-03",
        "district_code": "321002",
        "pay_unit": "day",
        "pay_fen": 18000,
        "headcount": 5,
        "starts_on": "2099-01-01",
        "ends_on": "2099-01-31",
    }
    url = f"/v1/gig-markets/{market['id']}/postings"
    r = await client.post(url, json=posting, headers=AS_ENTERPRISE)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["poster_uscc"] == ENTERPRISE and created["status"] == "open"
    r = await client.post(url, json=posting | {"poster_uscc": make_uscc(8)}, headers=AS_ENTERPRISE)
    assert r.status_code == 403
    r = await client.post(url, json=posting | {"district_code": "320102"}, headers=STAFF)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "district_code"
    r = await client.post(url, json=posting | {"pay_fen": 12.5}, headers=STAFF)
    assert r.status_code == 422
    missing = "/v1/gig-markets/00000000-0000-0000-0000-000000000000/postings"
    assert (await client.post(missing, json=posting, headers=STAFF)).status_code == 404

    r = await client.get(url, headers=bearer("seeker"))
    assert [p["id"] for p in r.json()["items"]] == [created["id"]]
    close = f"/v1/gig-postings/{created['id']}/close"
    assert (await client.post(close, headers=AS_OTHER_ENTERPRISE)).status_code == 404
    r = await client.post(close, headers=AS_ENTERPRISE)
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert (await client.post(close, headers=AS_ENTERPRISE)).status_code == 409
    assert (await client.get(url, headers=STAFF)).json()["items"] == []
