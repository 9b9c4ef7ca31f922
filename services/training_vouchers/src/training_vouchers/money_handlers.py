"""Handlers of the money side: approvals under four eyes, the payment queue and batches, the
reconciliation of result files, occupation-table versions, and appeals.

Like ``handlers.py``, each runs in a unit of work its caller commits; events go out through the
outbox and every step is in the audit trail. The maker-checker rules are in
``four_eyes_actions.py``; the checks themselves in the kit (suxin_common.security.four_eyes).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from suxin_common.auth import Principal, Role
from suxin_common.db import UnitOfWork
from suxin_common.privacy import mask_resident_ids
from suxin_common.security import audit, four_eyes
from suxin_common.web import Conflict, NotFound
from training_vouchers import contracts, money_contracts
from training_vouchers.adapters import money_repository as money_repo
from training_vouchers.adapters import repository as repo
from training_vouchers.domain import appeals, payments, review
from training_vouchers.domain.appeals import Appeal, AppealStatus, Attachment
from training_vouchers.domain.model import CaseStatus, SubsidyCase
from training_vouchers.domain.payments import BatchStatus, Outcome, Payment, PaymentStatus
from training_vouchers.domain.review import china_day
from training_vouchers.domain.training import Occupation
from training_vouchers.domain.working_days import case_deadline
from training_vouchers.handlers import CaseChanged, CaseNotFound, audit_case

SUBSIDY_APPROVAL = "subsidy_approval"
PAYMENT_RELEASE = "payment_release"
PAYMENT_RECORD = "payment_record"
SUBSIDY_TABLE = "subsidy_table"

Visible = Callable[[SubsidyCase], Any]


class TookPart(Exception):
    """The caller took part in an earlier step and may not do this one (four eyes)."""


async def _locked(uow: UnitOfWork, case_id: uuid.UUID) -> SubsidyCase:
    case = await repo.get_case(uow.session, case_id, for_update=True)
    if case is None:
        raise CaseNotFound(str(case_id))
    return case


async def _save(uow: UnitOfWork, case: SubsidyCase) -> None:
    if not await repo.save_case(uow.session, case):
        raise CaseChanged(str(case.id))


def _approvers(case: SubsidyCase) -> tuple[str, ...]:
    return tuple(sorted({p for p in (case.decided_by, case.approved_by) if p}))


# --- subsidy approval -----------------------------------------------------------------------


async def propose_approval(
    uow: UnitOfWork,
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
    case = await _locked(uow, case_id)
    allowed(case)
    review.may_approve(case)
    granted = review.check_amount(case, amount_fen, reason)
    approval = await four_eyes.propose(
        uow,
        principal,
        rule,
        object_type="subsidy_case",
        object_id=str(case.id),
        amount_fen=granted,
        payload={
            "amount_fen": granted,
            "reason": reason.strip() if reason else None,
            "case_version": case.version,
        },
        at=at,
    )
    return case, approval


async def apply_approval(
    uow: UnitOfWork,
    approval: four_eyes.Approval,
    checker: Principal,
    *,
    at: datetime,
    payer_account_of: Callable[[str | None], str],
) -> dict:
    """The checker confirmed: the case is approved and its amount queued for payment."""
    case = await _locked(uow, uuid.UUID(approval.object_id))
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
    await _save(uow, approved)
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
            approvers=_approvers(approved),
            queued_at=at,
        )
        await money_repo.add_payment(uow.session, payment)
    return {
        "case_id": str(approved.id),
        "status": approved.status.value,
        "amount_fen": approved.amount_fen,
        "payment_id": str(payment.id) if payment else None,
    }


# --- a payment made outside a batch (手工拨付登记) -------------------------------------------


async def _live_payment(uow: UnitOfWork, case_id: uuid.UUID) -> Payment | None:
    live = [
        p
        for p in await money_repo.payments_of_case(uow.session, case_id)
        if p.status in (PaymentStatus.QUEUED, PaymentStatus.BATCHED)
    ]
    return live[0] if live else None


async def propose_payment_record(
    uow: UnitOfWork,
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
    case = await _locked(uow, case_id)
    allowed(case)
    if case.status is not CaseStatus.APPROVED:
        raise review.ForbiddenTransition(case, CaseStatus.PAID)
    payment = await _live_payment(uow, case.id)
    if payment is None or payment.status is not PaymentStatus.QUEUED:
        raise Conflict("the case's payment is not in the queue (it is in a batch or settled)")
    if principal.subject in payment.approvers:
        raise TookPart("whoever approved a payment may not pay it")
    return await four_eyes.propose(
        uow,
        principal,
        rule,
        object_type="subsidy_case",
        object_id=str(case.id),
        amount_fen=payment.amount_fen,
        payload={"reference": reference, "payment_id": str(payment.id)},
        excluded=payment.approvers,
        at=at,
    )


async def apply_payment_record(
    uow: UnitOfWork, approval: four_eyes.Approval, checker: Principal, *, at: datetime
) -> dict:
    case = await _locked(uow, uuid.UUID(approval.object_id))
    payment = await _live_payment(uow, case.id)
    if payment is None or str(payment.id) != approval.payload["payment_id"]:
        raise Conflict("the payment changed after the record was proposed")
    reference = approval.payload["reference"]
    paid = await _settle_paid(uow, case, payment, reference, at, checker)
    return {"case_id": str(paid.id), "status": paid.status.value, "reference": reference}


async def _settle_paid(
    uow: UnitOfWork,
    case: SubsidyCase,
    payment: Payment,
    reference: str,
    at: datetime,
    principal: Principal,
) -> SubsidyCase:
    settled = replace(payment, status=PaymentStatus.PAID, settled_at=at, bank_reference=reference)
    await money_repo.save_payment(uow.session, settled)
    paid = review.pay(case, reference=reference, at=at)
    await _save(uow, paid)
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


# --- batches --------------------------------------------------------------------------------


async def prepare_batch(
    uow: UnitOfWork,
    payer_account: str,
    *,
    principal: Principal,
    rule: four_eyes.Rule,
    at: datetime,
) -> tuple[dict, four_eyes.Approval]:
    """Collect the queued payments of ``payer_account`` into today's next batch, write its file
    and propose its release (a different person, who approved none of them, releases it)."""
    queued = await money_repo.queued_payments(uow.session, payer_account)
    if not queued:
        raise Conflict(f"no payments are queued for {payer_account}")
    approvers = sorted({a for p in queued for a in p.approvers})
    if principal.subject in approvers:
        raise TookPart("whoever approved a payment may not put it into a batch")
    day = china_day(at)
    number = await money_repo.batches_on(uow.session, payer_account, day) + 1
    batch_id = uuid.uuid4()
    name = f"{payer_account}-{day:%Y%m%d}-{number:02d}"
    content = payments.batch_file(batch_id, name, payer_account, day, queued)
    total = sum(p.amount_fen for p in queued)
    sha = hashlib.sha256(content).hexdigest()
    batch = {
        "id": batch_id,
        "name": name,
        "payer_account": payer_account,
        "batch_day": day,
        "status": BatchStatus.PREPARED.value,
        "item_count": len(queued),
        "total_fen": total,
        "file_content": content,
        "file_sha256": sha,
        "prepared_by": principal.subject,
        "prepared_at": at,
    }
    await money_repo.add_batch(uow.session, **batch)
    for p in queued:
        await money_repo.save_payment(
            uow.session, replace(p, status=PaymentStatus.BATCHED, batch_id=batch_id)
        )
    approval = await four_eyes.propose(
        uow,
        principal,
        rule,
        object_type="payment_batch",
        object_id=str(batch_id),
        amount_fen=total,
        payload={"name": name, "file_sha256": sha, "item_count": len(queued)},
        excluded=approvers,
        at=at,
    )
    await money_repo.update_batch(uow.session, batch_id, approval_id=approval.id)
    await _audit_batch(uow, principal, batch, "batch_prepared")
    return batch | {"approval_id": approval.id}, approval


async def _audit_batch(uow: UnitOfWork, principal: Principal, batch: dict, what: str, **more):
    await audit.record(
        uow,
        principal,
        action=audit.DECIDE_PAYMENT,
        object_type="payment_batch",
        object_id=str(batch["id"]),
        purpose=what,
        details={
            "name": batch["name"],
            "payer_account": batch["payer_account"],
            "item_count": batch["item_count"],
            "total_fen": batch["total_fen"],
            "file_sha256": batch["file_sha256"],
            "status": batch["status"],
        }
        | more,
    )


async def _locked_batch(uow: UnitOfWork, batch_id: uuid.UUID) -> dict:
    batch = await money_repo.get_batch(uow.session, batch_id, for_update=True)
    if batch is None:
        raise NotFound(f"payment batch {batch_id} does not exist")
    return batch


async def apply_release(
    uow: UnitOfWork, approval: four_eyes.Approval, checker: Principal, *, at: datetime
) -> dict:
    batch = await _locked_batch(uow, uuid.UUID(approval.object_id))
    if batch["status"] != BatchStatus.PREPARED.value:
        raise Conflict(f"the batch is {batch['status']}, not prepared")
    batch |= {"status": BatchStatus.RELEASED.value, "released_by": checker.subject}
    await money_repo.update_batch(
        uow.session,
        batch["id"],
        status=batch["status"],
        released_by=checker.subject,
        released_at=at,
    )
    await _audit_batch(uow, checker, batch, "batch_released", maker=approval.maker)
    return {"batch_id": str(batch["id"]), "status": batch["status"]}


async def refuse_release(uow: UnitOfWork, approval: four_eyes.Approval, checker: Principal):
    """A refused release: the batch is void and its payments go back to the queue."""
    batch = await _locked_batch(uow, uuid.UUID(approval.object_id))
    for p in await money_repo.payments_of_batch(uow.session, batch["id"], for_update=True):
        await money_repo.save_payment(
            uow.session, replace(p, status=PaymentStatus.QUEUED, batch_id=None)
        )
    batch["status"] = BatchStatus.REFUSED.value
    await money_repo.update_batch(uow.session, batch["id"], status=batch["status"])
    await _audit_batch(uow, checker, batch, "batch_release_refused")


_SETTLED = {
    Outcome.PAID: PaymentStatus.PAID,
    Outcome.RETURNED: PaymentStatus.RETURNED,
    Outcome.RETRY: PaymentStatus.RETRY,
}


async def reconcile(
    uow: UnitOfWork, batch_id: uuid.UUID, content: bytes, *, principal: Principal, at: datetime
) -> dict:
    """Apply the bank's result file row by row: paid -> the case is paid; returned or not
    processed -> the attempt is closed with its reason and a new one queued. The same file
    twice changes nothing (it is recognised by its SHA-256). FileProblem for a bad file."""
    batch = await _locked_batch(uow, batch_id)
    sha = hashlib.sha256(content).hexdigest()
    seen = await money_repo.result_file_summary(uow.session, batch_id, sha)
    if seen is not None:
        return seen | {"duplicate": True}
    if batch["status"] not in (BatchStatus.RELEASED.value, BatchStatus.RECONCILED.value):
        raise Conflict(f"the batch is {batch['status']}: only a released batch has results")
    result = payments.parse_result_file(content)
    in_batch = await money_repo.payments_of_batch(uow.session, batch_id, for_update=True)
    payments.check_against_batch(result, batch_id, in_batch)
    by_id = {p.id: p for p in in_batch}
    summary: dict[str, Any] = {"paid": 0, "returned": 0, "retry": 0, "unchanged": 0}
    requeued = []
    for line in result.lines:
        p = by_id[line.payment_id]
        if p.status is not PaymentStatus.BATCHED:
            if p.status is not _SETTLED[line.outcome]:
                raise Conflict(
                    f"payment {p.id} was reported {p.status.value} before; the new file says "
                    f"{line.outcome.value}"
                )
            summary["unchanged"] += 1
            continue
        case = await _locked(uow, p.case_id)
        if line.outcome is Outcome.PAID:
            await _settle_paid(uow, case, p, line.bank_reference, at, principal)
            summary["paid"] += 1
            continue
        closed = replace(
            p,
            status=_SETTLED[line.outcome],
            settled_at=at,
            bank_reference=line.bank_reference or None,
            return_code=line.return_code,
            return_reason=line.return_reason,
        )
        await money_repo.save_payment(uow.session, closed)
        again = payments.next_attempt(closed, at)
        await money_repo.add_payment(uow.session, again)
        requeued.append(str(again.id))
        summary[closed.status.value] += 1
        await audit_case(
            uow,
            principal,
            case,
            f"payment_{closed.status.value}",
            action=audit.DECIDE_PAYMENT,
            purpose="payment result (对账)",
            payment_id=str(p.id),
            return_code=line.return_code,
            requeued_payment_id=str(again.id),
        )
        uow.publish(
            money_contracts.payment_returned(case, closed, line.outcome, again, at),
            key=str(case.id),
        )
    open_left = [
        p
        for p in await money_repo.payments_of_batch(uow.session, batch_id)
        if p.status is PaymentStatus.BATCHED
    ]
    batch["status"] = BatchStatus.RELEASED.value if open_left else BatchStatus.RECONCILED.value
    await money_repo.update_batch(uow.session, batch_id, status=batch["status"])
    summary |= {
        "batch_id": str(batch_id),
        "batch_status": batch["status"],
        "file_sha256": sha,
        "requeued_payment_ids": requeued,
        "open_payments": len(open_left),
    }
    await money_repo.add_result_file(
        uow.session,
        id=uuid.uuid4(),
        batch_id=batch_id,
        file_sha256=sha,
        file_content=content,
        uploaded_by=principal.subject,
        uploaded_at=at,
        summary=summary,
    )
    await _audit_batch(uow, principal, batch, "result_reconciled", result_sha256=sha)
    return summary | {"duplicate": False}


# --- occupation subsidy tables --------------------------------------------------------------


async def propose_table(
    uow: UnitOfWork,
    occupation: Occupation,
    *,
    effective_from: date,
    principal: Principal,
    rule: four_eyes.Rule,
    at: datetime,
) -> tuple[int, four_eyes.Approval]:
    """A new version of an occupation's subsidy table, proposed; it takes effect only when a
    second staff member approves it, and not before ``effective_from``."""
    version = await money_repo.add_occupation_version(
        uow.session, occupation, effective_from=effective_from, by=principal.subject, at=at
    )
    approval = await four_eyes.propose(
        uow,
        principal,
        rule,
        object_type="occupation_table",
        object_id=occupation.code,
        amount_fen=max(occupation.subsidy_fen.values(), default=0),
        payload={
            "code": occupation.code,
            "version": version,
            "effective_from": effective_from.isoformat(),
            "subsidy_fen": dict(occupation.subsidy_fen),
        },
        at=at,
    )
    return version, approval


async def apply_table(
    uow: UnitOfWork, approval: four_eyes.Approval, checker: Principal, *, status: str = "approved"
) -> dict:
    code, version = approval.payload["code"], approval.payload["version"]
    await money_repo.set_version_status(
        uow.session,
        code,
        version,
        status,
        approval_id=approval.id,
        approved_by=checker.subject if status == "approved" else None,
    )
    return {"code": code, "version": version, "status": status}


# --- appeals --------------------------------------------------------------------------------


class NotAppealable(Exception):
    pass


def appellant_kind(principal: Principal, case: SubsidyCase) -> str | None:
    """'person' for the verified person the case is about, 'enterprise' for its enterprise."""
    if case.person_key and principal.has_role(Role.SEEKER) and principal.is_person(case.person_key):
        return "person"
    if principal.has_role(Role.ENTERPRISE) and principal.tenant.uscc == case.enterprise_uscc:
        return "enterprise"
    return None


async def submit_appeal(
    uow: UnitOfWork,
    case_id: uuid.UUID,
    *,
    principal: Principal,
    grounds: str,
    attachments: list[Attachment],
    working_days: int,
    at: datetime,
) -> Appeal:
    case = await _locked(uow, case_id)
    kind = appellant_kind(principal, case)
    if kind is None:
        raise CaseNotFound(str(case_id))
    if not review.appealable(case):
        raise NotAppealable("only a refused case, or one granted less than the rule, is appealed")
    if case.status is CaseStatus.APPROVED:
        live = await _live_payment(uow, case.id)
        if live is None or live.status is not PaymentStatus.QUEUED:
            raise NotAppealable("the reduced amount is already on its way to the bank")
    due = case_deadline(at, working_days)
    appeal = Appeal(
        id=uuid.uuid4(),
        case_id=case.id,
        appellant=principal.subject,
        appellant_kind=kind,
        grounds=mask_resident_ids(grounds.strip()),
        case_status=case.status.value,
        excluded=_approvers(case),
        status=AppealStatus.SUBMITTED,
        submitted_at=at,
        due_on=due.day,
        due_provisional=due.provisional,
    )
    if not await money_repo.add_appeal(uow.session, appeal, attachments):
        raise Conflict("the case has an open appeal already")
    await audit.record(
        uow,
        principal,
        action="appeal_submitted",
        object_type="subsidy_case",
        object_id=str(case.id),
        purpose="复核申请 (appeal)",
        details={
            "appeal_id": str(appeal.id),
            "appellant_kind": kind,
            "case_status": case.status.value,
            "attachments": len(attachments),
            "due_on": appeal.due_on.isoformat(),
        },
    )
    return appeal


async def decide_appeal(
    uow: UnitOfWork,
    appeal_id: uuid.UUID,
    *,
    upheld: bool,
    reason: str,
    principal: Principal,
    review_working_days: Callable[[SubsidyCase], int],
    at: datetime,
) -> tuple[Appeal, SubsidyCase]:
    """A staff member who took no part in the case decides; upheld reopens the case (a queued
    reduced payment is withdrawn), dismissed confirms it. Either way an event says so."""
    appeal = await money_repo.get_appeal(uow.session, appeal_id, for_update=True)
    if appeal is None:
        raise NotFound(f"appeal {appeal_id} does not exist")
    case = await _locked(uow, appeal.case_id)
    if not principal.sees_district(case.district_code or case.city_code):
        raise NotFound(f"appeal {appeal_id} does not exist")
    decided = appeals.decide(appeal, upheld=upheld, reason=reason, by=principal.subject, at=at)
    await money_repo.save_appeal(uow.session, decided)
    if upheld:
        live = await _live_payment(uow, case.id)
        if live is not None:
            if live.status is not PaymentStatus.QUEUED:
                raise Conflict("the case's payment is in a batch; decide after its result")
            await money_repo.save_payment(
                uow.session, replace(live, status=PaymentStatus.CANCELLED, settled_at=at)
            )
        deadline = case_deadline(at, review_working_days(case))
        case = review.reopen(
            case,
            appeal_id=appeal.id,
            at=at,
            deadline=deadline.day,
            provisional=deadline.provisional,
        )
        await _save(uow, case)
    await audit_case(
        uow,
        principal,
        case,
        f"appeal_{decided.status.value}",
        purpose="复核决定 (appeal decision)",
        appeal_id=str(appeal.id),
        reopened=upheld,
    )
    uow.publish(money_contracts.appeal_decided(decided, case), key=str(case.id))
    return decided, case
