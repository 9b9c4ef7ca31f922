"""A new policy version decides new hires; stored cases, and cases still waiting for data, stay
under the version that opened them."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from suxin_devkit import factfeed
from training_vouchers import handlers
from training_vouchers.domain.facts import MonthlyContribution
from training_vouchers.domain.policy import PolicyBook, parse_policy
from training_vouchers.policies import load_policy, policy_document

pytestmark = pytest.mark.integration

EMPLOYER = {"pension": 1, "medical": 1, "unemployment": 1, "work_injury": 1, "maternity": 1}


def book_with_raise() -> PolicyBook:
    doc = copy.deepcopy(policy_document("js-2026.1"))
    doc["version"] = "js-2026.2"
    doc["effective_from"] = date(2026, 10, 1)
    next(r for r in doc["rules"] if r["id"] == "job_expansion_youth")["amount"]["amount_fen"] = (
        250_000
    )
    return PolicyBook([load_policy("js-2026.1"), parse_policy(doc)])


async def cases(runtime) -> dict:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(text("SELECT * FROM subsidy_cases"))
        return {str(r.hire_id): r for r in rows}


async def test_a_version_change_leaves_old_decisions_unchanged(runtime, make_hire, deliver, verify):
    old_hire = make_hire()  # starts 1 Sep 2026: js-2026.1
    # The education department states the graduate's 学历 (the rules accept nothing else).
    await verify(factfeed.education(old_hire.person_key, "bachelor", date(2025, 6, 30)))
    await deliver(old_hire, book=PolicyBook([load_policy("js-2026.1")]))
    before = (await cases(runtime))[old_hire.hire_id]

    # js-2026.2 ships, effective 1 Oct 2026; a hire starting in October is decided by it.
    book = book_with_raise()
    new_hire = make_hire()
    new_hire.start_date.month = 10
    await deliver(new_hire, book=book)
    # The old case's data arrives after the change: it is evaluated under js-2026.1 still.
    async with runtime.uow() as uow:
        await handlers.record_contributions(
            uow,
            old_hire.enterprise_uscc,
            old_hire.person_key,
            [MonthlyContribution("2026-09", EMPLOYER, 1)],
            book=book,
            at=datetime(2026, 10, 12, 2, tzinfo=UTC),
        )
        await uow.commit()

    after = await cases(runtime)
    old, new = after[old_hire.hire_id], after[new_hire.hire_id]
    assert (new.rule_version, new.amount_fen) == ("js-2026.2", 250_000)
    assert (old.rule_version, old.amount_fen, old.status) == ("js-2026.1", 150_000, "under_review")
    assert old.id == before.id and old.opened_at == before.opened_at
