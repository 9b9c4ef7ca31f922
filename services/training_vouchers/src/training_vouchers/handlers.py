"""Training-vouchers handlers: the only place that changes state."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.db import UnitOfWork
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.messaging.runner import PoisonMessage
from training_vouchers import contracts
from training_vouchers.adapters import repository as repo
from training_vouchers.domain.cases import open_cases
from training_vouchers.domain.policy import Policy

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


async def open_subsidy_cases(
    uow: UnitOfWork,
    event: hiring.HireRecorded,
    meta: EventMeta,
    *,
    policy: Policy,
    clock: Callable[[], datetime] = _now,
) -> None:
    """A recorded hire opens a subsidy case (免申即享) under every rule it qualifies for.

    Runs inside the consumer's unit of work, which commits (and the inbox row with it). A case
    that already exists for (hire, rule) is left alone and not announced again. A deadline in a
    year the holiday calendar does not know yet is counted in weekdays and flagged provisional.
    """
    try:
        hire = contracts.hire_facts(event)
    except contracts.InvalidEvent as exc:
        raise PoisonMessage(str(exc)) from exc
    opened = []
    for case in open_cases(hire, policy, clock()):
        if await repo.add_case(uow.session, case):
            uow.publish(contracts.subsidy_case_opened(case), key=str(case.id))
            opened.append(case.rule_id)
    # Ids and rule names only: no person key, no personal data in logs.
    log.info(
        "hire %s under policy %s: opened %d subsidy case(s) %s",
        hire.hire_id,
        policy.version,
        len(opened),
        opened,
    )
