"""Injury-insurance events -> facts: coverages, per-order cover, claims."""

from __future__ import annotations

from datetime import date, datetime

from employment_monitor.adapters import tables as t
from employment_monitor.adapters.projection import Fact, Upsert
from employment_monitor.contract_maps.common import (
    CLAIM_STAGE,
    PLATFORM_INDUSTRY,
    SCHEME,
    _date,
    _month,
    _required,
    cst_date,
)
from suxin.insurance.v1 import events_pb2 as insurance

COVERAGE_STARTED = Upsert(
    t.coverage_facts,
    ("coverage_id", "hire_id", "enterprise_uscc", "scheme", "city_code", "start_date"),
    key=("coverage_id",),
    mode="update",
)
COVERAGE_ENDED = Upsert(
    t.coverage_facts,
    ("coverage_id", "hire_id", "enterprise_uscc", "scheme", "city_code", "end_date"),
    key=("coverage_id",),
    mode="update",
)
ORDER_COVER = Upsert(
    t.order_cover_lines,
    ("chunk_id", "industry", "city_code", "month", "platform_uscc", "orders", "contribution_fen"),
    key=("chunk_id", "industry", "city_code", "month"),
    mode="insert",
)
CLAIM = Upsert(
    t.claim_facts,
    (
        "claim_id",
        "version",
        "platform_uscc",
        "industry",
        "stage",
        "amount_fen",
        "city_code",
        "month",
    ),
    key=("claim_id",),
    mode="update",
    newer="version",
)


def coverage_started(e: insurance.CoverageStarted, at: datetime) -> list[Fact]:
    row = (
        _required(e.coverage_id, "CoverageStarted.coverage_id"),
        e.hire_id or None,
        e.enterprise_uscc or None,
        SCHEME.get(e.scheme, "unspecified"),
        e.city_code or None,
        _date(e.start_date, "CoverageStarted.start_date", fallback=cst_date(e.started_at, at)),
    )
    return [(COVERAGE_STARTED, row)]


def coverage_ended(e: insurance.CoverageEnded, at: datetime) -> list[Fact]:
    row = (
        _required(e.coverage_id, "CoverageEnded.coverage_id"),
        e.hire_id or None,
        e.enterprise_uscc or None,
        SCHEME.get(e.scheme, "unspecified"),
        e.city_code or None,
        _date(e.end_date, "CoverageEnded.end_date", fallback=cst_date(e.ended_at, at)),
    )
    return [(COVERAGE_ENDED, row)]


def _year_month(text: str, fallback: date) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return _month(fallback)


def orders_covered(e: insurance.OrdersCovered, at: datetime) -> list[Fact]:
    chunk = _required(e.chunk_id, "OrdersCovered.chunk_id")
    day = cst_date(e.covered_at, at)
    sums: dict[tuple[str, str, date], list[int]] = {}
    for line in e.lines:
        k = (
            PLATFORM_INDUSTRY.get(line.industry, "unspecified"),
            line.city_code,
            _year_month(line.month, day),
        )
        s = sums.setdefault(k, [0, 0])
        s[0] += line.orders
        s[1] += line.contribution_fen
    return [
        (ORDER_COVER, (chunk, industry, city, month, e.platform_uscc, n, fen))
        for (industry, city, month), (n, fen) in sums.items()
    ]


def claim_stage_changed(e: insurance.ClaimStageChanged, at: datetime) -> list[Fact]:
    row = (
        _required(e.claim_id, "ClaimStageChanged.claim_id"),
        e.version,
        e.platform_uscc,
        PLATFORM_INDUSTRY.get(e.industry, "unspecified"),
        CLAIM_STAGE.get(e.stage, "unspecified"),
        e.amount_fen,
        e.city_code,
        _month(cst_date(e.changed_at, at)),
    )
    return [(CLAIM, row)]
