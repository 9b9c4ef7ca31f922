"""The inbox (站内消息) of one person, by their person key only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.tables import notifications
from job_matching.domain.enterprise_notices import EnterpriseNotice
from job_matching.domain.notifications import Notice

_COLUMNS = tuple(c for c in notifications.c if c.name not in ("person_key", "event_id"))


async def inbox(
    session: AsyncSession,
    person_key: str,
    *,
    limit: int,
    before: int | None = None,
    unread_only: bool = False,
) -> list[dict]:
    """The person's notices, newest first (keyset on id)."""
    query = sa.select(*_COLUMNS).where(notifications.c.person_key == person_key)
    if before is not None:
        query = query.where(notifications.c.id < before)
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    query = query.order_by(notifications.c.id.desc()).limit(limit)
    return [dict(r._mapping) for r in await session.execute(query)]


async def unread_count(session: AsyncSession, person_key: str) -> int:
    query = sa.select(sa.func.count()).where(
        notifications.c.person_key == person_key, notifications.c.read_at.is_(None)
    )
    return (await session.execute(query)).scalar_one()


async def mark_read(
    session: AsyncSession, person_key: str, notification_id: int, at: datetime
) -> dict | None:
    """Mark one of the person's notices read (the first reading time stays); None if it is not
    theirs."""
    await session.execute(
        sa.update(notifications)
        .where(
            notifications.c.id == notification_id,
            notifications.c.person_key == person_key,
            notifications.c.read_at.is_(None),
        )
        .values(read_at=at)
    )
    found = (
        await session.execute(
            sa.select(*_COLUMNS).where(
                notifications.c.id == notification_id, notifications.c.person_key == person_key
            )
        )
    ).first()
    return dict(found._mapping) if found else None


async def after(session: AsyncSession, person_key: str, last_id: int, *, limit: int) -> list[dict]:
    """The person's notices after ``last_id``, oldest first (the live stream's order)."""
    query = (
        sa.select(*_COLUMNS)
        .where(notifications.c.person_key == person_key, notifications.c.id > last_id)
        .order_by(notifications.c.id)
        .limit(limit)
    )
    return [dict(r._mapping) for r in await session.execute(query)]


async def add(session: AsyncSession, notice: Notice) -> None:
    """Put a notice in the person's inbox, once per (person, event): a redelivered event adds
    nothing (``uq_notifications_person_event``)."""
    await session.execute(
        insert(notifications)
        .values(person_key=notice.person_key, **notice_values(notice))
        .on_conflict_do_nothing(constraint="uq_notifications_person_event")
    )


def notice_values(notice: Notice | EnterpriseNotice) -> dict[str, Any]:
    """An inbox row's columns but its recipient (person's or enterprise's inbox alike)."""
    return {
        "event_id": notice.event_id,
        "kind": notice.kind.value,
        "title": notice.title,
        "body": notice.body,
        "service": notice.service,
        "link": notice.link,
        "occurred_at": notice.occurred_at,
    }
