"""What the money handlers share: the action names, a proposal to a second staff member,
locked reads of a case and its live payment, and settling a payment as paid."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from suxin_common.auth import Principal
from suxin_common.errors import Conflict
from suxin_common.security import audit, four_eyes
from training_vouchers import contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain import review
from training_vouchers.domain.model import SubsidyCase
from training_vouchers.domain.payments import Payment, PaymentStatus
from training_vouchers.handlers.common import audit_case, save_case

SUBSIDY_APPROVAL = "subsidy_approval"
PAYMENT_RELEASE = "payment_release"
PAYMENT_RECORD = "payment_record"
SUBSIDY_TABLE = "subsidy_table"

Visible = Callable[[SubsidyCase], Any]


async def propose(
    uow: Uow, principal: Principal, rule: four_eyes.Rule, *, waiting: str, **proposal: Any
) -> four_eyes.Approval:
    """Propose to a second staff member (``four_eyes.propose``). While a proposal of the same
    action on the same object waits for its check, another is refused: 409 with ``waiting`` as
    its detail and the waiting one's ``pending_approval_id``."""
    try:
        return await four_eyes.propose(uow, principal, rule, **proposal)
    except four_eyes.AlreadyPending as exc:
        raise Conflict(waiting, extra={"pending_approval_id": str(exc.approval_id)}) from None


def approvers(case: SubsidyCase) -> tuple[str, ...]:
    return tuple(sorted({p for p in (case.decided_by, case.approved_by) if p}))


async def live_payment(uow: Uow, case_id: uuid.UUID) -> Payment | None:
    live = [
        p
        for p in await uow.repos.payments.of_case(case_id)
        if p.status in (PaymentStatus.QUEUED, PaymentStatus.BATCHED)
    ]
    return live[0] if live else None


async def settle_paid(
    uow: Uow,
    case: SubsidyCase,
    payment: Payment,
    reference: str,
    at: datetime,
    principal: Principal,
) -> SubsidyCase:
    settled = replace(payment, status=PaymentStatus.PAID, settled_at=at, bank_reference=reference)
    await uow.repos.payments.save(settled)
    paid = review.pay(case, reference=reference, at=at)
    await save_case(uow, paid)
    await audit_case(
        uow,
        principal,
        paid,
        "paid",
        action=audit.DECIDE_PAYMENT,
        purpose="subsidy payment (拨付)",
        payment_reference=reference,
        payment_id=str(payment.id),
        attempt=payment.attempt,
    )
    uow.publish(contracts.subsidy_case_paid(paid, payment.id, payment.attempt), key=str(paid.id))
    return paid
