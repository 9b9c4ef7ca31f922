"""Subsidy events (training-vouchers' policy engine) -> facts: a subsidy case, opened,
reviewed, decided and paid.
"""

from __future__ import annotations

from datetime import datetime

from employment_monitor.adapters import tables as t
from employment_monitor.adapters.projection import Fact, Upsert
from employment_monitor.contract_maps.common import (
    DECISION,
    DELIVERY,
    _date,
    _instant,
    _optional_date,
    _required,
    cst_date,
)
from suxin.subsidy.v1 import events_pb2 as subsidy

CASE_OPENED = Upsert(
    t.subsidy_case_facts,
    (
        "case_id", "hire_id", "enterprise_uscc", "rule_id", "rule_family", "delivery_mode",
        "city_code", "district_code", "amount_fen", "review_deadline", "opened_on",
    ),
    key=("case_id",),
    mode="update",
)  # fmt: skip
CASE_REVIEW_STARTED = Upsert(
    t.subsidy_case_facts,
    ("case_id", "rule_id", "rule_family", "enterprise_uscc", "city_code", "amount_fen",
     "review_deadline"),
    key=("case_id",),
    mode="update",
)  # fmt: skip
# The review deadline counted again once a year's holiday schedule was loaded (it was provisional).
CASE_DEADLINE_RECOMPUTED = Upsert(
    t.subsidy_case_facts,
    ("case_id", "rule_family", "enterprise_uscc", "city_code", "review_deadline"),
    key=("case_id",),
    mode="update",
)
CASE_DECIDED = Upsert(
    t.subsidy_case_facts,
    (
        "case_id", "rule_id", "rule_family", "enterprise_uscc", "city_code", "review_deadline",
        "decision", "decided_on", "decided_in_time", "decided_at", "granted_fen",
    ),
    key=("case_id",),
    mode="update",
    newer="decided_at",
)  # fmt: skip
CASE_PAID = Upsert(
    t.subsidy_case_facts,
    ("case_id", "rule_family", "enterprise_uscc", "city_code", "paid_fen", "paid_on"),
    key=("case_id",),
    mode="update",
)


def subsidy_case_opened(e: subsidy.SubsidyCaseOpened, at: datetime) -> list[Fact]:
    row = (
        _required(e.case_id, "SubsidyCaseOpened.case_id"),
        e.hire_id or None,
        e.enterprise_uscc or None,
        e.rule_id or None,
        e.rule_family or None,
        DELIVERY.get(e.delivery_mode, "unspecified"),
        e.city_code or None,
        e.district_code or None,
        e.amount_fen,
        _optional_date(e.review_deadline),
        cst_date(e.opened_at, at),
    )
    return [(CASE_OPENED, row)]


def subsidy_case_review_started(e: subsidy.SubsidyCaseReviewStarted, at: datetime) -> list[Fact]:
    row = (
        _required(e.case_id, "SubsidyCaseReviewStarted.case_id"),
        e.rule_id or None,
        e.rule_family or None,
        e.enterprise_uscc or None,
        e.city_code or None,
        e.amount_fen,
        _optional_date(e.review_deadline),
    )
    return [(CASE_REVIEW_STARTED, row)]


def subsidy_case_deadline_recomputed(
    e: subsidy.SubsidyCaseDeadlineRecomputed, at: datetime
) -> list[Fact]:
    row = (
        _required(e.case_id, "SubsidyCaseDeadlineRecomputed.case_id"),
        e.rule_family or None,
        e.enterprise_uscc or None,
        e.city_code or None,
        _optional_date(e.review_deadline),
    )
    return [(CASE_DEADLINE_RECOMPUTED, row)]


def subsidy_case_decided(e: subsidy.SubsidyCaseDecided, at: datetime) -> list[Fact]:
    decided_at = _instant(e.decided_at, at)
    row = (
        _required(e.case_id, "SubsidyCaseDecided.case_id"),
        e.rule_id or None,
        e.rule_family or None,
        e.enterprise_uscc or None,
        e.city_code or None,
        _optional_date(e.review_deadline),
        DECISION.get(e.decision, "unspecified"),
        _date(e.decided_on, "SubsidyCaseDecided.decided_on", fallback=cst_date(e.decided_at, at)),
        e.decided_in_time,
        decided_at,
        e.amount_fen,
    )
    return [(CASE_DECIDED, row)]


def subsidy_case_paid(e: subsidy.SubsidyCasePaid, at: datetime) -> list[Fact]:
    row = (
        _required(e.case_id, "SubsidyCasePaid.case_id"),
        e.rule_family or None,
        e.enterprise_uscc or None,
        e.city_code or None,
        e.amount_fen,
        cst_date(e.paid_at, at),
    )
    return [(CASE_PAID, row)]
