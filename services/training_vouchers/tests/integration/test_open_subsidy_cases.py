"""A HireRecorded, handled through a real unit of work, opens its subsidy cases exactly once,
waiting for contributions where a rule needs them; the data arriving starts the review."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from suxin.hiring.v1 import events_pb2 as hiring
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.messaging.runner import PoisonMessage
from suxin_devkit import factfeed
from suxin_devkit.testing import make_uscc
from training_vouchers import contracts, handlers
from training_vouchers.domain.facts import MonthlyContribution
from training_vouchers.policies import load_book

pytestmark = pytest.mark.integration

OPENED_AT = datetime(2026, 9, 18, 2, 0, tzinfo=UTC)  # Friday 10:00 in Beijing
EMPLOYER = {
    "pension": 128000,
    "medical": 64000,
    "unemployment": 4000,
    "work_injury": 3200,
    "maternity": 6400,
}


def graduate_facts(event: hiring.HireRecorded) -> list:
    """The education department's 学历 of the graduate of ``graduate_hire``."""
    return [factfeed.education(event.person_key, "bachelor", date(2025, 6, 30))]


async def rows(runtime, sql: str, **params) -> list:
    async with runtime.engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


async def contribute(runtime, uscc, person_key, *months, at=OPENED_AT):
    async with runtime.uow() as uow:
        changed = await handlers.record_contributions(
            uow,
            uscc,
            person_key,
            [MonthlyContribution(m, EMPLOYER, 84000) for m in months],
            book=load_book(),
            at=at,
        )
        await uow.commit()
    return changed


async def test_a_graduate_hire_opens_one_case_awaiting_contributions_then_review_starts(
    runtime, make_hire, deliver, verify
):
    event = make_hire(
        key_groups=(hiring.KEY_GROUP_COLLEGE_GRADUATE, hiring.KEY_GROUP_EMPLOYMENT_DIFFICULTY)
    )
    await verify(*graduate_facts(event))

    await deliver(event, at=OPENED_AT)

    [case] = await rows(runtime, "SELECT * FROM subsidy_cases")
    assert (case.rule_family, case.rule_id, case.status) == (
        "hiring_absorption",
        "job_expansion_youth",
        "awaiting_data",
    )
    assert (case.subject_key, case.occasion) == (event.person_key, "once")
    assert str(case.hire_id) == event.hire_id
    assert case.rule_version == "js-2026.1"
    assert case.review_deadline is None
    assert case.inputs["unemployment_insurance_months"] == 0
    assert case.city_code == "3210"
    [row] = await rows(runtime, "SELECT * FROM outbox")
    opened = subsidy.SubsidyCaseOpened.FromString(row.payload)
    assert opened.case_id == str(case.id)
    assert opened.awaiting_data and not opened.HasField("review_deadline")
    assert (opened.rule_family, opened.city_code, opened.district_code) == (
        "hiring_absorption",
        "3210",
        "321002",
    )
    assert b"3210**" not in row.payload

    # September's contributions arrive on Friday 9 Oct 2026: the review starts then.
    arrived = datetime(2026, 10, 9, 2, tzinfo=UTC)
    [changed] = await contribute(
        runtime, event.enterprise_uscc, event.person_key, "2026-09", at=arrived
    )

    [case] = await rows(runtime, "SELECT * FROM subsidy_cases")
    assert changed.id == case.id
    assert case.status == "under_review"
    assert case.amount_fen == 150_000
    assert case.review_started_at == arrived
    # Sat 10 Oct is a make-up working day (调休): the 20th working day is Thu 5 Nov.
    assert str(case.review_deadline) == "2026-11-05"
    started = [
        r for r in await rows(runtime, "SELECT * FROM outbox") if "review_started" in r.subject
    ]
    [started] = [subsidy.SubsidyCaseReviewStarted.FromString(r.payload) for r in started]
    assert started.case_id == str(case.id) and started.amount_fen == 150_000

    # The same month reported again changes nothing and announces nothing.
    assert await contribute(runtime, event.enterprise_uscc, event.person_key, "2026-09") == []
    assert len(await rows(runtime, "SELECT id FROM outbox")) == 2


async def test_contributions_recorded_before_the_hire_open_the_case_under_review(
    runtime, make_hire, deliver, verify
):
    event = make_hire()
    await verify(*graduate_facts(event))
    await contribute(runtime, event.enterprise_uscc, event.person_key, "2026-09")

    await deliver(event, at=OPENED_AT)

    [case] = await rows(runtime, "SELECT status, review_deadline FROM subsidy_cases")
    assert case.status == "under_review"
    assert str(case.review_deadline) == "2026-10-22"  # across National Day 2026


async def test_once_per_person_whichever_hire_or_delivery(runtime, make_hire, deliver):
    event = make_hire()
    await deliver(event)
    # The same hire again under another event id, and a later hire of the same person by
    # another enterprise: the unique (family, person, occasion) decides.
    await deliver(event, at=datetime(2026, 9, 21, 2, tzinfo=UTC))
    again = make_hire(make_uscc(42))
    again.person_key = event.person_key
    await deliver(again)

    cases = await rows(runtime, "SELECT hire_id FROM subsidy_cases")
    assert [str(c.hire_id) for c in cases] == [event.hire_id]
    assert len(await rows(runtime, "SELECT id FROM outbox")) == 1
    with pytest.raises(Exception, match="uq_subsidy_cases_once"):
        async with runtime.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO subsidy_cases (id, rule_family, subject_key, occasion,"
                    " trigger, enterprise_uscc, rule_id, rule_version, delivery_mode,"
                    " amount_fen, inputs, reasons, status, opened_at)"
                    " SELECT gen_random_uuid(), rule_family, subject_key, occasion, trigger,"
                    " enterprise_uscc, 'one_time_absorption_graduate', rule_version,"
                    " delivery_mode, amount_fen, inputs, reasons, status, opened_at"
                    " FROM subsidy_cases"
                )
            )


