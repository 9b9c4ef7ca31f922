"""Read side of the "131" and "1+3" programmes: what each person received and is still owed."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters import repository as repo
from job_matching.adapters.tables import hires, seekers, services_delivered
from job_matching.domain import employment_services as services
from job_matching.domain.model import KeyGroup

SCAN_BATCH = 500


async def _delivered_counts(
    session: AsyncSession, seeker_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[services.Programme, dict[services.ServiceKind, int]]]:
    t = services_delivered.c
    query = (
        select(t.seeker_id, t.programme, t.kind, func.count())
        .where(t.seeker_id.in_(seeker_ids))
        .group_by(t.seeker_id, t.programme, t.kind)
    )
    counts: dict[Any, Any] = defaultdict(lambda: defaultdict(dict))
    for seeker_id, programme, kind, n in (await session.execute(query)).all():
        counts[seeker_id][services.Programme(programme)][services.ServiceKind(kind)] = n
    return counts


async def seeker_balances(
    session: AsyncSession, row: Any, today: date
) -> tuple[list[services.Balance], list[Any]]:
    """The balances of the programmes a person is owed now, and every service delivered."""
    employed = await repo.has_active_hire(session, row.id)
    groups = repo.seeker_from_row(row).key_groups
    programmes = services.programmes_for(groups, row.graduation_date, employed, today)
    counts = (await _delivered_counts(session, [row.id])).get(row.id, {})
    balances = [services.balance(p, counts.get(p, {})) for p in programmes]
    return balances, await repo.services_of(session, row.id)


async def owed_services(
    session: AsyncSession,
    *,
    today: date,
    programme: services.Programme | None,
    limit: int,
    after: uuid.UUID | None,
    region: Any = None,
) -> tuple[list[tuple[Any, list[services.Balance]]], uuid.UUID | None]:
    """People still owed services, by seeker id; returns (page, cursor id or None).

    `region` is a condition on the seekers (HRSS staff see their district only)."""
    s = seekers.c
    recent = and_(
        s.key_groups.contains([KeyGroup.COLLEGE_GRADUATE.value]),
        s.graduation_date >= today - timedelta(days=2 * 366),
        s.graduation_date <= today,
    )
    displaced = s.key_groups.contains([KeyGroup.DISPLACED_BY_DIGITAL_TRANSFORMATION.value])
    group = {
        services.Programme.GRADUATE_131: recent,
        services.Programme.DISPLACED_1_3: displaced,
        None: or_(recent, displaced),
    }[programme]
    active_hire = exists().where(hires.c.seeker_id == s.id, hires.c.end_date.is_(None))
    found: list[tuple[Any, list[services.Balance]]] = []
    cursor = after
    while True:
        query = select(seekers).where(group, ~active_hire)
        if region is not None:
            query = query.where(region)
        if cursor is not None:
            query = query.where(s.id > cursor)
        rows = (await session.execute(query.order_by(s.id).limit(SCAN_BATCH))).all()
        if not rows:
            return found, None
        counts = await _delivered_counts(session, [r.id for r in rows])
        for row in rows:
            cursor = row.id
            programmes = services.programmes_for(
                repo.seeker_from_row(row).key_groups, row.graduation_date, False, today
            )
            balances = [
                services.balance(p, counts.get(row.id, {}).get(p, {}))
                for p in programmes
                if programme is None or p is programme
            ]
            owed = [b for b in balances if not b.complete]
            if owed:
                found.append((row, owed))
                if len(found) == limit:
                    return found, row.id
