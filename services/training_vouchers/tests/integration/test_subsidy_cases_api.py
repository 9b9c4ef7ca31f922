"""The subsidy-case API over a real database: who sees which cases, pages, and problems."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from suxin_common.auth import Role, mint_dev_token
from suxin_common.web import PROBLEM_MEDIA_TYPE

pytestmark = pytest.mark.integration

ENTERPRISE_USCC = "91321000MA1XXXXX18"
OTHER_USCC = "91320100MA1YYYYY2C"

START = datetime(2026, 9, 18, 2, 0, tzinfo=UTC)


def bearer(runtime, *roles: Role, uscc: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(runtime.settings, 'u', roles, uscc=uscc)}"}


@pytest.fixture
async def hires(make_hire, deliver):
    """Three hires of our enterprise and two of another, one case each, a minute apart."""
    events = [make_hire(ENTERPRISE_USCC) for _ in range(3)]
    events += [make_hire(OTHER_USCC) for _ in range(2)]
    for n, event in enumerate(events):
        await deliver(event, at=START + timedelta(minutes=n))
    return events


async def all_pages(client, headers, limit: int, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        query = {"limit": limit, **params} | ({"cursor": cursor} if cursor else {})
        response = await client.get("/v1/subsidy-cases", params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def test_staff_page_through_every_case_newest_first(client, runtime, hires):
    items = await all_pages(client, bearer(runtime, Role.HRSS_STAFF), limit=2)

    assert [i["hire_id"] for i in items] == [e.hire_id for e in reversed(hires)]
    assert all(i["person_key"] for i in items)
    assert items[0]["review_deadline"] is None
    assert items[0]["status"] == "awaiting_data"


async def test_staff_filter_by_enterprise_and_hire(client, runtime, hires):
    staff = bearer(runtime, Role.HRSS_STAFF)

    other = await all_pages(client, staff, limit=200, enterprise_uscc=OTHER_USCC)
    assert {i["hire_id"] for i in other} == {e.hire_id for e in hires[3:]}

    [one] = await all_pages(client, staff, limit=200, hire_id=hires[1].hire_id)
    assert one["rule_id"] == "job_expansion_youth"


async def test_an_enterprise_sees_only_its_own_cases_without_person_keys(client, runtime, hires):
    own = bearer(runtime, Role.ENTERPRISE, uscc=ENTERPRISE_USCC)

    items = await all_pages(client, own, limit=1)

    assert [i["hire_id"] for i in items] == [e.hire_id for e in reversed(hires[:3])]
    assert {i["enterprise_uscc"] for i in items} == {ENTERPRISE_USCC}
    assert all(i["person_key"] is None for i in items)
    # Asking for another enterprise's hire returns nothing of it.
    assert await all_pages(client, own, limit=10, hire_id=hires[4].hire_id) == []


async def test_one_case_by_id(client, runtime, hires):
    staff = bearer(runtime, Role.HRSS_STAFF)
    [case] = await all_pages(client, staff, limit=200, hire_id=hires[0].hire_id)

    response = await client.get(f"/v1/subsidy-cases/{case['id']}", headers=staff)
    assert response.status_code == 200
    assert response.json() == case

    own = bearer(runtime, Role.ENTERPRISE, uscc=ENTERPRISE_USCC)
    response = await client.get(f"/v1/subsidy-cases/{case['id']}", headers=own)
    assert response.status_code == 200
    assert response.json()["person_key"] is None

    # Another enterprise's case does not exist for the caller.
    other = bearer(runtime, Role.ENTERPRISE, uscc=OTHER_USCC)
    response = await client.get(f"/v1/subsidy-cases/{case['id']}", headers=other)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE


async def test_a_missing_case_is_a_404_problem(client, runtime):
    response = await client.get(
        f"/v1/subsidy-cases/{uuid.uuid4()}", headers=bearer(runtime, Role.HRSS_STAFF)
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["type"] == "urn:suxin:problem:not-found"
