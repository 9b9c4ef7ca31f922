"""Over HTTP and a real database: staff load a year's State Council holiday schedule; the open
cases whose provisional review deadline runs into that year are counted again, saved,
announced (SubsidyCaseDeadlineRecomputed) and audited."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.auth import Role, mint_dev_token
from training_vouchers.adapters import repository as repo
from training_vouchers.domain.model import CaseStatus, DeliveryMode, SubsidyCase
from training_vouchers.domain.working_days import CALENDAR

pytestmark = pytest.mark.integration

SCHEDULE_2027 = {
    # Shaped like the State Council's notice (illustrative days, not the real 2027 notice).
    "source": "国务院办公厅关于2027年部分节假日安排的通知（示例）",
    "days_off": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
                 "2027-02-11", "2027-02-12", "2027-04-05", "2027-05-03", "2027-05-04",
                 "2027-05-05", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-04",
                 "2027-10-05", "2027-10-06", "2027-10-07"],
    "make_up_workdays": ["2027-02-20", "2027-05-08", "2027-09-26", "2027-10-09"],
}  # fmt: skip


@pytest.fixture(autouse=True)
def clean_calendar():
    saved = dict(CALENDAR.schedules)
    yield
    CALENDAR.replace_all(saved.values())


def staff(runtime) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, "staff-9", [Role.HRSS_STAFF])
    return {"Authorization": f"Bearer {token}"}


def case_started(at: datetime, deadline: date, *, provisional: bool = True) -> SubsidyCase:
    return SubsidyCase(
        id=uuid.uuid4(),
        rule_family="hiring_absorption",
        subject_key=f"pk_{uuid.uuid4().hex}",
        occasion="once",
        trigger="hire",
        hire_id=uuid.uuid4(),
        enterprise_uscc="91321000MA1XXXXX18",
        person_key=None,
        city_code="3210",
        district_code="321002",
        rule_id="job_expansion_youth",
        rule_version="js-2026.1",
        delivery_mode=DeliveryMode.NO_APPLICATION,
        amount_fen=150_000,
        inputs={},
        reasons=(),
        status=CaseStatus.UNDER_REVIEW,
        opened_at=at,
        review_deadline=deadline,
        review_deadline_provisional=provisional,
        review_started_at=at,
    )


async def test_loading_2027_makes_the_provisional_deadlines_official(runtime, client):
    # Review started Fri 25 Dec 2026 (Beijing): 20 working days, counted without 2027's
    # schedule, end Mon 25 Jan 2027 (provisional). A case due in 2026 is left alone.
    into_2027 = case_started(datetime(2026, 12, 25, 2, tzinfo=UTC), date(2027, 1, 25))
    firm = case_started(datetime(2026, 11, 2, 2, tzinfo=UTC), date(2026, 11, 30), provisional=False)
    # Review started Mon 1 Feb 2027: counted from the law, 5 Mar 2027; the schedule's longer
    # 春节 break (5-14 Feb, Sat 20 Feb worked) moves it to Mon 8 Mar.
    spring = case_started(datetime(2027, 2, 1, 2, tzinfo=UTC), date(2027, 3, 5))
    async with runtime.uow() as uow:
        for c in (into_2027, firm, spring):
            assert await repo.add_case(uow.session, c)
        await uow.commit()

    response = await client.put(
        "/v1/holiday-schedules/2027", json=SCHEDULE_2027, headers=staff(runtime)
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 1
    got = {c["case_id"]: c for c in body["cases_recomputed"]}
    assert set(got) == {str(into_2027.id), str(spring.id)}
    assert got[str(into_2027.id)] == {
        "case_id": str(into_2027.id),
        "previous_deadline": "2027-01-25",
        "review_deadline": "2027-01-25",
        "provisional": False,
    }
    assert got[str(spring.id)]["review_deadline"] == "2027-03-08"
    async with runtime.sessions() as session:
        stored = await repo.get_case(session, spring.id)
    assert (stored.review_deadline, stored.review_deadline_provisional) == (date(2027, 3, 8), False)
    async with runtime.engine.connect() as conn:
        payloads = (
            await conn.execute(
                text("SELECT payload FROM outbox WHERE subject = :s"),
                {"s": "suxin.subsidy.subsidy_case_deadline_recomputed.v1"},
            )
        ).all()
        audited = (
            await conn.execute(
                text("SELECT count(*) FROM audit_log WHERE details->>'decision' = :d"),
                {"d": "deadline_recomputed"},
            )
        ).scalar_one()
    announced = {
        subsidy.SubsidyCaseDeadlineRecomputed.FromString(p.payload).case_id for p in payloads
    }
    assert announced == {str(into_2027.id), str(spring.id)} and audited == 2

    # The year now reads as official; loading it again recomputes nothing and bumps the version.
    year = (await client.get("/v1/holiday-schedules/2027", headers=staff(runtime))).json()
    assert year["official"] is True and year["source"].startswith("国务院办公厅")
    assert date(2027, 2, 11).isoformat() in year["weekdays_off"]
    again = await client.put(
        "/v1/holiday-schedules/2027", json=SCHEDULE_2027, headers=staff(runtime)
    )
    assert (again.json()["version"], again.json()["cases_recomputed"]) == (2, [])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"make_up_workdays": ["2027-02-22"]}, "make_up_workdays"),
        ({"days_off": ["2028-01-03"]}, "days_off"),
        ({"days_off": ["2027-02-05"]}, "days_off"),
    ],
)
async def test_a_schedule_that_cannot_be_true_is_a_422_naming_the_field(
    runtime, client, change, field
):
    response = await client.put(
        "/v1/holiday-schedules/2027", json=SCHEDULE_2027 | change, headers=staff(runtime)
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_a_deadline_across_the_year_boundary_without_the_schedule(runtime, client):
    response = await client.get(
        "/v1/working-days/deadline",
        params={"from": "2026-12-25", "working_days": 20},
        headers=staff(runtime),
    )
    assert response.status_code == 200, response.text
    if not response.json()["provisional"]:
        pytest.skip("the package knows 2027 now")
    assert response.json()["deadline"] == "2027-01-25"


async def test_a_replica_picks_up_a_schedule_loaded_elsewhere_and_recounts_its_cases(runtime):
    from training_vouchers.adapters import calendar_repository as cal_repo
    from training_vouchers.domain.working_days import schedule_from_document
    from training_vouchers.handlers import calendar as calendar_handlers
    from training_vouchers.policies import load_book

    spring = case_started(datetime(2027, 2, 1, 2, tzinfo=UTC), date(2027, 3, 5))
    async with runtime.uow() as uow:
        assert await repo.add_case(uow.session, spring)
        # Another replica stored the schedule; this one's calendar does not know it yet.
        await cal_repo.save_schedule(
            uow.session, schedule_from_document(2027, SCHEDULE_2027), at=datetime.now(UTC), by="x"
        )
        await uow.commit()
    CALENDAR.replace_all([])

    async with runtime.uow() as uow:
        stored = await calendar_handlers.sync_schedules(
            uow, CALENDAR, book=load_book(), at=datetime.now(UTC)
        )
        await uow.commit()
    CALENDAR.replace_all(stored)

    assert CALENDAR.official(2027)
    async with runtime.sessions() as session:
        case = await repo.get_case(session, spring.id)
    assert (case.review_deadline, case.review_deadline_provisional) == (date(2027, 3, 8), False)


async def test_district_staff_cannot_load_a_national_schedule(runtime, client):
    token = mint_dev_token(runtime.settings, "staff-1", [Role.HRSS_STAFF], district="321002")
    response = await client.put(
        "/v1/holiday-schedules/2027",
        json=SCHEDULE_2027,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403, response.text
