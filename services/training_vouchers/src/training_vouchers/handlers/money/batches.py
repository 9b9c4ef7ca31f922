"""Payment batches: prepared by one staff member, released by another who approved none of
their payments, and reconciled row by row with the bank's result file (idempotently)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from suxin_common.auth import Principal
from suxin_common.errors import Conflict, NotFound, RuleViolation
from suxin_common.security import audit, four_eyes
from training_vouchers import money_contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain import payments
from training_vouchers.domain.payments import BatchStatus, Outcome, PaymentStatus
from training_vouchers.domain.review import TookPart, china_day
from training_vouchers.handlers.common import (
    CaseNotFound,
    audit_case,
    decision_entry,
    locked_case,
)
from training_vouchers.handlers.money.common import (
    settle_paid,
)

# --- batches --------------------------------------------------------------------------------


async def prepare_batch(
    uow: Uow,
    payer_account: str,
    *,
    principal: Principal,
    rule: four_eyes.Rule,
    at: datetime,
) -> tuple[dict, four_eyes.Approval]:
    """Collect the queued payments of ``payer_account`` into today's next batch, write its file
    and propose its release (a different person, who approved none of them, releases it)."""
    queued = await uow.repos.payments.queued(payer_account)
    if not queued:
        raise Conflict(f"no payments are queued for {payer_account}")
    approvers = sorted({a for p in queued for a in p.approvers})
    if principal.subject in approvers:
        raise TookPart("whoever approved a payment may not put it into a batch")
    day = china_day(at)
    number = await uow.repos.payments.batches_on(payer_account, day) + 1
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
    await uow.repos.payments.add_batch(**batch)
    for p in queued:
        await uow.repos.payments.save(replace(p, status=PaymentStatus.BATCHED, batch_id=batch_id))
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
    await uow.repos.payments.update_batch(batch_id, approval_id=approval.id)
    await _audit_batch(uow, principal, batch, "batch_prepared")
    return batch | {"approval_id": approval.id}, approval


async def _audit_batch(uow: Uow, principal: Principal, batch: dict, what: str, **more):
    details = {
        "name": batch["name"],
        "payer_account": batch["payer_account"],
        "item_count": batch["item_count"],
        "total_fen": batch["total_fen"],
        "file_sha256": batch["file_sha256"],
        "status": batch["status"],
    } | more
    entry = decision_entry(
        principal, "payment_batch", batch["id"], details, action=audit.DECIDE_PAYMENT, purpose=what
    )
    await uow.append_audit([entry])


async def _locked_batch(uow: Uow, batch_id: uuid.UUID) -> dict:
    batch = await uow.repos.payments.batch(batch_id, lock=True)
    if batch is None:
        raise NotFound(f"payment batch {batch_id} does not exist")
    return batch


async def apply_release(
    uow: Uow, approval: four_eyes.Approval, checker: Principal, *, at: datetime
) -> dict:
    batch = await _locked_batch(uow, uuid.UUID(approval.object_id))
    if batch["status"] != BatchStatus.PREPARED.value:
        raise Conflict(f"the batch is {batch['status']}, not prepared")
    batch |= {"status": BatchStatus.RELEASED.value, "released_by": checker.subject}
    await uow.repos.payments.update_batch(
        batch["id"],
        status=batch["status"],
        released_by=checker.subject,
        released_at=at,
    )
    await _audit_batch(uow, checker, batch, "batch_released", maker=approval.maker)
    return {"batch_id": str(batch["id"]), "status": batch["status"]}


async def refuse_release(uow: Uow, approval: four_eyes.Approval, checker: Principal):
    """A refused release: the batch is void and its payments go back to the queue."""
    batch = await _locked_batch(uow, uuid.UUID(approval.object_id))
    for p in await uow.repos.payments.of_batch(batch["id"], lock=True):
        await uow.repos.payments.save(replace(p, status=PaymentStatus.QUEUED, batch_id=None))
    batch["status"] = BatchStatus.REFUSED.value
    await uow.repos.payments.update_batch(batch["id"], status=batch["status"])
    await _audit_batch(uow, checker, batch, "batch_release_refused")


_SETTLED = {
    Outcome.PAID: PaymentStatus.PAID,
    Outcome.RETURNED: PaymentStatus.RETURNED,
    Outcome.RETRY: PaymentStatus.RETRY,
}


async def reconcile(
    uow: Uow, batch_id: uuid.UUID, content: bytes, *, principal: Principal, at: datetime
) -> dict:
    """Apply the bank's result file row by row: paid -> the case is paid; returned or not
    processed -> the attempt is closed with its reason and a new one queued. The same file
    twice changes nothing (it is recognised by its SHA-256). FileProblem for a bad file."""
    batch = await _locked_batch(uow, batch_id)
    sha = hashlib.sha256(content).hexdigest()
    seen = await uow.repos.payments.result_file_summary(batch_id, sha)
    if seen is not None:
        return seen | {"duplicate": True}
    if batch["status"] not in (BatchStatus.RELEASED.value, BatchStatus.RECONCILED.value):
        raise Conflict(f"the batch is {batch['status']}: only a released batch has results")
    result = payments.parse_result_file(content)
    in_batch = await uow.repos.payments.of_batch(batch_id, lock=True)
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
        try:
            case = await locked_case(uow, p.case_id)
        except CaseNotFound:
            raise RuleViolation("the file names a case that does not exist", field="file") from None
        if line.outcome is Outcome.PAID:
            await settle_paid(uow, case, p, line.bank_reference, at, principal)
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
        await uow.repos.payments.save(closed)
        again = payments.next_attempt(closed, at)
        await uow.repos.payments.add(again)
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
        p for p in await uow.repos.payments.of_batch(batch_id) if p.status is PaymentStatus.BATCHED
    ]
    batch["status"] = BatchStatus.RELEASED.value if open_left else BatchStatus.RECONCILED.value
    await uow.repos.payments.update_batch(batch_id, status=batch["status"])
    summary |= {
        "batch_id": str(batch_id),
        "batch_status": batch["status"],
        "file_sha256": sha,
        "requeued_payment_ids": requeued,
        "open_payments": len(open_left),
    }
    await uow.repos.payments.add_result_file(
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
