"""Decisions staff take in the workbench, each sent to the owning service with their token.

The service applies its rules (maker-checker included: the same person can never check their
own proposal) and writes the audit record under the token's subject, which is the signed-in
staff member: the workbench adds no identity of its own.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from staff_workbench.api.queues import DIFFICULTY, RECORD_PATHS, UNEMPLOYMENT
from staff_workbench.backends import BackendError
from staff_workbench.domain.forms import INJURY_CATEGORIES, FormError, reason, yuan_to_fen
from staff_workbench.web import CurrentStaff, check_csrf, safe_next, see_other

router = APIRouter(include_in_schema=False)
APPROVAL_SERVICES = ("training_vouchers", "injury_insurance")
CASE_DECISIONS = {
    "approved": "已提交核准，待另一名工作人员复核",
    "rejected": "已不予通过",
    "returned": "已退回补正",
}


def _invalid(exc: FormError) -> BackendError:
    return BackendError(422, str(exc), "form")


@router.post("/cases/{case_id}/decision")
async def decide_case(
    case_id: str,
    request: Request,
    staff: CurrentStaff,
    csrf: str = Form(""),
    decision: str = Form(...),
    amount_yuan: str = Form(""),
    reason_text: str = Form("", alias="reason"),
) -> Response:
    check_csrf(staff, csrf)
    if decision not in CASE_DECISIONS:
        raise BackendError(422, "未知的决定。", "form")
    try:
        body = {
            "decision": decision,
            "reason": reason(reason_text, required=decision != "approved"),
        }
        if decision == "approved":
            body["amount_fen"] = yuan_to_fen(amount_yuan)
    except FormError as exc:
        raise _invalid(exc) from None
    await request.app.state.backends.post(
        staff.token,
        "training_vouchers",
        f"/v1/subsidy-cases/{_uuid(case_id)}/decision",
        {k: v for k, v in body.items() if v is not None},
    )
    return see_other(f"/cases/{case_id}", CASE_DECISIONS[decision])


@router.post("/claims/{claim_id}/decision")
async def decide_claim(
    claim_id: str,
    request: Request,
    staff: CurrentStaff,
    csrf: str = Form(""),
    decision: str = Form(...),
    injury_category: str = Form(""),
    amount_yuan: str = Form(""),
    reason_text: str = Form("", alias="reason"),
) -> Response:
    check_csrf(staff, csrf)
    try:
        if decision == "approved":
            if injury_category not in INJURY_CATEGORIES:
                raise FormError("请选择伤情类别。")
            body = {
                "decision": "approved",
                "injury_category": injury_category,
                "amount_fen": yuan_to_fen(amount_yuan, required=True),
            }
            note = "已提交认定，待另一名工作人员复核"
        elif decision == "rejected":
            body = {"decision": "rejected", "reason": reason(reason_text, required=True)}
            note = "已不予认定"
        else:
            raise FormError("未知的决定。")
    except FormError as exc:
        raise _invalid(exc) from None
    await request.app.state.backends.post(
        staff.token, "injury_insurance", f"/v1/claims/{_uuid(claim_id)}/decision", body
    )
    return see_other(f"/claims/{claim_id}", note)


@router.post("/approvals/{service}/{approval_id}/check")
async def check_approval(
    service: str,
    approval_id: str,
    request: Request,
    staff: CurrentStaff,
    csrf: str = Form(""),
    verdict: str = Form(...),
    reason_text: str = Form("", alias="reason"),
    back: str = Form("/"),
) -> Response:
    check_csrf(staff, csrf)
    if service not in APPROVAL_SERVICES or verdict not in ("confirm", "refuse"):
        raise BackendError(404, "没有这项复核。", "form")
    try:
        body = {"verdict": verdict, "reason": reason(reason_text, required=verdict == "refuse")}
    except FormError as exc:
        raise _invalid(exc) from None
    await request.app.state.backends.post(
        staff.token,
        service,
        f"/v1/approvals/{_uuid(approval_id)}/check",
        {k: v for k, v in body.items() if v is not None},
    )
    return see_other(
        safe_next(back), "复核通过，已生效" if verdict == "confirm" else "已退回经办人"
    )


@router.post("/records/{kind}/{record_id}/{step}")
async def record_step(
    kind: str,
    record_id: str,
    step: str,
    request: Request,
    staff: CurrentStaff,
    csrf: str = Form(""),
    outcome: str = Form(...),
    note: str = Form(""),
) -> Response:
    check_csrf(staff, csrf)
    if kind not in (DIFFICULTY, UNEMPLOYMENT) or step not in ("check", "decision"):
        raise BackendError(404, "没有这项操作。", "form")
    try:
        text = reason(note, required=outcome == "no")
    except FormError as exc:
        raise _invalid(exc) from None
    yes = outcome == "yes"
    body = {"passed": yes} if step == "check" else {"approve": yes}
    if text:
        body["note"] = text
    await request.app.state.backends.post(
        staff.token, "data_exchange", f"{RECORD_PATHS[kind]}/{_uuid(record_id)}/{step}", body
    )
    label = {
        ("check", True): "核验通过",
        ("check", False): "核验未通过",
        ("decision", True): "已认定",
        ("decision", False): "不予认定",
    }[(step, yes)]
    return see_other(f"/records/{kind}/{record_id}", label)


def _uuid(value: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise BackendError(404, "没有这个对象。", "form") from None
