"""Object pages: a subsidy case, a claim, a 认定/登记 record, a proposal waiting for its check.

Each page is read from the owning service with the staff member's token (the service decides
what they may see, masks personal data and audits the read) and offers the decisions the
object's state allows.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from staff_workbench.api.decisions import APPROVAL_SERVICES, _uuid
from staff_workbench.api.queues import (
    ACTIONS,
    DIFFICULTY,
    LEVELS,
    RECORD_PATHS,
    RECORD_STATUS,
    RECORD_TITLES,
    UNEMPLOYMENT,
)
from staff_workbench.backends import BackendError
from staff_workbench.domain.facts import fact_rows
from staff_workbench.domain.forms import INJURY_CATEGORIES
from staff_workbench.web import CurrentStaff, render

router = APIRouter(include_in_schema=False)

CASE_STATUS = {
    "awaiting_data": "待数据核验",
    "under_review": "审核中",
    "returned": "已退回补正",
    "approved": "审核通过",
    "rejected": "不予通过",
    "paid": "已拨付",
}
CLAIM_STAGE = {
    "reported": "已报案",
    "under_review": "受理审核中",
    "approved": "已认定",
    "rejected": "不予认定",
    "paid": "待遇已支付",
}


async def _pending(request: Request, staff, service: str, object_id: str) -> dict | None:
    approvals = await request.app.state.backends.get(staff.token, service, "/v1/approvals")
    return next((a for a in approvals if a["object_id"] == object_id), None)


@router.get("/cases/{case_id}")
async def case_page(case_id: str, request: Request, staff: CurrentStaff) -> Response:
    b = request.app.state.backends
    case = await b.get(staff.token, "training_vouchers", f"/v1/subsidy-cases/{_uuid(case_id)}")
    pending = await _pending(request, staff, "training_vouchers", case["id"])
    return render(
        request,
        "case.html",
        staff,
        case=case,
        pending=pending,
        title=(await b.rule_names(staff.token)).get(case["rule_id"], case["rule_id"]),
        status=CASE_STATUS.get(case["status"], case["status"]),
        facts=fact_rows(case.get("inputs") or {}, case.get("sources") or {}),
        levels=LEVELS,
        back=f"/cases/{case['id']}",
    )


@router.get("/claims/{claim_id}")
async def claim_page(claim_id: str, request: Request, staff: CurrentStaff) -> Response:
    b = request.app.state.backends
    claim = await b.get(staff.token, "injury_insurance", f"/v1/claims/{_uuid(claim_id)}")
    history = await b.get(staff.token, "injury_insurance", f"/v1/claims/{claim['id']}/history")
    pending = await _pending(request, staff, "injury_insurance", claim["id"])
    return render(
        request,
        "claim.html",
        staff,
        claim=claim,
        history=history,
        pending=pending,
        stage=CLAIM_STAGE.get(claim["stage"], claim["stage"]),
        stages=CLAIM_STAGE,
        categories=INJURY_CATEGORIES,
        levels=LEVELS,
        back=f"/claims/{claim['id']}",
    )


@router.get("/records/{kind}/{record_id}")
async def record_page(kind: str, record_id: str, request: Request, staff: CurrentStaff):
    if kind not in (DIFFICULTY, UNEMPLOYMENT):
        raise BackendError(404, "没有这类记录。")
    b = request.app.state.backends
    record = await b.get(staff.token, "data_exchange", f"{RECORD_PATHS[kind]}/{_uuid(record_id)}")
    history = await b.get(
        staff.token, "data_exchange", f"{RECORD_PATHS[kind]}/{record['id']}/history"
    )
    return render(
        request,
        "record.html",
        staff,
        record=record,
        history=history,
        kind=kind,
        title=RECORD_TITLES[kind],
        status=RECORD_STATUS.get(record["status"], record["status"]),
    )


@router.get("/approvals/{service}/{approval_id}")
async def approval_page(service: str, approval_id: str, request: Request, staff: CurrentStaff):
    if service not in APPROVAL_SERVICES:
        raise BackendError(404, "没有这项复核。")
    b = request.app.state.backends
    approval = await b.get(staff.token, service, f"/v1/approvals/{_uuid(approval_id)}")
    return render(
        request,
        "approval.html",
        staff,
        approval=approval,
        service=service,
        action=ACTIONS.get(approval["action"], approval["action"]),
        levels=LEVELS,
        back=f"/approvals/{service}/{approval['id']}",
    )
