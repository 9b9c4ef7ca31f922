"""Training events (training-vouchers) -> facts: vouchers, completions, certificates,
outcomes.
"""

from __future__ import annotations

from datetime import datetime

from employment_monitor.adapters import tables as t
from employment_monitor.adapters.projection import Fact, Upsert
from employment_monitor.contract_maps.common import (
    TRAINING_KIND,
    _date,
    _required,
    cst_date,
)
from suxin.training.v1 import events_pb2 as training

VOUCHER_ISSUED = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "city_code", "issued_on", "amount_fen"),
    key=("voucher_id",),
    mode="update",
)
VOUCHER_REDEEMED = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "redeemed_on"),
    key=("voucher_id",),
    mode="update",
)
TRAINING_COMPLETED = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "city_code", "completed_on", "passed"),
    key=("voucher_id",),
    mode="update",
)
TRAINING_CERTIFIED = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "certified_on", "skill_level", "subsidy_fen"),
    key=("voucher_id",),
    mode="update",
)
TRAINING_OUTCOME = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "employed", "retained"),
    key=("voucher_id",),
    mode="update",
)


def voucher_issued(e: training.VoucherIssued, at: datetime) -> list[Fact]:
    row = (
        _required(e.voucher_id, "VoucherIssued.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        e.city_code or None,
        cst_date(e.issued_at, at),
        e.amount_fen,
    )
    return [(VOUCHER_ISSUED, row)]


def voucher_redeemed(e: training.VoucherRedeemed, at: datetime) -> list[Fact]:
    row = (
        _required(e.voucher_id, "VoucherRedeemed.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        cst_date(e.redeemed_at, at),
    )
    return [(VOUCHER_REDEEMED, row)]


def training_completed(e: training.TrainingCompleted, at: datetime) -> list[Fact]:
    row = (
        _required(e.voucher_id, "TrainingCompleted.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        e.city_code or None,
        _date(
            e.completed_on, "TrainingCompleted.completed_on", fallback=cst_date(e.recorded_at, at)
        ),
        e.passed,
    )
    return [(TRAINING_COMPLETED, row)]


def training_certified(e: training.TrainingCertified, at: datetime) -> list[Fact]:
    row = (
        _required(e.voucher_id, "TrainingCertified.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        _date(
            e.certified_on, "TrainingCertified.certified_on", fallback=cst_date(e.recorded_at, at)
        ),
        int(e.skill_level),
        e.subsidy_fen,
    )
    return [(TRAINING_CERTIFIED, row)]


def training_outcome_recorded(e: training.TrainingOutcomeRecorded, at: datetime) -> list[Fact]:
    employed = True if e.outcome == training.TRAINING_OUTCOME_EMPLOYED else None
    retained = True if e.outcome == training.TRAINING_OUTCOME_RETAINED else None
    row = (
        _required(e.voucher_id, "TrainingOutcomeRecorded.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        employed,
        retained,
    )
    return [(TRAINING_OUTCOME, row)]
