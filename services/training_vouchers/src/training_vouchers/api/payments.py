"""Payment HTTP routes: the payment queue, batches for the paying bank or treasury (file out,
release under four eyes), and the bank's result file back in. Parse -> handler -> response.

HRSS staff only. Formats: docs/money.md (and domain/payments.py, which parses them).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from suxin_common.auth import CurrentPrincipal, Role, require_roles
from suxin_common.security import reads
from suxin_common.web import InputModel, NotFound, Unprocessable
from training_vouchers.adapters import money_repository as money_repo
from training_vouchers.api.deps import TrainingVouchersDeps
from training_vouchers.domain.payments import (
    MAX_RESULT_BYTES,
    BatchStatus,
    PaymentStatus,
)
from training_vouchers.handlers import money

router = APIRouter(prefix="/v1", tags=["payments (拨付)"])
STAFF = Depends(require_roles(Role.HRSS_STAFF))
CSV = "text/csv"


def _now() -> datetime:
    return datetime.now(UTC)


class PaymentOut(BaseModel):
    id: uuid.UUID
    case_id: uuid.UUID
    attempt: int
    payer_account: str
    payee_type: str
    payee_ref: str
    amount_fen: int
    status: PaymentStatus
    batch_id: uuid.UUID | None
    queued_at: datetime
    settled_at: datetime | None
    bank_reference: str | None
    return_code: str | None
    return_reason: str | None


class BatchIn(InputModel):
    payer_account: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")


class BatchOut(BaseModel):
    id: uuid.UUID
    name: str
    payer_account: str
    batch_day: date
    status: BatchStatus
    item_count: int
    total_fen: int
    file_sha256: str
    prepared_by: str
    prepared_at: datetime
    approval_id: uuid.UUID | None
    released_by: str | None = None
    released_at: datetime | None = None


class ReconciliationOut(BaseModel):
    batch_id: uuid.UUID
    batch_status: BatchStatus
    file_sha256: str
    duplicate: bool = Field(description="this exact file was reconciled before: nothing changed")
    paid: int
    returned: int
    retry: int
    unchanged: int
    requeued_payment_ids: list[uuid.UUID]
    open_payments: int


@router.get("/payments", response_model=list[PaymentOut], dependencies=[STAFF])
async def list_payments(
    deps: TrainingVouchersDeps,
    principal: CurrentPrincipal,
    status: PaymentStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
):
    """Payment attempts, newest first; ``status=queued`` is the queue for the next batch."""
    async with deps.sessions() as session:
        found = await money_repo.list_payments(session, status=status, limit=limit)
    await reads.audited(
        deps,
        principal,
        object_type="payment",
        object_ids=[p.id for p in found if p.payee_type == "person"],
        purpose="payment list",
    )
    return [PaymentOut(**p.__dict__) for p in found]


@router.post("/payment-batches", response_model=BatchOut, status_code=201, dependencies=[STAFF])
async def prepare_batch(body: BatchIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps):
    """Collect every queued payment of a payer account into today's next batch and write its
    file (docs/money.md). The batch goes to the bank only when a second staff member, who
    approved none of its payments, releases it at ``POST /v1/approvals/{approval_id}/check``."""
    rule = deps.four_eyes.rule(money.PAYMENT_RELEASE)
    async with deps.uow() as uow:
        batch, _ = await money.prepare_batch(
            uow, body.payer_account, principal=principal, rule=rule, at=_now()
        )
        await uow.commit()
    return BatchOut(**batch)


@router.get("/payment-batches", response_model=list[BatchOut], dependencies=[STAFF])
async def list_batches(
    deps: TrainingVouchersDeps,
    status: BatchStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    async with deps.sessions() as session:
        found = await money_repo.list_batches(session, status=status, limit=limit)
    return [BatchOut(**b) for b in found]


async def _batch(deps, batch_id: uuid.UUID) -> dict:
    async with deps.sessions() as session:
        batch = await money_repo.get_batch(session, batch_id)
    if batch is None:
        raise NotFound(f"payment batch {batch_id} does not exist")
    return batch


@router.get("/payment-batches/{batch_id}", response_model=BatchOut, dependencies=[STAFF])
async def get_batch(batch_id: uuid.UUID, deps: TrainingVouchersDeps):
    return BatchOut(**await _batch(deps, batch_id))


@router.get(
    "/payment-batches/{batch_id}/file",
    response_class=Response,
    dependencies=[STAFF],
    responses={200: {"content": {CSV: {}}}},
)
async def batch_file(batch_id: uuid.UUID, deps: TrainingVouchersDeps, principal: CurrentPrincipal):
    """The batch file byte for byte as kept (its SHA-256 in ``X-Checksum-SHA256``)."""
    batch = await _batch(deps, batch_id)
    # The file names every payee with their account: a read of personal data.
    await reads.audited(
        deps, principal, object_type="payment_batch", object_ids=[batch_id], purpose="batch file"
    )
    return Response(
        content=batch["file_content"],
        media_type=f"{CSV}; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{batch["name"]}.csv"',
            "X-Checksum-SHA256": batch["file_sha256"],
        },
    )


@router.post(
    "/payment-batches/{batch_id}/results",
    response_model=ReconciliationOut,
    dependencies=[STAFF],
    openapi_extra={
        "requestBody": {"required": True, "content": {CSV: {"schema": {"type": "string"}}}}
    },
)
async def upload_result(
    batch_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps, request: Request
):
    """The bank's result file (``Content-Type: text/csv``, docs/money.md), reconciled row by
    row: paid, returned with its reason, or to retry; returned and unprocessed payments are
    queued again. Uploading the same file again changes nothing (``duplicate``: true)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != CSV:
        raise Unprocessable("the result file is sent as text/csv", field="content-type")
    content = b""
    async for chunk in request.stream():
        content += chunk
        if len(content) > MAX_RESULT_BYTES:
            raise Unprocessable(f"a result file is at most {MAX_RESULT_BYTES} bytes", field="file")
    async with deps.uow() as uow:
        summary = await money.reconcile(uow, batch_id, content, principal=principal, at=_now())
        await uow.commit()
    return ReconciliationOut(**summary)
