"""What the training-vouchers handlers share: the consumer's audit actor, the clock, the
case errors (domain errors, which the kit answers as problem details), and the audit entry of
a case decision (codes and amounts only)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from suxin_common import errors
from suxin_common.auth import Principal
from suxin_common.db import UnitOfWork
from suxin_common.security import audit
from training_vouchers import contracts
from training_vouchers.adapters import repository as repo
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


async def audit_case(
    uow: UnitOfWork,
    principal: Principal | None,
    case: SubsidyCase,
    decision: str,
    *,
    action: str = audit.DECIDE_SUBSIDY,
    purpose: str | None = None,
    **more,
) -> dict:
    return await audit.record(
        uow,
        principal,
        actor=None if principal is not None else CONSUMER_ACTOR,
        action=action,
        object_type="subsidy_case",
        object_id=str(case.id),
        purpose=purpose,
        details=case_details(case, decision, **more),
    )


async def open_new(
    uow: UnitOfWork, cases: Sequence[SubsidyCase], principal: Principal | None = None
) -> list[SubsidyCase]:
    """Insert the cases the engine opened; each opened one is announced and audited (by the
    caller that fed the data, or the consumer when a hire event opened it)."""
    opened = []
    for case in cases:
        if await repo.add_case(uow.session, case):
            uow.publish(contracts.subsidy_case_opened(case), key=str(case.id))
            await audit_case(uow, principal, case, "opened", purpose="免申即享 case opened")
            opened.append(case)
    return opened
