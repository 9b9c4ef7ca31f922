"""GET /v1/coverages and /v1/coverages/{id}: HRSS staff see all, an enterprise its own."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from injury_insurance.adapters import repository as repo
from injury_insurance.domain.model import Coverage, CoverageStatus, Scheme
from suxin_common.auth import Role, mint_dev_token

pytestmark = pytest.mark.integration

ACME = "91321000MA1XY0123R"
OTHER = "91320200MA1AB2345M"
PERSON = "pk_" + "1" * 32


async def add(runtime, enterprise_uscc: str, *, person_key: str = PERSON, minutes: int = 0):
    coverage = Coverage(
        id=uuid.uuid4(),
        hire_id=uuid.uuid4(),
        person_key=person_key,
        masked_resident_id="3210**********123X",
        enterprise_uscc=enterprise_uscc,
        scheme=Scheme.WORK_INJURY_INSURANCE,
        status=CoverageStatus.ACTIVE,
        start_date=date(2026, 11, 2),
        city_code="3210",
        district_code="321002",
        started_at=datetime(2026, 10, 20, tzinfo=UTC) + timedelta(minutes=minutes),
    )
    async with runtime.uow() as uow:
        assert await repo.add_coverage(uow.session, coverage)
        await uow.commit()
    return coverage


def auth(runtime, role: Role, uscc: str | None = None) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, f"{role}-1", [role], uscc=uscc)
    return {"Authorization": f"Bearer {token}"}


async def test_staff_list_every_coverage_and_filter_them(runtime, client) -> None:
    acme = await add(runtime, ACME, minutes=1)
    other = await add(runtime, OTHER, person_key="pk_" + "2" * 32, minutes=2)
    staff = auth(runtime, Role.HRSS_STAFF)

    everything = (await client.get("/v1/coverages", headers=staff)).json()
    by_enterprise = await client.get(f"/v1/coverages?enterprise_uscc={OTHER}", headers=staff)
    by_hire = await client.get(f"/v1/coverages?hire_id={acme.hire_id}", headers=staff)
    by_person = await client.get(f"/v1/coverages?person_key={PERSON}", headers=staff)

    assert [c["id"] for c in everything["items"]] == [str(acme.id), str(other.id)]
    assert everything["next_cursor"] is None
    assert [c["id"] for c in by_enterprise.json()["items"]] == [str(other.id)]
    assert [c["id"] for c in by_hire.json()["items"]] == [str(acme.id)]
    assert [c["id"] for c in by_person.json()["items"]] == [str(acme.id)]
    item = by_hire.json()["items"][0]
    assert item["scheme"] == "work_injury_insurance"
    assert item["start_date"] == "2026-11-02"
    assert item["masked_resident_id"] == "3210**********123X"


async def test_the_list_pages_with_a_cursor(runtime, client) -> None:
    made = [await add(runtime, ACME, minutes=m) for m in range(3)]
    staff = auth(runtime, Role.HRSS_STAFF)

    first = (await client.get("/v1/coverages?limit=2", headers=staff)).json()
    second = (
        await client.get(f"/v1/coverages?limit=2&cursor={first['next_cursor']}", headers=staff)
    ).json()

    assert [c["id"] for c in first["items"] + second["items"]] == [str(c.id) for c in made]
    assert second["next_cursor"] is None


async def test_an_enterprise_sees_only_its_own_coverages(runtime, client) -> None:
    own = await add(runtime, ACME)
    await add(runtime, OTHER)
    acme = auth(runtime, Role.ENTERPRISE, uscc=ACME)

    listed = await client.get("/v1/coverages", headers=acme)
    filtered = await client.get(f"/v1/coverages?enterprise_uscc={ACME}", headers=acme)

    assert [c["id"] for c in listed.json()["items"]] == [str(own.id)]
    assert [c["id"] for c in filtered.json()["items"]] == [str(own.id)]


async def test_an_enterprise_asking_for_another_is_refused_and_its_cover_is_not_found(
    runtime, client
) -> None:
    others = await add(runtime, OTHER)
    acme = auth(runtime, Role.ENTERPRISE, uscc=ACME)

    listed = await client.get(f"/v1/coverages?enterprise_uscc={OTHER}", headers=acme)
    one = await client.get(f"/v1/coverages/{others.id}", headers=acme)

    assert listed.status_code == 403
    assert one.status_code == 404  # another tenant's object: its existence is not disclosed
    assert one.headers["content-type"] == "application/problem+json"


async def test_one_coverage_by_id(runtime, client) -> None:
    coverage = await add(runtime, ACME)

    as_staff = await client.get(
        f"/v1/coverages/{coverage.id}", headers=auth(runtime, Role.HRSS_STAFF)
    )
    as_owner = await client.get(
        f"/v1/coverages/{coverage.id}", headers=auth(runtime, Role.ENTERPRISE, uscc=ACME)
    )

    assert as_staff.status_code == as_owner.status_code == 200
    assert as_staff.json()["hire_id"] == str(coverage.hire_id)
    assert as_owner.json()["enterprise_uscc"] == ACME


async def test_a_missing_coverage_is_a_404_problem(runtime, client) -> None:
    response = await client.get(
        f"/v1/coverages/{uuid.uuid4()}", headers=auth(runtime, Role.HRSS_STAFF)
    )

    assert response.status_code == 404
    assert response.json()["type"] == "urn:suxin:problem:not-found"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("hire_id=not-a-uuid", "hire_id"),
        ("enterprise_uscc=91321000MA1XY0123A", "enterprise_uscc"),
        ("person_key=320102199001011234", "person_key"),
        ("limit=0", "limit"),
        ("cursor=%21%21", "cursor"),
    ],
)
async def test_invalid_parameters_are_a_422_naming_the_field(runtime, client, query, field) -> None:
    response = await client.get(f"/v1/coverages?{query}", headers=auth(runtime, Role.HRSS_STAFF))

    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_other_roles_and_anonymous_callers_are_refused(runtime, client) -> None:
    seeker = await client.get("/v1/coverages", headers=auth(runtime, Role.SEEKER))
    anonymous = await client.get("/v1/coverages")

    assert seeker.status_code == 403
    assert anonymous.status_code == 401


async def test_every_read_of_a_coverage_is_audited_with_the_reader(runtime, client) -> None:
    first = await add(runtime, ACME, minutes=1)
    second = await add(runtime, ACME, person_key="pk_" + "3" * 32, minutes=2)
    staff = auth(runtime, Role.HRSS_STAFF)
    enterprise = auth(runtime, Role.ENTERPRISE, ACME)

    assert (await client.get("/v1/coverages", headers=staff)).status_code == 200
    assert (await client.get(f"/v1/coverages/{first.id}", headers=enterprise)).status_code == 200
    assert (await client.get(f"/v1/coverages?enterprise_uscc={OTHER}", headers=staff)).json()[
        "items"
    ] == []

    auditor = mint_dev_token(runtime.settings, "auditor-1", [Role.AUDITOR])
    entries = (
        await client.get(
            "/v1/audit/entries?object_type=coverage",
            headers={"Authorization": f"Bearer {auditor}"},
        )
    ).json()["items"]
    # Newest first: the enterprise's read of one coverage, then the staff's page of two; the
    # empty page read nobody's data and is not recorded.
    assert [(e["actor"], e["action"], e["object_id"]) for e in entries] == [
        ("enterprise-1", "read_personal_data", str(first.id)),
        ("hrss_staff-1", "read_personal_data", "list:2"),
    ]
    assert entries[1]["details"]["ids"] == [str(first.id), str(second.id)]
