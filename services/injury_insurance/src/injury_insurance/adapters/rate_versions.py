"""Contribution-rate versions proposed and approved in the service (四眼原则), and the refresh
that joins the approved ones to the rate file's versions in every process.

An approved version takes effect on a later day than its approval (the API refuses today or
earlier), so refreshing every REFRESH_S seconds puts it in every replica's book in time.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from injury_insurance.adapters.tables import rate_versions
from injury_insurance.domain.orders import Industry
from injury_insurance.domain.rates import RateVersion, with_versions
from injury_insurance.rates import file_rate_book, install_rate_book

log = logging.getLogger(__name__)
REFRESH_S = 60.0
t = rate_versions


async def propose(
    session: AsyncSession,
    version: str,
    effective_from: date,
    rates_fen: dict[str, int],
    *,
    by: str,
    at: datetime,
) -> bool:
    """Insert a proposed version; False if the name is taken (in the file or the table)."""
    if any(v.version == version for v in file_rate_book().versions):
        return False
    row = await session.execute(
        insert(t)
        .values(
            version=version,
            effective_from=effective_from,
            rates_fen=rates_fen,
            status="proposed",
            proposed_by=by,
            proposed_at=at,
        )
        .on_conflict_do_nothing(index_elements=["version"])
        .returning(t.c.version)
    )
    return row.first() is not None


async def set_status(
    session: AsyncSession, version: str, status: str, *, approval_id, approved_by: str | None
) -> None:
    await session.execute(
        sa.update(t)
        .where(t.c.version == version)
        .values(status=status, approval_id=approval_id, approved_by=approved_by)
    )


async def all_versions(session: AsyncSession) -> list[dict]:
    rows = await session.execute(sa.select(t).order_by(t.c.effective_from))
    return [dict(r._mapping) for r in rows.all()]


async def approved(session: AsyncSession) -> list[RateVersion]:
    rows = await session.execute(sa.select(t).where(t.c.status == "approved"))
    return [
        RateVersion(
            version=r.version,
            effective_from=r.effective_from,
            defaults=False,
            rates_fen={Industry(k): int(v) for k, v in r.rates_fen.items()},
        )
        for r in rows.all()
    ]


async def refresh(sessions) -> None:
    """Install the file's versions plus the approved ones in this process."""
    async with sessions() as session:
        extra = await approved(session)
    install_rate_book(with_versions(file_rate_book(), extra))


async def keep_fresh(runtime) -> None:
    """Refresh every REFRESH_S until the service stops (the first load is at start-up)."""
    while not runtime.stop.is_set():
        try:
            await asyncio.wait_for(runtime.stop.wait(), timeout=REFRESH_S)
        except TimeoutError:
            pass
        else:
            return
        try:
            await refresh(runtime.sessions)
        except Exception:  # a database hiccup: keep the book in force, try again later
            log.exception("refreshing the contribution-rate versions failed")