async def test_a_hire_that_qualifies_for_nothing_leaves_no_trace(runtime, make_hire, deliver):
    event = make_hire(key_groups=())
    event.contract_type = hiring.CONTRACT_TYPE_PART_TIME

    await deliver(event)

    assert await rows(runtime, "SELECT id FROM subsidy_cases") == []
    assert await rows(runtime, "SELECT id FROM outbox") == []


async def test_an_internship_in_yangzhou_opens_an_internship_case_under_review(
    runtime, make_hire, deliver, confirm, verify
):
    event = make_hire()
    event.job_kind = hiring.JOB_KIND_INTERNSHIP
    event.contract_type = hiring.CONTRACT_TYPE_INTERNSHIP_AGREEMENT
    event.contract_months = 6
    # 教育 states the intern's degree and graduation (见习对象: 离校2年内高校毕业生).
    await verify(*graduate_facts(event))

    await deliver(event)
    # The enterprise's word alone: the case waits for the person to confirm the internship.
    [case] = await rows(runtime, "SELECT rule_id, status, waiting_for FROM subsidy_cases")
    assert (case.rule_id, case.status) == ("internship_subsidy", "awaiting_data")
    assert {w["fact"] for w in case.waiting_for} == {"job_kind", "contract_type", "contract_months"}
    assert {s for w in case.waiting_for for s in w["accepted_sources"]} == {"confirmed_hire"}

    await confirm(event)

    [case] = await rows(runtime, "SELECT rule_id, amount_fen, status FROM subsidy_cases")
    assert (case.rule_id, case.amount_fen, case.status) == (
        "internship_subsidy",
        6 * 124_200,
        "under_review",
    )


async def test_a_hire_before_any_policy_version_opens_nothing(runtime, make_hire, deliver):
    event = make_hire()
    event.start_date.year = 2025

    await deliver(event)

    assert await rows(runtime, "SELECT id FROM subsidy_cases") == []


async def test_a_malformed_hire_is_poison_and_writes_nothing(runtime, make_hire, deliver):
    event = make_hire()
    event.ClearField("start_date")

    with pytest.raises(PoisonMessage, match="start_date"):
        await deliver(event)

    assert await rows(runtime, "SELECT id FROM subsidy_cases") == []


async def test_hires_in_one_transaction_keep_the_audit_chain_and_match_the_general_path(
    runtime, make_hire, verify
):
    """The consumer commits a fetched batch in one transaction: the one-statement path and its
    fall-backs (contributions on record, a family already taken, another audit append between
    two hires) leave the same cases, events and a valid chain as the general handlers."""
    from suxin_common.messaging.cloudevents import EventMeta
    from suxin_common.security import audit

    book = load_book()
    with_months, repeat = make_hire(), make_hire()
    await verify(*graduate_facts(with_months))
    await contribute(runtime, with_months.enterprise_uscc, with_months.person_key, "2026-09")
    again = make_hire(make_uscc(42))
    again.person_key = repeat.person_key
    events = [make_hire(), with_months, repeat, again, make_hire()]

    def meta(e):
        return EventMeta(
            id=e.hire_id,
            type="suxin.hiring.hire_recorded.v1",
            source="/suxin/job-matching",
            subject=e.hire_id,
            time=OPENED_AT,
            headers={},
        )

    async with runtime.uow() as uow:
        for i, e in enumerate(events):
            if i == 4:  # someone else appends to the chain in the same transaction
                await audit.record(
                    uow, None, actor="test", action="x", object_type="t", object_id="1"
                )
            await handlers.on_hire_recorded(
                uow, contracts.hire_facts(e), book=book, window_days=180, clock=lambda: OPENED_AT
            )
        published = len(uow.pending_events)
        await uow.commit()

    cases = await rows(runtime, "SELECT hire_id, status, inputs, reasons FROM subsidy_cases")
    assert len(cases) == published == 4  # `again` finds the family taken
    [under_review] = [c for c in cases if str(c.hire_id) == with_months.hire_id]
    assert under_review.status == "under_review"
    opened = await rows(
        runtime, "SELECT object_id, details FROM audit_log WHERE object_type = 'subsidy_case'"
    )
    assert len(opened) == 4
    async with runtime.engine.connect() as conn:
        report = await audit.verify_chain(conn)
    assert report.ok and report.checked == 5

    # The general handlers, on the same hires in a fresh database state, store the same.
    async with runtime.engine.begin() as conn:
        stored = (await conn.execute(text("SELECT * FROM subsidy_cases"))).mappings().all()
        await conn.execute(text("DELETE FROM subsidy_cases"))
    async with runtime.uow() as uow:
        for e in events:
            await handlers.open_subsidy_cases(
                uow, contracts.hire_facts(e), book=book, clock=lambda: OPENED_AT
            )
        await uow.commit()
    async with runtime.engine.connect() as conn:
        general = (await conn.execute(text("SELECT * FROM subsidy_cases"))).mappings().all()
    ignore = {"id"}

    def key(r):
        return str(r["hire_id"])

    assert [{k: v for k, v in r.items() if k not in ignore} for r in sorted(stored, key=key)] == [
        {k: v for k, v in r.items() if k not in ignore} for r in sorted(general, key=key)
    ]
    async with runtime.engine.connect() as conn:
        assert (await audit.verify_chain(conn)).ok
