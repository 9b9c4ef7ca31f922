"""Appeal HTTP routes (复核/申诉): the person a subsidy case is about (seeker token with their
verified person key) or its enterprise asks for a review of a refused or reduced subsidy;
HRSS staff who took no part in the decision decide it. Parse -> handler -> response.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from suxin_common.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    Attachment,
    AttachmentProblem,
    checked_attachment,
)
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.freetext import FreeText
from suxin_common.security import reads
from suxin_common.web import InputModel, NotFound, Unprocessable
from training_vouchers.adapters import money_repository as money_repo
from training_vouchers.adapters import repository as repo
from training_vouchers.adapters.tables import appeal_attachments
from training_vouchers.api.deps import TrainingVouchersDeps
from training_vouchers.domain.appeals import Appeal, AppealStatus
from training_vouchers.domain.model import CaseStatus
from training_vouchers.handlers import money

router = APIRouter(prefix="/v1", tags=["appeals (复核)"])
STAFF = Depends(require_roles(Role.HRSS_STAFF))
APPELLANT = Depends(require_roles(Role.SEEKER, Role.ENTERPRISE))
# base64 grows 4/3; a little room for padding.
MAX_BASE64 = (MAX_ATTACHMENT_BYTES + 2) // 3 * 4


def _now() -> datetime:
    return datetime.now(UTC)


class AttachmentIn(InputModel):
    file_name: str = Field(min_length=1, max_length=200)
    content_type: str = Field(min_length=1, max_length=100)
    content_base64: str = Field(min_length=1, max_length=MAX_BASE64)


class AppealIn(InputModel):
    grounds: FreeText = Field(min_length=1, max_length=4000, description="理由 (why the review)")
    attachments: list[AttachmentIn] = Field(default=[], max_length=MAX_ATTACHMENTS)


class AttachmentOut(BaseModel):
    id: uuid.UUID
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str


class AppealOut(BaseModel):
    id: uuid.UUID
    case_id: uuid.UUID
    appellant_kind: str
    grounds: str
    case_status: CaseStatus
    status: AppealStatus
    submitted_at: datetime
    due_on: date = Field(description="last working day for the decision")
    due_provisional: bool
    decided_at: datetime | None
    decision_reason: str | None
    attachments: list[AttachmentOut] = []
    case_status_now: CaseStatus | None = None


class AppealDecisionIn(InputModel):
    outcome: Literal["upheld", "dismissed"]
    reason: FreeText = Field(min_length=1, max_length=2000)


def _out(a: Appeal, attachments: list[dict], case_status_now=None) -> AppealOut:
    return AppealOut(
        id=a.id,
        case_id=a.case_id,
        appellant_kind=a.appellant_kind,
        grounds=a.grounds,
        case_status=CaseStatus(a.case_status),
        status=a.status,
        submitted_at=a.submitted_at,
        due_on=a.due_on,
        due_provisional=a.due_provisional,
        decided_at=a.decided_at,
        decision_reason=a.decision_reason,
        attachments=[AttachmentOut(**x) for x in attachments],
        case_status_now=case_status_now,
    )


def _attachments(body: AppealIn) -> list[Attachment]:
    checked = []
    for n, a in enumerate(body.attachments):
        try:
            content = base64.b64decode(a.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise Unprocessable(
                "content_base64 is not base64", field=f"attachments[{n}].content_base64"
            ) from None
        try:
            checked.append(checked_attachment(a.file_name, a.content_type, content, n))
        except AttachmentProblem as exc:
            raise Unprocessable(str(exc), field=exc.field) from None
    return checked


@router.post(
    "/subsidy-cases/{case_id}/appeals",
    response_model=AppealOut,
    status_code=201,
    dependencies=[APPELLANT],
)
async def submit_appeal(
    case_id: uuid.UUID, body: AppealIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    """Ask for a review (复核申请) of a refused case, or of one granted less than the rule
    computed (before the payment leaves). The person the case is about (a verified seeker
    token) or its enterprise may; anyone else gets 404. Attachments: PDF, PNG or JPEG, at most
    2 MiB each and 5 in all, the bytes must match the type; resident IDs in file names are
    masked."""
    attachments = _attachments(body)
    async with deps.uow() as uow:
        appeal = await money.submit_appeal(
            uow,
            case_id,
            principal=principal,
            grounds=body.grounds,
            attachments=attachments,
            working_days=deps.settings.appeal_working_days,
            at=_now(),
        )
        await uow.commit()
    return _out(appeal, [a.__dict__ for a in attachments])


@router.get("/appeals", response_model=list[AppealOut], dependencies=[STAFF])
async def list_appeals(
    deps: TrainingVouchersDeps,
    principal: CurrentPrincipal,
    status: AppealStatus | None = AppealStatus.SUBMITTED,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Appeals by due day (by default the open ones), of cases in the caller's district scope
    (the case's district, else its city), as for the cases themselves."""
    async with deps.sessions() as session:
        found = await money_repo.list_appeals(
            session, status=status, limit=limit, principal=principal
        )
    await reads.audited(
        deps,
        principal,
        object_type="appeal",
        object_ids=[a.id for a in found],
        purpose="appeal list",
    )
    return [_out(a, []) for a in found]


