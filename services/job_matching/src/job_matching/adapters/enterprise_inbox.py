"""The inbox (单位消息) of one enterprise, by its USCC only."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.notifications_repository import notice_values
from job_matching.adapters.tables import enterprise_notifications as t
from job_matching.domain.enterprise_notices import EnterpriseNotice

_COLUMNS = tuple(c for c in t.c if c.name not in ("enterprise_uscc", "event_id"))


async def inbox(
    session: AsyncSession, uscc: str, *, limit: int, before: int | None, unread_only: bool
) -> list[dict]:
    """The enterprise's notices, newest first (keyset on id)."""
    query = sa.select(*_COLUMNS).where(t.c.enterprise_uscc == uscc)
    if before is not None:
        query = query.where(t.c.id < before)
    if unread_only:
        query = query.where(t.c.read_at.is_(None))
    query = query.order_by(t.c.id.desc()).limit(limit)
    return [dict(r._mapping) for r in await session.execute(query)]


async def unread_count(session: AsyncSession, uscc: str) -> int:
    query = sa.select(sa.func.count()).where(t.c.enterprise_uscc == uscc, t.c.read_at.is_(None))
    return (await session.execute(query)).scalar_one()


async def mark_read(
    session: AsyncSession, uscc: str, notification_id: int, at: datetime
) -> dict | None:
    """Mark one of the enterprise's notices read (the first time stays); None if not its."""
    await session.execute(
        sa.update(t)
        .where(t.c.id == notification_id, t.c.enterprise_uscc == uscc, t.c.read_at.is_(None))
        .values(read_at=at)
    )
    found = (
        await session.execute(
            sa.select(*_COLUMNS).where(t.c.id == notification_id, t.c.enterprise_uscc == uscc)
        )
    ).first()
    return dict(found._mapping) if found else None


async def after(session: AsyncSession, uscc: str, last_id: int, *, limit: int) -> list[dict]:
    """The enterprise's notices after ``last_id``, oldest first (the live stream's order)."""
    query = (
        sa.select(*_COLUMNS)
        .where(t.c.enterprise_uscc == uscc, t.c.id > last_id)
        .order_by(t.c.id)
        .limit(limit)
    )
    return [dict(r._mapping) for r in await session.execute(query)]


async def add(session: AsyncSession, notice: EnterpriseNotice) -> None:
    """Put a notice in the enterprise's inbox, once per (enterprise, event): a redelivered
    event adds nothing (``uq_enterprise_notifications_event``)."""
    await session.execute(
        insert(t)
        .values(enterprise_uscc=notice.enterprise_uscc, **notice_values(notice))
        .on_conflict_do_nothing(constraint="uq_enterprise_notifications_event")
    )
