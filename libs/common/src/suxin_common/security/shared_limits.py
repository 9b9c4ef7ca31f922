"""Rate limits that hold across replicas: a fixed-window counter per caller in PostgreSQL.

One statement per request (an UPSERT returning the window's count). The in-process token
bucket (limits.py) stays in front as the second line: it refuses a flood without touching the
database, and this counter refuses what the replicas together let through above the limit.
Chosen over a NATS KV counter (docs/security.md has the figures): the KV is cheaper for
clients that do not collide, but its only atomic increment is a read plus a compare-and-set,
retried about four times per request when one client's requests race; the UPSERT never retries.
"""

from __future__ import annotations

import math
import random
import time

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from suxin_common.tables import rate_limit_windows

_PRUNE_SHARE = 0.001  # about one request in a thousand deletes windows long past


class SharedWindowLimiter:
    """At most `limit` requests per caller in each `window_s` window, counted in the database."""

    def __init__(self, limit: int, window_s: float) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be at least 1 and window_s positive")
        self.limit = limit
        self.window_s = window_s

    async def take(
        self, engine: AsyncEngine, key: str, now: float | None = None
    ) -> tuple[bool, int, float]:
        """Count one request: (allowed, remaining in this window, seconds until the next)."""
        now = time.time() if now is None else now
        window = math.floor(now / self.window_s)
        table = rate_limit_windows
        upsert = (
            insert(table)
            .values(key=key, window_start=window, count=1)
            .on_conflict_do_update(
                index_elements=[table.c.key, table.c.window_start],
                set_={"count": table.c.count + 1},
            )
            .returning(table.c.count)
        )
        async with engine.begin() as conn:
            count = (await conn.execute(upsert)).scalar_one()
            if random.random() < _PRUNE_SHARE:  # noqa: S311 - sampling, not security
                await conn.execute(sa.delete(table).where(table.c.window_start < window - 1))
        reset = (window + 1) * self.window_s - now
        return count <= self.limit, max(0, self.limit - count), reset
