"""Subsidy approvals and payments recorded outside a batch, each proposed by one staff member
and confirmed by another (maker-checker)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from suxin_common.auth import Principal
from suxin_common.errors import Conflict, NotFound
from suxin_common.security import four_eyes
from training_vouchers import contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain import review
from training_vouchers.domain.model import CaseStatus, SubsidyCase
from training_vouchers.domain.payments import Payment, PaymentStatus
from training_vouchers.domain.review import TookPart, china_day
from training_vouchers.handlers.common import audit_case, locked_case, save_case
from training_vouchers.handlers.money.common import (
    Visible,
    approvers,
    live_payment,
    propose,
    settle_paid,
)

# --- subsidy approval -----------------------------------------------------------------------


async def propose_approval(
    uow: Uow,
    case_id: uuid.UUID,
    *,
    amount_fen: int | None,
    reason: str | None,
    principal: Principal,
    rule: four_eyes.Rule,
    at: datetime,
    allowed: Visible,
) -> tuple[SubsidyCase, four_eyes.Approval]:
    """The maker's half of an approval: the case stays under review until another staff
    member confirms (AmountAboveRule, ReasonRequired, ForbiddenTransition, AlreadyPending)."""
    case = await locked_case(uow, case_id)
    allowed(case)
    review.may_approve(case)
    granted = review.check_amount(case, amount_fen, reason)
    approval = await _propose_on_case(
        uow,
        principal,
        rule,
        case,
        amount_fen=granted,
        payload={
            "amount_fen": granted,
            "reason": reason.strip() if reason else None,
            "case_version": case.version,
        },
        at=at,
    )
    return case, approval


async def _propose_on_case(
    uow: Uow, principal: Principal, rule: four_eyes.Rule, case: SubsidyCase, **proposal
) -> four_eyes.Approval:
    """One proposal on a case waits for its check at a time (409 naming the waiting one)."""
    return await propose(
        uow,
        principal,
        rule,
        waiting="a proposal for this case waits for its check",
        object_type="subsidy_case",
        object_id=str(case.id),
        **proposal,
    )


async def apply_approval(
    uow: Uow,
    approval: four_eyes.Approval,
    checker: Principal,
    *,
    at: datetime,
    payer_account_of: Callable[[str | None], str],
) -> dict:
    """The checker confirmed: the case is approved and its amount queued for payment."""
    case = await locked_case(uow, uuid.UUID(approval.object_id))
    if not checker.sees_district(case.district_code or case.city_code):
        raise NotFound(f"subsidy case {case.id} does not exist")
    if case.version != approval.payload["case_version"]:
        raise Conflict("the case changed after the approval was proposed; propose again")
    approved = review.approve(
        case,
        amount_fen=approval.payload["amount_fen"],
        reason=approval.payload.get("reason"),
        maker=approval.maker,
        checker=checker.subject,
        at=at,
    )
    await save_case(uow, approved)
    in_time = review.decided_in_time(approved)
    await audit_case(
        uow,
        checker,
        approved,
        CaseStatus.APPROVED.value,
        purpose="subsidy review (maker-checker)",
        previous_status=case.status.value,
        maker=approval.maker,
        checker=checker.subject,
        approval_id=str(approval.id),
        reduced=approved.rule_amount_fen is not None,
        reason_given=bool(approved.decision_reason),
        decided_in_time=in_time,
    )
    uow.publish(contracts.subsidy_case_decided(approved, china_day(at), in_time), key=str(case.id))
    payment = None
    if approved.amount_fen > 0:
        payment = Payment(
            id=uuid.uuid4(),
            case_id=approved.id,
            attempt=1,
            payer_account=payer_account_of(approved.city_code),
            # Every employment subsidy of this service is paid to the enterprise.
            payee_type="enterprise",
            payee_ref=approved.enterprise_uscc,
            amount_fen=approved.amount_fen,
            status=PaymentStatus.QUEUED,
            approvers=approvers(approved),
            queued_at=at,
        )
        await uow.repos.payments.add(payment)
    return {
        "case_id": str(approved.id),
        "status": approved.status.value,
        "amount_fen": approved.amount_fen,
        "payment_id": str(payment.id) if payment else None,
    }


# --- a payment made outside a batch (手工拨付登记) -------------------------------------------


async def propose_payment_record(
    uow: Uow,
    case_id: uuid.UUID,
    *,
    reference: str,
    principal: Principal,
    rule: four_eyes.Rule,
    at: datetime,
    allowed: Visible,
) -> four_eyes.Approval:
    """Propose to record a payment the treasury made by other means; neither the maker nor the
    checker may be one of the case's approvers."""
    case = await locked_case(uow, case_id)
    allowed(case)
    if case.status is not CaseStatus.APPROVED:
        raise review.ForbiddenTransition(case, CaseStatus.PAID)
    payment = await live_payment(uow, case.id)
    if payment is None or payment.status is not PaymentStatus.QUEUED:
        raise Conflict("the case's payment is not in the queue (it is in a batch or settled)")
    if principal.subject in payment.approvers:
        raise TookPart("whoever approved a payment may not pay it")
    return await _propose_on_case(
        uow,
        principal,
        rule,
        case,
        amount_fen=payment.amount_fen,
        payload={"reference": reference, "payment_id": str(payment.id)},
        excluded=payment.approvers,
        at=at,
    )


async def apply_payment_record(
    uow: Uow, approval: four_eyes.Approval, checker: Principal, *, at: datetime
) -> dict:
    case = await locked_case(uow, uuid.UUID(approval.object_id))
    payment = await live_payment(uow, case.id)
    if payment is None or str(payment.id) != approval.payload["payment_id"]:
        raise Conflict("the payment changed after the record was proposed")
    reference = approval.payload["reference"]
    paid = await settle_paid(uow, case, payment, reference, at, checker)
    return {"case_id": str(paid.id), "status": paid.status.value, "reference": reference}
