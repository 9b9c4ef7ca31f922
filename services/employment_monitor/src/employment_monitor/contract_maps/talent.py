"""Talent-card events -> facts: talent flows, cards issued and their status."""

from __future__ import annotations

from datetime import datetime

from employment_monitor.adapters import tables as t
from employment_monitor.adapters.projection import Fact, Upsert
from employment_monitor.contract_maps.common import (
    CARD_LEVEL,
    CARD_STATUS,
    _date,
    _month,
    _required,
    cst_date,
)
from suxin.talent.v1 import events_pb2 as talent

TALENT_FLOW = Upsert(
    t.talent_flow_facts,
    (
        "flow_id", "hire_id", "from_city_code", "to_city_code", "from_industry_code",
        "to_industry_code", "level", "month",
    ),
    key=("flow_id",),
    mode="insert",
)  # fmt: skip
CARD_ISSUED = Upsert(
    t.card_facts,
    ("card_id", "level", "city_code", "issued_on", "proactive"),
    key=("card_id",),
    mode="update",
)
CARD_STATUS_FACT = Upsert(
    t.card_facts,
    ("card_id", "status", "status_version"),
    key=("card_id",),
    mode="update",
    newer="status_version",
)


def talent_flow_recorded(e: talent.TalentFlowRecorded, at: datetime) -> list[Fact]:
    flowed = _date(
        e.flowed_on, "TalentFlowRecorded.flowed_on", fallback=cst_date(e.recorded_at, at)
    )
    row = (
        _required(e.flow_id, "TalentFlowRecorded.flow_id"),
        e.hire_id,
        e.from_city_code,
        e.to_city_code,
        e.from_industry_code,
        e.to_industry_code,
        CARD_LEVEL.get(e.level, "unspecified"),
        _month(flowed),
    )
    return [(TALENT_FLOW, row)]


def card_issued(e: talent.CardIssued, at: datetime) -> list[Fact]:
    row = (
        _required(e.card_id, "CardIssued.card_id"),
        CARD_LEVEL.get(e.level, "unspecified"),
        e.city_code or None,
        cst_date(e.issued_at, at),
        e.proactive,
    )
    return [(CARD_ISSUED, row)]


def card_status_changed(e: talent.CardStatusChanged, at: datetime) -> list[Fact]:
    row = (
        _required(e.card_id, "CardStatusChanged.card_id"),
        CARD_STATUS.get(e.status, "unspecified"),
        e.version,
    )
    return [(CARD_STATUS_FACT, row)]
