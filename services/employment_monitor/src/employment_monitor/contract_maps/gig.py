"""Gig-market events -> facts: platforms, gig workers, reported orders."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from employment_monitor.adapters import tables as t
from employment_monitor.adapters.projection import Fact, Upsert
from employment_monitor.contract_maps.common import (
    ORDER_STATUS,
    PLATFORM_INDUSTRY,
    _month,
    _required,
    cst_date,
)
from suxin.gig.v1 import events_pb2 as gig

PLATFORM = Upsert(
    t.gig_platforms,
    ("platform_uscc", "version", "name", "pilot", "city_code"),
    key=("platform_uscc",),
    mode="update",
    newer="version",
)
GIG_WORKER = Upsert(
    t.gig_workers,
    ("platform_uscc", "worker_id", "city_code", "month"),
    key=("platform_uscc", "worker_id"),
    mode="insert",
)
GIG_ORDERS = Upsert(
    t.gig_order_lines,
    ("chunk_id", "city_code", "industry", "month", "status", "platform_uscc", "orders"),
    key=("chunk_id", "city_code", "industry", "month", "status"),
    mode="insert",
)


def platform_registered(e: gig.PlatformRegistered, at: datetime) -> list[Fact]:
    row = (
        _required(e.platform_uscc, "PlatformRegistered.platform_uscc"),
        e.version,
        e.name,
        e.pilot,
        e.city_code,
    )
    return [(PLATFORM, row)]


def gig_worker_registered(e: gig.GigWorkerRegistered, at: datetime) -> list[Fact]:
    row = (
        _required(e.platform_uscc, "GigWorkerRegistered.platform_uscc"),
        _required(e.worker_id, "GigWorkerRegistered.worker_id"),
        e.city_code,
        _month(cst_date(e.registered_at, at)),
    )
    return [(GIG_WORKER, row)]


def orders_reported(e: gig.OrdersReported, at: datetime) -> list[Fact]:
    chunk = _required(e.chunk_id, "OrdersReported.chunk_id")
    lines: Counter[tuple[str, str, date, str]] = Counter()
    for o in e.orders:
        lines[
            (
                o.city_code,
                PLATFORM_INDUSTRY.get(o.industry, "unspecified"),
                _month(cst_date(o.accepted_at, at)),
                ORDER_STATUS.get(o.status, "unspecified"),
            )
        ] += 1
    return [
        (GIG_ORDERS, (chunk, city, industry, month, status, e.platform_uscc, n))
        for (city, industry, month, status), n in lines.items()
    ]
