"""Reads and writes of 更正请求 (profile correction requests; session passed in)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.tables import profile_corrections as t


async def add(session: AsyncSession, values: Mapping[str, Any]) -> None:
    await session.execute(sa.insert(t).values(**values))


async def get(session: AsyncSession, correction_id: uuid.UUID, *, lock: bool = False) -> Any:
    """The request's row, or None (locked to COMMIT if ``lock``)."""
    query = sa.select(t).where(t.c.id == correction_id)
    return (await session.execute(query.with_for_update() if lock else query)).first()


async def decide(
    session: AsyncSession, correction_id: uuid.UUID, values: Mapping[str, Any]
) -> None:
    """Write the decision (status, note, by whom, when)."""
    await session.execute(sa.update(t).where(t.c.id == correction_id).values(**values))
