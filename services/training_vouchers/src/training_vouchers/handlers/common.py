"""What the training-vouchers handlers share: the consumer's audit actor, the clock, the
case errors (domain errors, which the kit answers as problem details), and the audit entry of
a case decision (codes and amounts only)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from suxin_common import errors
from suxin_common.auth import Principal
from suxin_common.db import Work
from suxin_common.security import audit
from training_vouchers import contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain.model import SubsidyCase

# The audit actor of decisions the engine takes on an event, with no caller behind them.
CONSUMER_ACTOR = "consumer:training-vouchers"


def now() -> datetime:
    return datetime.now(UTC)


class CaseNotFound(errors.NotFound):
    """No such subsidy case, or not one the caller may see."""

    def __init__(self, case_id: object) -> None:
        super().__init__(f"subsidy case {case_id} does not exist")
        self.case_id = str(case_id)


class CaseChanged(errors.Conflict):
    """Someone else changed the case meanwhile (its version moved on)."""

    def __init__(self, case_id: object) -> None:
        super().__init__("the case was changed meanwhile; read it again")
        self.case_id = str(case_id)


def case_details(case: SubsidyCase, decision: str, **more) -> dict:
    """What an audit entry says about a case decision: codes and amounts only."""
    return {
        "decision": decision,
        "status": case.status.value,
        "rule_id": case.rule_id,
        "rule_family": case.rule_family,
        "rule_version": case.rule_version,
        "amount_fen": case.amount_fen,
        "enterprise_uscc": case.enterprise_uscc,
        "district_code": case.district_code or case.city_code,
    } | more


def decision_entry(
    principal: Principal | None,
    object_type: str,
    object_id: object,
    details: dict,
    *,
    action: str = audit.DECIDE_SUBSIDY,
    purpose: str | None = None,
) -> dict:
    """The audit entry of a decision on a case or voucher (content; the unit of work chains
    it): by the caller, or by this service's consumer when an event decided it."""
    return audit.entry(
        principal,
        actor=None if principal is not None else CONSUMER_ACTOR,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        purpose=purpose,
        details=details,
    )


def case_entry(
    principal: Principal | None,
    case: SubsidyCase,
    decision: str,
    *,
    action: str = audit.DECIDE_SUBSIDY,
    purpose: str | None = None,
    **more,
) -> dict:
    """The audit entry of a case decision (codes and amounts only)."""
    details = case_details(case, decision, **more)
    return decision_entry(
        principal, "subsidy_case", case.id, details, action=action, purpose=purpose
    )


async def audit_case(
    uow: Work[Any], principal: Principal | None, case: SubsidyCase, decision: str, **how
) -> None:
    """Append the audit entry of a case decision (:func:`case_entry`, ``how``: its action,
    purpose and further details) in the unit of work's transaction."""
    await uow.append_audit([case_entry(principal, case, decision, **how)])


async def locked_case(uow: Uow, case_id: uuid.UUID) -> SubsidyCase:
    """The case, locked to COMMIT; CaseNotFound if there is none."""
    case = await uow.repos.cases.get(case_id, lock=True)
    if case is None:
        raise CaseNotFound(str(case_id))
    return case


async def save_case(uow: Uow, case: SubsidyCase) -> None:
    """Write the changed case; CaseChanged if someone else changed it meanwhile."""
    if not await uow.repos.cases.save(case):
        raise CaseChanged(str(case.id))


async def open_new(
    uow: Uow, cases: Sequence[SubsidyCase], principal: Principal | None = None
) -> list[SubsidyCase]:
    """Insert the cases the engine opened; each opened one is announced and audited (by the
    caller that fed the data, or the consumer when a hire event opened it)."""
    opened = [case for case in cases if await uow.repos.cases.add(case)]
    announce_opened(uow, opened)
    if opened:
        await uow.append_audit([opened_entry(principal, case) for case in opened])
    return opened


def opened_entry(principal: Principal | None, case: SubsidyCase) -> dict:
    """The audit entry of a case the engine opened (免申即享)."""
    return case_entry(principal, case, "opened", purpose="免申即享 case opened")


def announce_opened(uow: Work[Any], cases: Sequence[SubsidyCase]) -> None:
    """Record SubsidyCaseOpened for each of the cases (outbox, with the transaction)."""
    for case in cases:
        uow.publish(contracts.subsidy_case_opened(case), key=str(case.id))
