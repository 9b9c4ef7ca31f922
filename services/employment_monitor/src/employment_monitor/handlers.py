"""Employment-monitor handlers: count what the other services report."""

from __future__ import annotations

from employment_monitor import contracts
from employment_monitor.adapters import repository as repo
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.db import UnitOfWork
from suxin_common.messaging.cloudevents import EventMeta


async def count_hire(uow: UnitOfWork, event: hiring.HireRecorded, meta: EventMeta) -> None:
    """A hire is a new job in every statistic it belongs to (region, industry, month, group)."""
    await repo.add_hire_fact(uow.session, contracts.hire_fact(event))
