"""Facts from events, and how a batch folds facts about one key (as the SQL would)."""

import uuid
from datetime import UTC, date, datetime

import pytest

from employment_monitor import contracts
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin_common.messaging.runner import PoisonMessage
from suxin_devkit.testing import hire_event

AT = datetime(2026, 6, 1, 3, tzinfo=UTC)


def test_a_hire_becomes_one_fact_in_its_start_month():
    event = hire_event(1)
    event.key_groups.append(hiring.KEY_GROUP_VETERAN)
    [(spec, row)] = contracts.facts_of(event, AT)
    fact = dict(zip(spec.columns, row, strict=True))
    assert spec is contracts.HIRE
    assert fact["hire_id"] == uuid.UUID(event.hire_id)
    assert fact["month"] == date(2026, 11, 1)
    assert fact["key_groups"] == ["veteran"]
    assert fact["job_kind"] == "full_time"
    assert "person_key" not in fact  # the monitor keeps no person identifiers


def test_impossible_events_are_poison():
    event = hire_event(1)
    event.hire_id = "not-a-uuid"
    with pytest.raises(PoisonMessage):
        contracts.facts_of(event, AT)
    event = hire_event(1)
    event.start_date.month = 13
    with pytest.raises(PoisonMessage):
        contracts.facts_of(event, AT)


def test_newer_versions_win_whatever_the_order():
    claim = [
        contracts.facts_of(insurance.ClaimStageChanged(claim_id="c1", stage=stage, version=v), AT)[
            0
        ][1]
        for v, stage in ((3, insurance.CLAIM_STAGE_APPROVED), (1, insurance.CLAIM_STAGE_REPORTED))
    ]
    for rows in (claim, claim[::-1]):
        [row] = contracts.CLAIM.reduce(rows)
        assert row[contracts.CLAIM.columns.index("stage")] == "approved"


def test_facts_from_different_events_fill_their_own_columns():
    opened = (("c1", None, "U", None, "fam", "no_application", "3201", None, 100, None,
               date(2026, 1, 1)))  # fmt: skip
    paid = ("c1", "fam", "U", "3201", 100, date(2026, 2, 1))
    rows = contracts.CASE_OPENED.reduce([opened, opened])
    assert rows == [opened]
    assert contracts.CASE_PAID.reduce([paid]) == [paid]


def test_insert_facts_keep_the_first_copy():
    a = ("f1", "h", "3201", "3210", "C", "C", "c", date(2026, 1, 1))
    b = ("f1", "h", "3205", "3210", "C", "C", "c", date(2026, 1, 1))
    assert contracts.TALENT_FLOW.reduce([a, b]) == [a]


def test_a_recomputed_review_deadline_replaces_the_provisional_one():
    from suxin.common.v1.common_pb2 import Date
    from suxin.subsidy.v1 import events_pb2 as subsidy

    event = subsidy.SubsidyCaseDeadlineRecomputed(
        case_id="c-1",
        rule_family="hiring_absorption",
        enterprise_uscc="91321000MA1XXXXX18",
        city_code="3210",
        previous_deadline=Date(year=2027, month=3, day=5),
        review_deadline=Date(year=2027, month=3, day=8),
        provisional=False,
        schedule_year=2027,
    )
    [(spec, row)] = contracts.facts_of(event, AT)
    fact = dict(zip(spec.columns, row, strict=True))
    assert spec is contracts.CASE_DEADLINE_RECOMPUTED
    assert (fact["case_id"], fact["review_deadline"]) == ("c-1", date(2027, 3, 8))
