"""Manifests and the staff-record rules, without I/O."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from data_exchange.domain import records
from data_exchange.domain.departments import Department
from data_exchange.domain.manifest import ManifestError, Mode, parse_manifest, period_end
from data_exchange.domain.records import RecordKind, RecordRuleError, RecordStatus, StaffRecord

GOOD = {
    "department": "health",
    "feed": "birth",
    "period": "2026-02",
    "rows": 10,
    "sha256": "A" * 64,
    "mode": "all_or_nothing",
    "format": "jsonl",
}


def test_a_good_manifest():
    m = parse_manifest(GOOD, sender=Department.HEALTH)
    assert m.mode is Mode.ALL_OR_NOTHING and m.sha256 == "a" * 64
    assert m.as_of == date(2026, 2, 28) == period_end("2026-02")


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"department": "hrss_records"}, "department", "unknown_department"),
        ({"feed": "education"}, "feed", "feed_not_owned"),
        ({"rows": True}, "rows", "invalid_row_count"),
        ({"period": "2026-02-30"}, "period", "invalid_period"),
        ({"format": "xlsx"}, "format", "unknown_format"),
        ({"file": "../etc/passwd"}, "file", "invalid_file_name"),
    ],
)
def test_bad_manifests_name_the_field(change, field, code):
    with pytest.raises(ManifestError) as caught:
        parse_manifest(GOOD | change)
    assert (caught.value.field, caught.value.code) == (field, code)


def test_a_department_sends_only_its_own_manifests():
    with pytest.raises(ManifestError) as caught:
        parse_manifest(GOOD, sender=Department.EDUCATION)
    assert caught.value.code == "not_your_department"


def _record(kind=RecordKind.EMPLOYMENT_DIFFICULTY) -> StaffRecord:
    return StaffRecord(
        id=uuid.uuid4(),
        kind=kind,
        person_key="pk_" + "0" * 32,
        masked_resident_id="3210**********0012",
        residence_district="321002",
        status=RecordStatus.APPLIED,
        handler="a",
        applied_on=date(2026, 1, 5),
        category=records.DifficultyCategory.DISABLED,
    )


def test_the_decision_needs_a_second_person_and_a_passed_check():
    checked = records.check(_record(), "a", passed=True, note=None)
    with pytest.raises(RecordRuleError) as caught:
        records.decide(
            checked, "a", approve=True, note=None, today=date(2026, 1, 6), review_days=365
        )
    assert caught.value.code == "checker_is_handler"
    approved = records.decide(
        checked, "b", approve=True, note=None, today=date(2026, 1, 6), review_days=365
    )
    assert approved.next_review_due == date(2027, 1, 6) and approved.version == 3
    fact = records.fact_of(approved)
    assert fact is not None and not fact.revoked and fact.valid_until == date(2027, 1, 6)
    failed = records.check(_record(), "a", passed=False, note="x")
    with pytest.raises(RecordRuleError):
        records.decide(
            failed, "b", approve=True, note=None, today=date(2026, 1, 6), review_days=365
        )


def test_a_failed_review_exits_and_revokes():
    approved = records.decide(
        records.check(_record(), "a", passed=True, note=None),
        "b",
        approve=True,
        note=None,
        today=date(2026, 1, 6),
        review_days=365,
    )
    out = records.review(
        approved, "b", still_eligible=False, today=date(2027, 1, 2), review_days=365
    )
    assert (
        out.status is RecordStatus.EXITED
        and out.exit_reason is records.ExitReason.NO_LONGER_ELIGIBLE
    )
    fact = records.fact_of(out)
    assert fact is not None and fact.revoked and fact.valid_until == date(2027, 1, 2)
    assert records.fact_of(_record()) is None
