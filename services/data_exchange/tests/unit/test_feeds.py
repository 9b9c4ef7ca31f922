"""Feed rows become facts or field errors; every feed maps onto the proto contract."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from data_exchange import contracts
from data_exchange.domain.departments import FEED_OWNER, Department, FeedKind
from data_exchange.domain.facts import Change, CurrentFact, decide
from data_exchange.domain.feeds import FEEDS
from data_exchange.domain.rows import Row
from suxin.dataexchange.v1 import facts_pb2 as facts_pb
from suxin_devkit.testing import make_resident_id, make_uscc

RID = make_resident_id(5, born="19850505")
USCC = make_uscc(9)


def key(resident_id: str) -> str:
    return "pk_" + resident_id[-6:].lower().rjust(32, "0")


SAMPLES = {
    FeedKind.SI_ENROLMENT: {
        "resident_id": RID,
        "uscc": USCC,
        "enrolled_on": "2026-01-01",
        "district_code": "321002",
    },
    FeedKind.SI_CONTRIBUTION: {
        "resident_id": RID,
        "uscc": USCC,
        "month": "2026-10",
        "employer_pension_fen": 128000,
        "employer_medical_fen": 64000,
        "employer_unemployment_fen": 4000,
        "employer_work_injury_fen": 2000,
        "employer_maternity_fen": 0,
        "employee_total_fen": 86000,
        "base_fen": 800000,
    },
    FeedKind.EDUCATION: {
        "resident_id": RID,
        "education_level": "5",
        "school": "扬州大学",
        "graduation_date": "2008-06-30",
        "full_time": "是",
    },
    FeedKind.SKILL_CERTIFICATE: {
        "resident_id": RID,
        "certificate_no": "S000123456",
        "skill_level": "高级技师",
        "occupation_code": "6-18-01-01",
        "issued_on": "2020-01-01",
    },
    FeedKind.PROFESSIONAL_TITLE: {
        "resident_id": RID,
        "certificate_no": "T2020001",
        "title": "副高级",
        "field": "机械工程",
        "conferred_on": "2020-12-01",
    },
    FeedKind.ENTERPRISE_REGISTRY: {
        "uscc": USCC,
        "name": "某有限公司",
        "unit_type": "企业",
        "status": "存续",
        "district_code": "321002",
        "industry_code": "C",
        "established_on": "2010-01-01",
    },
    FeedKind.SPECIALIZED_SME: {
        "uscc": USCC,
        "list_year": 2025,
        "level": "省级",
        "valid_from": "2025-01-01",
    },
    FeedKind.LITTLE_GIANT: {
        "uscc": USCC,
        "list_year": 2025,
        "level": "国家级",
        "valid_from": "2025-07-01",
        "valid_until": "2028-06-30",
    },
    FeedKind.LOW_INCOME: {
        "resident_id": RID,
        "category": "低保",
        "district_code": "321002",
        "valid_from": "2026-01-01",
    },
    FeedKind.POVERTY_ALLEVIATED: {"resident_id": RID, "year": 2019, "district_code": "321002"},
    FeedKind.DISABILITY: {"resident_id": RID, "category": 4, "grade": 3, "issued_on": "2015-01-01"},
    FeedKind.BIRTH: {"mother_resident_id": RID, "birth_date": "2026-09-01", "child_order": 2},
    FeedKind.VETERAN: {"resident_id": RID, "discharged_on": "2012-12-01"},
}


@pytest.mark.parametrize("feed", list(FeedKind))
def test_every_feed_turns_a_good_row_into_a_fact_and_an_event(feed):
    spec = FEEDS[feed]
    row = Row(SAMPLES[feed], 1, key)
    draft = spec.parse(row, FEED_OWNER[feed])
    assert row.errors == [] and draft is not None
    assert set(SAMPLES[feed]) <= spec.column_names
    event = contracts.fact_verified(
        draft,
        fact_id=uuid.uuid4(),
        version=1,
        as_of=date(2026, 11, 30),
        evidence_ref="b#1",
        verified_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert event.WhichOneof("detail") is not None
    assert event.kind == contracts.KIND[spec.fact_kind]
    assert RID not in str(event)
    if spec.subject.value == "person":
        assert event.person_key == key(RID)
    else:
        assert event.enterprise_uscc == USCC


def test_a_row_reports_every_problem_at_once_in_chinese_with_codes():
    raw = SAMPLES[FeedKind.SI_CONTRIBUTION] | {
        "resident_id": RID[:-1] + ("1" if RID[-1] == "0" else "0"),
        "month": "2026-13",
        "employer_pension_fen": "12.5",
        "base_fen": -1,
    }
    row = Row(raw, 7, key)
    assert FEEDS[FeedKind.SI_CONTRIBUTION].parse(row, Department.SOCIAL_INSURANCE) is None
    assert [(e.row, e.field, e.code) for e in row.errors] == [
        (7, "resident_id", "invalid_resident_id"),
        (7, "month", "invalid_month"),
        (7, "employer_pension_fen", "not_an_integer"),
        (7, "base_fen", "out_of_range"),
    ]
    assert all(RID[:10] not in e.reason for e in row.errors)


def test_list_and_status_values_are_checked():
    row = Row(SAMPLES[FeedKind.LITTLE_GIANT] | {"level": "省级", "status": "gone"}, 1, key)
    assert FEEDS[FeedKind.LITTLE_GIANT].parse(row, Department.INDUSTRY) is None
    assert {(e.field, e.code) for e in row.errors} == {
        ("level", "unknown_value"),
        ("status", "unknown_value"),
    }


def test_changes_are_new_changed_revoked_or_nothing():
    spec = FEEDS[FeedKind.SPECIALIZED_SME]
    listed = spec.parse(Row(SAMPLES[FeedKind.SPECIALIZED_SME], 1, key), Department.INDUSTRY)
    removed = spec.parse(
        Row(SAMPLES[FeedKind.SPECIALIZED_SME] | {"status": "撤销"}, 1, key), Department.INDUSTRY
    )
    assert listed and removed
    h, r = listed.value_hash(), removed.value_hash()
    assert decide(listed, None, h) == (Change.NEW, 1)
    assert decide(removed, None, r) == (Change.NOTHING_TO_REVOKE, 0)
    current = CurrentFact(listed.fact_key, 3, h, False)
    assert decide(listed, current, h) == (Change.UNCHANGED, 0)
    assert decide(removed, current, r) == (Change.REVOKED, 4)
    gone = CurrentFact(listed.fact_key, 4, r, True)
    assert decide(removed, gone, r) == (Change.UNCHANGED, 0)
    assert decide(listed, gone, h) == (Change.CHANGED, 5)  # listed again


def test_every_department_maps_onto_the_contract():
    assert set(contracts.DEPARTMENT.values()) == {
        v for v in facts_pb.Department.values() if v != facts_pb.DEPARTMENT_UNSPECIFIED
    }
