"""Forgeries that once paid, walked through the real handlers and database: what a person or
an enterprise only declares never pays; the case waits, saying which fact it needs from which
source, and the authority's word decides it (部门数据比对)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from suxin.hiring.v1 import events_pb2 as hiring
from suxin_devkit import factfeed
from training_vouchers import handlers
from training_vouchers.domain.facts import MonthlyContribution
from training_vouchers.policies import load_book

pytestmark = pytest.mark.integration

AT = datetime(2026, 10, 9, 2, tzinfo=UTC)
EMPLOYER = {"pension": 128000, "medical": 64000, "unemployment": 4000, "work_injury": 3200,
            "maternity": 6400}  # fmt: skip


async def cases(runtime) -> list:
    async with runtime.engine.connect() as conn:
        return list((await conn.execute(text("SELECT * FROM subsidy_cases"))).all())


async def contribute(runtime, event, month: str = "2026-09") -> None:
    async with runtime.uow() as uow:
        await handlers.record_contributions(
            uow,
            event.enterprise_uscc,
            event.person_key,
            [MonthlyContribution(month, EMPLOYER, 84000)],
            book=load_book(),
            at=AT,
        )
        await uow.commit()


def difficulty_hire(make_hire) -> hiring.HireRecorded:
    """Someone who declares herself 就业困难 (and nothing else that a rule could use)."""
    event = make_hire(key_groups=(hiring.KEY_GROUP_EMPLOYMENT_DIFFICULTY,))
    event.education = hiring.EDUCATION_SENIOR_SECONDARY
    event.ClearField("graduation_date")
    return event


async def test_a_self_declared_key_group_does_not_pay_until_hrss_records_state_it(
    runtime, make_hire, deliver, confirm, verify
):
    event = difficulty_hire(make_hire)
    await deliver(event)
    await confirm(event)
    await contribute(runtime, event)

    # Confirmed hire, contributions paid: only the key group is a claim. The case waits.
    [case] = await cases(runtime)
    assert (case.rule_id, case.status) == ("one_time_absorption_difficulty", "awaiting_data")
    assert case.review_deadline is None
    [needs] = case.waiting_for
    assert needs["fact"] == "key_groups" and "employment_difficulty" in needs["declared"]
    assert "hrss_records" in needs["accepted_sources"]
    assert case.sources["key_groups"]["members"] == {}
    # A 民政 低保 fact is no 就业困难人员认定: nothing moves.
    await verify(factfeed.person_flag("low_income", event.person_key))
    assert (await cases(runtime))[0].status == "awaiting_data"

    # The district's 就业困难人员认定 (HRSS records feed): the case moves on by itself.
    await verify(factfeed.person_flag("employment_difficulty", event.person_key))

    [case] = await cases(runtime)
    assert (case.status, case.amount_fen) == ("under_review", 100_000)
    member = case.sources["key_groups"]["members"]["employment_difficulty"]
    assert member["source"] == "hrss_records" and member["evidence_ref"]


async def test_a_self_declared_degree_is_refused_when_the_education_department_disagrees(
    runtime, make_hire, deliver, confirm, verify
):
    event = make_hire()  # declares a bachelor's degree, graduated June 2025
    await deliver(event)
    await confirm(event)
    await contribute(runtime, event)
    [case] = await cases(runtime)
    assert case.status == "awaiting_data"
    assert {w["fact"] for w in case.waiting_for} >= {"education"}

    # 学籍学历: senior secondary only.
    await verify(factfeed.education(event.person_key, "senior_secondary", date(2022, 6, 30)))

    [case] = await cases(runtime)
    assert case.status == "rejected" and case.amount_fen == 0
    assert case.decided_by == "policy-engine"
    assert case.sources["education"]["source"] == "education"


async def test_an_enterprise_hiring_a_stranger_opens_no_paying_case(
    runtime, make_hire, deliver, verify
):
    """The person never confirmed the hire and 社保 does not show it: even with every personal
    fact verified, the case waits for the hire itself."""
    event = make_hire()
    await verify(factfeed.education(event.person_key, "bachelor", date(2025, 6, 30)))
    await deliver(event)

    [case] = await cases(runtime)
    assert case.status == "awaiting_data" and case.review_deadline is None
    facts = {w["fact"]: w["accepted_sources"] for w in case.waiting_for}
    assert facts["contract_type"] == ["confirmed_hire"]
    assert case.sources["contract_type"]["source"] == "declared"

    # 社保 shows the person enrolled with this employer: the hire is real.
    await verify(factfeed.enrolment(event.person_key, event.enterprise_uscc, date(2026, 9, 1)))
    await contribute(runtime, event)
    [case] = await cases(runtime)
    assert (case.status, case.amount_fen) == ("under_review", 150_000)
    assert case.sources["contract_type"]["source"] == "confirmed_hire"


async def test_a_fact_delivered_twice_or_an_older_version_changes_nothing(
    runtime, make_hire, deliver, verify
):
    event = make_hire()
    newer = factfeed.education(event.person_key, "bachelor", date(2025, 6, 30), version=2)
    older = factfeed.education(event.person_key, "senior_secondary", date(2022, 6, 30))
    await verify(newer, newer, older)
    async with runtime.engine.connect() as conn:
        [row] = (await conn.execute(text("SELECT version, value FROM verified_facts"))).all()
    assert row.version == 2 and row.value["education"] == "bachelor"