async def _visible_appeal(session, appeal_id: uuid.UUID, principal: Principal) -> Appeal:
    appeal = await money_repo.get_appeal(session, appeal_id)
    if appeal is None:
        raise NotFound(f"appeal {appeal_id} does not exist")
    if principal.has_role(Role.HRSS_STAFF):
        case = await repo.get_case(session, appeal.case_id)
        if case is not None and principal.sees_district(case.district_code or case.city_code):
            return appeal
    elif appeal.appellant == principal.subject:
        return appeal
    raise NotFound(f"appeal {appeal_id} does not exist")


@router.get(
    "/appeals/{appeal_id}",
    response_model=AppealOut,
    dependencies=[Depends(require_roles(Role.HRSS_STAFF, Role.SEEKER, Role.ENTERPRISE))],
)
async def get_appeal(appeal_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps):
    """An appeal: to staff of its district and to the appellant."""
    async with deps.sessions() as session:
        appeal = await _visible_appeal(session, appeal_id, principal)
        attachments = await money_repo.attachments_of(session, appeal_id)
        case = await repo.get_case(session, appeal.case_id)
    await reads.audited(
        deps, principal, object_type="appeal", object_ids=[appeal.id], purpose="appeal"
    )
    return _out(appeal, attachments, case.status if case else None)


@router.get(
    "/appeals/{appeal_id}/attachments/{attachment_id}",
    response_class=Response,
    dependencies=[STAFF],
)
async def get_attachment(
    appeal_id: uuid.UUID,
    attachment_id: uuid.UUID,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    """An attachment's bytes, as a download that browsers do not sniff or render inline."""
    import sqlalchemy as sa

    t = appeal_attachments
    async with deps.sessions() as session:
        await _visible_appeal(session, appeal_id, principal)
        row = (
            await session.execute(
                sa.select(t).where(t.c.id == attachment_id, t.c.appeal_id == appeal_id)
            )
        ).first()
    if row is None:
        raise NotFound(f"attachment {attachment_id} does not exist")
    await reads.audited(
        deps,
        principal,
        object_type="appeal",
        object_ids=[appeal_id],
        purpose="appeal attachment",
        details={"attachment_id": str(attachment_id)},
    )
    return Response(
        content=row.content,
        media_type=row.content_type,
        headers={
            "Content-Disposition": "attachment",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/appeals/{appeal_id}/decision", response_model=AppealOut, dependencies=[STAFF])
async def decide_appeal(
    appeal_id: uuid.UUID,
    body: AppealDecisionIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    """Uphold (the case is reopened under review, with a new deadline) or dismiss (the
    decision stands) an appeal, with the reason. The decider must be another staff member
    than whoever decided or approved the case (403 otherwise)."""
    book = deps.book

    def review_days(case) -> int:
        return book.version(case.rule_version).review_working_days

    async with deps.uow() as uow:
        appeal, case = await money.decide_appeal(
            uow,
            appeal_id,
            upheld=body.outcome == "upheld",
            reason=body.reason,
            principal=principal,
            review_working_days=review_days,
            at=_now(),
        )
        await uow.commit()
    return _out(appeal, [], case.status)
