"""Bulk storage of platform orders: COPY into a staging table, one upsert, no per-row ORM.

Runs on the asyncpg connection under the unit of work's session, inside its transaction, so
the orders and the outbox rows that announce them commit together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import asyncpg

from gig_market.domain.model import Industry
from gig_market.domain.orders import OrderFacts, OrderReport, OrderStatus

# One per connection, emptied by every commit; rolled back with the transaction.
_STAGING = """
CREATE TEMP TABLE IF NOT EXISTS order_staging (
    order_id text NOT NULL, worker_id text NOT NULL, person_key text NOT NULL,
    industry text NOT NULL, status text NOT NULL, accepted_at timestamptz NOT NULL,
    completed_at timestamptz, cancelled_at timestamptz, city_code text NOT NULL
) ON COMMIT DELETE ROWS
"""
STAGING_COLUMNS = (
    "order_id",
    "worker_id",
    "person_key",
    "industry",
    "status",
    "accepted_at",
    "completed_at",
    "cancelled_at",
    "city_code",
)
# New orders are inserted; a recorded order only moves from accepted to an end, and only when
# the report is the same order (worker, industry, acceptance). Everything else is left alone
# and judged by the caller. `xmax = 0` tells a fresh insert from an update. Rows go in order
# id order so that two batches sharing orders lock them in the same order (no deadlock).
_UPSERT = """
INSERT INTO orders AS o (platform_uscc, order_id, worker_id, person_key, industry, status,
                         accepted_at, completed_at, cancelled_at, city_code)
SELECT $1, order_id, worker_id, person_key, industry, status,
       accepted_at, completed_at, cancelled_at, city_code
FROM order_staging
ORDER BY order_id
ON CONFLICT (platform_uscc, order_id) DO UPDATE
SET status = EXCLUDED.status, completed_at = EXCLUDED.completed_at,
    cancelled_at = EXCLUDED.cancelled_at, version = o.version + 1, updated_at = now()
WHERE o.status = 'accepted' AND EXCLUDED.status <> 'accepted'
  AND o.worker_id = EXCLUDED.worker_id AND o.industry = EXCLUDED.industry
  AND o.accepted_at = EXCLUDED.accepted_at
RETURNING o.order_id, (o.xmax = 0) AS inserted
"""
_WORKERS = """
SELECT worker_id, person_key, city_code FROM gig_workers
WHERE platform_uscc = $1 AND worker_id = ANY($2::text[])
"""
_RECORDED = """
SELECT order_id, worker_id, industry, status, accepted_at, completed_at, cancelled_at, city_code
FROM orders WHERE platform_uscc = $1 AND order_id = ANY($2::text[])
"""


async def workers(
    conn: asyncpg.Connection, platform_uscc: str, worker_ids: Iterable[str]
) -> dict[str, tuple[str, str]]:
    """``worker_id -> (person_key, city_code)`` for those registered with this platform."""
    rows = await conn.fetch(_WORKERS, platform_uscc, list(worker_ids))
    return {r[0]: (r[1], r[2]) for r in rows}


async def upsert(
    conn: asyncpg.Connection,
    platform_uscc: str,
    orders: Sequence[tuple[OrderFacts, str, str]],
) -> dict[str, bool]:
    """Store orders, each with its worker's person key and its city (order ids unique).

    Returns ``order_id -> inserted`` for every order that was inserted or moved on.
    """
    if not orders:
        return {}
    records = [
        (
            o.order_id,
            o.worker_id,
            person_key,
            o.industry,  # str enums: asyncpg sends them as their text
            o.status,
            o.accepted_at,
            o.completed_at,
            o.cancelled_at,
            city_code,
        )
        for o, person_key, city_code in orders
    ]
    await conn.execute(_STAGING)
    await conn.copy_records_to_table("order_staging", records=records, columns=STAGING_COLUMNS)
    rows = await conn.fetch(_UPSERT, platform_uscc)
    return {r[0]: r[1] for r in rows}


async def recorded(
    conn: asyncpg.Connection, platform_uscc: str, order_ids: list[str]
) -> dict[str, OrderReport]:
    rows = await conn.fetch(_RECORDED, platform_uscc, order_ids)
    return {
        r[0]: OrderReport(r[0], r[1], Industry(r[2]), OrderStatus(r[3]), r[4], r[5], r[6], r[7])
        for r in rows
    }
