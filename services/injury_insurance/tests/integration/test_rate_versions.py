"""Contribution-rate versions under four eyes: a proposed version prices nothing until a second
staff member of city level approves it, and then only from its effective date."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from injury_insurance.adapters import rate_versions
from injury_insurance.domain.orders import CST, Industry
from injury_insurance.rates import file_rate_book, install_rate_book, rate_book
from suxin_common.auth import Role

pytestmark = pytest.mark.integration


@pytest.fixture
def book_restored():
    yield
    install_rate_book(file_rate_book())  # the process's book, as the other tests expect it


async def test_an_unapproved_rate_version_does_not_take_effect(
    kit, runtime, client, book_restored
) -> None:
    tomorrow = datetime.now(UTC).astimezone(CST).date() + timedelta(days=1)
    order_then = datetime.combine(tomorrow, time(10), tzinfo=CST)
    maker = kit.as_subject(runtime, Role.HRSS_STAFF, "rates-maker")
    body = {"effective_from": tomorrow.isoformat(), "rates_fen": {"instant_delivery": 9}}

    today = await client.put(
        "/v1/contribution-rates/js-test-today",
        json=body | {"effective_from": (tomorrow - timedelta(days=1)).isoformat()},
        headers=maker,
    )
    proposed = await client.put("/v1/contribution-rates/js-test-1", json=body, headers=maker)
    await rate_versions.refresh(runtime.sessions)
    before = rate_book().rate_for(Industry.INSTANT_DELIVERY, order_then)

    def check(subject: str, district: str | None = None, **extra):
        return client.post(
            f"/v1/approvals/{proposed.json()['approval_id']}/check",
            json={"verdict": "confirm"} | extra,
            headers=kit.as_subject(runtime, Role.HRSS_STAFF, subject, district=district),
        )

    own = await check("rates-maker")
    district = await check("district-clerk", "320102")
    city = await check("city-officer", "3201")
    await rate_versions.refresh(runtime.sessions)
    after = rate_book().rate_for(Industry.INSTANT_DELIVERY, order_then)
    today_rate = rate_book().rate_for(Industry.INSTANT_DELIVERY, datetime.now(UTC))
    listed = await client.get("/v1/contribution-rates", headers=maker)

    assert today.status_code == 422 and today.json()["errors"][0]["field"] == "effective_from"
    assert proposed.status_code == 202, proposed.text
    assert proposed.json()["status"] == "proposed"
    assert (before.version, before.fen) == ("national-default-2022.07", 7)  # not in force
    assert own.status_code == 403 and own.json()["four_eyes"] == "own-work"
    assert district.status_code == 403 and district.json()["four_eyes"] == "level"
    assert city.status_code == 200, city.text
    assert (after.version, after.fen) == ("js-test-1", 9)
    assert today_rate.fen == 7  # orders accepted before the effective date keep their rate
    mine = [v for v in listed.json() if v["version"] == "js-test-1"]
    assert {(v["status"], v["source"]) for v in mine} == {
        ("in_book", "service"),
        ("approved", "service"),
    }
    assert mine[-1]["approved_by"] == "city-officer"


async def test_a_refused_rate_version_never_takes_effect(
    kit, runtime, client, book_restored
) -> None:
    tomorrow = datetime.now(UTC).astimezone(CST).date() + timedelta(days=1)
    maker = kit.as_subject(runtime, Role.HRSS_STAFF, "rates-maker")
    r = await client.put(
        "/v1/contribution-rates/js-test-2",
        json={"effective_from": tomorrow.isoformat(), "rates_fen": {"ride_hailing": 5}},
        headers=maker,
    )
    refused = await client.post(
        f"/v1/approvals/{r.json()['approval_id']}/check",
        json={"verdict": "refuse", "reason": "未经费率测算"},
        headers=kit.as_subject(runtime, Role.HRSS_STAFF, "province-officer"),
    )
    await rate_versions.refresh(runtime.sessions)

    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert "js-test-2" not in {v.version for v in rate_book().versions}
    again = await client.put(
        "/v1/contribution-rates/js-test-2",
        json={"effective_from": tomorrow.isoformat(), "rates_fen": {"ride_hailing": 5}},
        headers=maker,
    )
    assert again.status_code == 409  # a version name is never reused
