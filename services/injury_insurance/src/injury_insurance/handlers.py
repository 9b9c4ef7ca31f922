"""Injury-insurance handlers: one function per command or event; the only place that changes
state."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from injury_insurance import contracts
from injury_insurance.adapters import repository as repo
from injury_insurance.domain.model import CoverUndecidable, start_coverage
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.db import UnitOfWork
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.messaging.runner import PoisonMessage


async def start_cover_for_hire(
    uow: UnitOfWork, event: hiring.HireRecorded, meta: EventMeta
) -> None:
    """A hire starts the person's injury cover: 工伤保险 for employees, 职业伤害保障 for gig work.

    Runs inside the consumer's unit of work, which commits (with the inbox row) and acks.
    """
    hire = contracts.hire(event)
    try:
        coverage = start_coverage(hire, coverage_id=uuid.uuid4(), started_at=datetime.now(UTC))
    except CoverUndecidable as exc:
        raise PoisonMessage(f"hire {hire.hire_id}: {exc}") from exc
    if await repo.add_coverage(uow.session, coverage):
        uow.publish(contracts.coverage_started(coverage), key=str(coverage.id))
