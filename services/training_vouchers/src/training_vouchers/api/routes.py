"""Training-vouchers HTTP routes: subsidy cases and the active policy. Nothing else."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.identity import Uscc
from suxin_common.service import RuntimeDep
from suxin_common.web import (
    Forbidden,
    NotFound,
    Page,
    Unprocessable,
    decode_cursor,
    encode_cursor,
)
from training_vouchers.adapters import repository as repo
from training_vouchers.api.schemas import PolicyOut, SubsidyCaseOut
from training_vouchers.domain.model import SubsidyCase
from training_vouchers.domain.policy import Policy

router = APIRouter(prefix="/v1")
ENTERPRISE_OR_STAFF = Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF))


def get_policy(request: Request) -> Policy:
    return request.app.state.policy


PolicyDep = Annotated[Policy, Depends(get_policy)]


@router.get(
    "/subsidy-cases",
    response_model=Page[SubsidyCaseOut],
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["subsidy cases"],
)
async def list_subsidy_cases(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    hire_id: uuid.UUID | None = None,
    enterprise_uscc: Uscc | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Subsidy cases, newest first. HRSS staff see every enterprise's; an enterprise its own."""
    uscc = _visible_uscc(principal, enterprise_uscc)
    after = _position(cursor) if cursor else None
    async with runtime.sessions() as session:
        cases = await repo.list_cases(
            session, limit=limit + 1, hire_id=hire_id, enterprise_uscc=uscc, after=after
        )
    page, more = cases[:limit], len(cases) > limit
    next_cursor = (
        encode_cursor({"opened_at": page[-1].opened_at.isoformat(), "id": str(page[-1].id)})
        if more
        else None
    )
    return Page[SubsidyCaseOut](items=[_out(c, principal) for c in page], next_cursor=next_cursor)


@router.get(
    "/subsidy-cases/{case_id}",
    response_model=SubsidyCaseOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["subsidy cases"],
)
async def get_subsidy_case(case_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep):
    async with runtime.sessions() as session:
        case = await repo.get_case(session, case_id)
    if case is None:
        raise NotFound(f"subsidy case {case_id} does not exist")
    principal.require_enterprise(case.enterprise_uscc)
    return _out(case, principal)


@router.get("/policies/active", response_model=PolicyOut, tags=["policies"])
async def active_policy(principal: CurrentPrincipal, policy: PolicyDep):
    """The policy version in force and its rules (parameters and amounts in fen)."""
    return PolicyOut.of(policy)


def _visible_uscc(principal: Principal, asked: str | None) -> str | None:
    """The enterprise whose cases the caller may list: staff any (or all), others their own."""
    if principal.has_role(Role.HRSS_STAFF):
        return asked
    own = principal.tenant.uscc
    if own is None:
        raise Forbidden("The token names no enterprise (tenant.uscc).")
    if asked is not None and asked != own:
        raise Forbidden("An enterprise may list only its own subsidy cases.")
    return own


def _position(cursor: str) -> tuple[datetime, uuid.UUID]:
    position = decode_cursor(cursor)
    try:
        opened_at = datetime.fromisoformat(position["opened_at"])
        case_id = uuid.UUID(position["id"])
    except (KeyError, TypeError, ValueError):
        raise Unprocessable("The cursor is invalid.", field="cursor") from None
    if opened_at.tzinfo is None:
        raise Unprocessable("The cursor is invalid.", field="cursor")
    return opened_at, case_id


def _out(case: SubsidyCase, principal: Principal) -> SubsidyCaseOut:
    return SubsidyCaseOut(
        id=case.id,
        hire_id=case.hire_id,
        enterprise_uscc=case.enterprise_uscc,
        # The key links a person across services; an enterprise has no need for it.
        person_key=case.person_key if principal.has_role(Role.HRSS_STAFF) else None,
        rule_id=case.rule_id,
        rule_version=case.rule_version,
        delivery_mode=case.delivery_mode,
        amount_fen=case.amount_fen,
        inputs=dict(case.inputs),
        reasons=list(case.reasons),
        status=case.status,
        opened_at=case.opened_at,
        review_deadline=case.review_deadline,
        review_deadline_provisional=case.review_deadline_provisional,
    )
