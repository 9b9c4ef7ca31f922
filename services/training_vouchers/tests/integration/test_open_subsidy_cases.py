"""A HireRecorded, handled through a real unit of work, opens its subsidy cases exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from suxin.hiring.v1 import events_pb2 as hiring
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.messaging.runner import PoisonMessage

pytestmark = pytest.mark.integration

# 20 working days after Friday 26 Sep 2025, across the National Day holiday.
DEADLINE_FOR_26_SEP_2025 = date(2025, 10, 30)


async def rows(runtime, sql: str, **params) -> list:
    async with runtime.engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


async def test_a_graduate_with_employment_difficulty_opens_two_cases_and_announces_them(
    runtime, make_hire, deliver
):
    event = make_hire(
        key_groups=(hiring.KEY_GROUP_COLLEGE_GRADUATE, hiring.KEY_GROUP_EMPLOYMENT_DIFFICULTY)
    )
    opened_at = datetime(2025, 9, 26, 2, 0, tzinfo=UTC)  # 10:00 in Beijing

    await deliver(event, at=opened_at)

    cases = await rows(runtime, "SELECT * FROM subsidy_cases ORDER BY rule_id")
    assert [(c.rule_id, c.amount_fen) for c in cases] == [
        ("one_time_absorption_difficulty", 150_000),
        ("one_time_absorption_graduate", 150_000),
    ]
    for case in cases:
        assert str(case.hire_id) == event.hire_id
        assert case.enterprise_uscc == event.enterprise_uscc
        assert case.person_key == event.person_key
        assert case.rule_version == "js-2026.1"
        assert case.delivery_mode == "no_application"
        assert case.status == "under_review"
        assert case.opened_at == opened_at
        assert case.review_deadline == DEADLINE_FOR_26_SEP_2025
        assert all(reason.startswith("met: ") for reason in case.reasons)
    assert cases[0].inputs == {
        "key_groups": ["employment_difficulty"],
        "job_kind": "full_time",
        "contract_type": "fixed_term",
        "contract_months": 36,
    }
    assert cases[1].inputs["graduation_date"] == "2025-06-30"

    outbox = await rows(runtime, "SELECT * FROM outbox")
    assert {r.ce_subject for r in outbox} == {str(c.id) for c in cases}
    for row in outbox:
        assert row.subject == "suxin.subsidy.subsidy_case_opened.v1"
        assert row.ce_source == "/suxin/training-vouchers"
        assert row.published_at is None
        opened = subsidy.SubsidyCaseOpened.FromString(row.payload)
        case = next(c for c in cases if str(c.id) == opened.case_id)
        assert opened.hire_id == event.hire_id
        assert opened.rule_id == case.rule_id
        assert opened.rule_version == "js-2026.1"
        assert opened.amount_fen == 150_000
        assert opened.person_key == event.person_key
        assert opened.delivery_mode == subsidy.DELIVERY_MODE_NO_APPLICATION
        assert (opened.review_deadline.year, opened.review_deadline.month) == (2025, 10)
        assert opened.review_deadline.day == 30
        # No raw or masked personal data travels on: only the pseudonymous key.
        assert b"3210**" not in row.payload


async def test_the_same_hire_twice_opens_each_case_once(runtime, make_hire, deliver):
    event = make_hire()

    await deliver(event)
    # A second delivery under another event id: the inbox cannot see it, the natural key does.
    await deliver(event, at=datetime(2025, 9, 29, 2, 0, tzinfo=UTC))

    cases = await rows(runtime, "SELECT rule_id, opened_at FROM subsidy_cases")
    assert [c.rule_id for c in cases] == ["one_time_absorption_graduate"]
    assert cases[0].opened_at == datetime(2025, 9, 26, 2, 0, tzinfo=UTC)
    [outbox] = await rows(runtime, "SELECT subject FROM outbox")
    assert outbox.subject == "suxin.subsidy.subsidy_case_opened.v1"


async def test_a_hire_that_qualifies_for_nothing_leaves_no_trace(runtime, make_hire, deliver):
    event = make_hire()
    event.job_kind = hiring.JOB_KIND_PART_TIME
    event.contract_type = hiring.CONTRACT_TYPE_PART_TIME

    await deliver(event)

    assert await rows(runtime, "SELECT id FROM subsidy_cases") == []
    assert await rows(runtime, "SELECT id FROM outbox") == []


async def test_an_internship_opens_an_internship_subsidy_case(runtime, make_hire, deliver):
    event = make_hire()
    event.job_kind = hiring.JOB_KIND_INTERNSHIP
    event.contract_type = hiring.CONTRACT_TYPE_INTERNSHIP_AGREEMENT
    event.contract_months = 6

    await deliver(event)

    [case] = await rows(runtime, "SELECT rule_id, amount_fen FROM subsidy_cases")
    assert (case.rule_id, case.amount_fen) == ("internship_subsidy", 6 * 100_000)


async def test_a_malformed_hire_is_poison_and_writes_nothing(runtime, make_hire, deliver):
    event = make_hire()
    event.ClearField("start_date")

    with pytest.raises(PoisonMessage, match="start_date"):
        await deliver(event)

    assert await rows(runtime, "SELECT id FROM subsidy_cases") == []
