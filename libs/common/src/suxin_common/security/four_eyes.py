"""Maker-checker (四眼原则, 双人复核): no single staff member moves public money.

Every decision that pays or changes what will be paid is *proposed* by one HRSS staff member
(the maker) and takes effect only when a *different* staff member (the checker) confirms it.
Above a configurable amount the checker must work at a higher level (city or province). The
person is the token's subject: the same subject can never check its own proposal, whatever
roles or tokens it holds, nor a proposal on an object it already took part in (``excluded``,
e.g. whoever approved a payment may not release it).

A staff member's level comes from the token's district claim, as district scoping does
(`Principal.district_scope`): six-digit districts are district level, four-digit cities city
level, no district or "32" province level. Several codes: the lowest of them counts.

Used by the services as::

    approval = await four_eyes.propose(uow, principal, rule, object_type="subsidy_case",
                                       object_id=str(case.id), amount_fen=..., payload={...})
    # later, another staff member (via `approvals_router`):
    approval = await four_eyes.check(uow, approval_id, checker, rules, confirm=True, ...)

and each service registers an *applier* per action that carries out a confirmed approval in the
same transaction. Every proposal and check is written to the audit trail.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.freetext import FreeText
from suxin_common.security import audit
from suxin_common.tables import approvals
from suxin_common.web import Conflict, Forbidden, InputModel, NotFound, Unprocessable

PROPOSED = "four_eyes_proposed"
CONFIRMED = "four_eyes_confirmed"
REFUSED = "four_eyes_refused"


class Level(IntEnum):
    """Where a staff member works; a higher level may check what a lower one proposed."""

    DISTRICT = 1  # 区县
    CITY = 2  # 设区市
    PROVINCE = 3  # 省厅

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def of_label(cls, label: str) -> Level:
        return cls[label.upper()]


def level_of(principal: Principal) -> Level:
    """The staff level of ``principal`` from its district claim (see the module docstring)."""
    scope = principal.district_scope()
    if scope is None:
        return Level.PROVINCE
    return Level.DISTRICT if any(len(code) > 4 for code in scope) else Level.CITY


class Status(StrEnum):
    PENDING = "pending"  # 待复核
    CONFIRMED = "confirmed"  # 复核通过
    REFUSED = "refused"  # 复核不通过


@dataclass(frozen=True)
class Rule:
    """The maker-checker rule of one action: any second staff member confirms up to
    ``second_level_above_fen``; above it the checker must be at ``second_level`` or higher."""

    action: str
    name_zh: str
    second_level_above_fen: int | None = None
    second_level: Level = Level.CITY
    # The lowest level any checker of this action must have, whatever the amount.
    min_level: Level = Level.DISTRICT

    def required_level(self, amount_fen: int) -> Level:
        if self.second_level_above_fen is not None and amount_fen > self.second_level_above_fen:
            return max(self.second_level, self.min_level)
        return self.min_level


class FourEyesViolation(Exception):
    """The checker may not check this proposal; ``code`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class AlreadyPending(Exception):
    """A proposal for the same action and object waits for its check."""

    def __init__(self, approval_id: uuid.UUID) -> None:
        super().__init__(f"approval {approval_id} is pending")
        self.approval_id = approval_id


@dataclass(frozen=True)
class Approval:
    id: uuid.UUID
    action: str
    object_type: str
    object_id: str
    amount_fen: int
    payload: Mapping[str, Any]
    maker: str
    maker_level: Level
    made_at: datetime
    required_level: Level
    status: Status
    excluded: tuple[str, ...] = ()
    checker: str | None = None
    checker_level: Level | None = None
    checked_at: datetime | None = None
    check_reason: str | None = None

    @property
    def participants(self) -> frozenset[str]:
        """Everyone who took part: the maker, the checker and those excluded before."""
        return frozenset({self.maker, *self.excluded, *([self.checker] if self.checker else [])})


def may_check(approval: Approval, checker: Principal) -> Level:
    """The checker's level if ``checker`` may check ``approval``; else FourEyesViolation."""
    if not checker.has_role(Role.HRSS_STAFF):
        raise FourEyesViolation("not-staff", "only HRSS staff check proposals")
    if checker.subject == approval.maker:
        raise FourEyesViolation(
            "own-work", "四眼原则: the maker of a proposal may not check it (same person)"
        )
    if checker.subject in approval.excluded:
        raise FourEyesViolation(
            "took-part",
            "四眼原则: whoever took part in an earlier step of this object may not check it",
        )
    level = level_of(checker)
    if level < approval.required_level:
        raise FourEyesViolation(
            "level",
            f"above the threshold a {approval.required_level.label}-level checker is required "
            f"(the caller is {level.label}-level)",
        )
    return level


# --- storage -------------------------------------------------------------------------------


def _approval(row: Any) -> Approval:
    return Approval(
        id=row.id,
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        amount_fen=row.amount_fen,
        payload=dict(row.payload),
        maker=row.maker,
        maker_level=Level.of_label(row.maker_level),
        made_at=row.made_at,
        required_level=Level.of_label(row.required_level),
        status=Status(row.status),
        excluded=tuple(row.excluded),
        checker=row.checker,
        checker_level=Level.of_label(row.checker_level) if row.checker_level else None,
        checked_at=row.checked_at,
        check_reason=row.check_reason,
    )


async def get(session: AsyncSession, approval_id: uuid.UUID, *, for_update: bool = False):
    query = sa.select(approvals).where(approvals.c.id == approval_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return _approval(row) if row else None


async def pending_for(session: AsyncSession, action: str, object_id: str) -> Approval | None:
    row = (
        await session.execute(
            sa.select(approvals).where(
                approvals.c.action == action,
                approvals.c.object_id == object_id,
                approvals.c.status == Status.PENDING.value,
            )
        )
    ).first()
    return _approval(row) if row else None


async def history_of(session: AsyncSession, object_type: str, object_id: str) -> list[Approval]:
    rows = await session.execute(
        sa.select(approvals)
        .where(approvals.c.object_type == object_type, approvals.c.object_id == object_id)
        .order_by(approvals.c.made_at)
    )
    return [_approval(r) for r in rows.all()]


async def list_approvals(
    session: AsyncSession,
    *,
    status: Status | None,
    action: str | None,
    limit: int,
) -> list[Approval]:
    query = sa.select(approvals).order_by(approvals.c.made_at, approvals.c.id).limit(limit)
    if status is not None:
        query = query.where(approvals.c.status == status.value)
    if action is not None:
        query = query.where(approvals.c.action == action)
    return [_approval(r) for r in (await session.execute(query)).all()]


def _details(approval: Approval) -> dict[str, Any]:
    return {
        "approval_id": str(approval.id),
        "action": approval.action,
        "amount_fen": approval.amount_fen,
        "maker": approval.maker,
        "required_level": approval.required_level.label,
        "status": approval.status.value,
        "checker": approval.checker,
    }


async def propose(
    uow: Any,
    maker: Principal,
    rule: Rule,
    *,
    object_type: str,
    object_id: str,
    amount_fen: int,
    payload: Mapping[str, Any] | None = None,
    excluded: Iterable[str] = (),
    at: datetime | None = None,
) -> Approval:
    """Record ``maker``'s proposal, pending a check; AlreadyPending if one waits already."""
    if amount_fen < 0:
        raise ValueError("amount_fen must not be negative")
    session = uow.session
    waiting = await pending_for(session, rule.action, object_id)
    if waiting is not None:
        raise AlreadyPending(waiting.id)
    approval = Approval(
        id=uuid.uuid4(),
        action=rule.action,
        object_type=object_type,
        object_id=object_id,
        amount_fen=amount_fen,
        payload=dict(payload or {}),
        maker=maker.subject,
        maker_level=level_of(maker),
        made_at=at or datetime.now(UTC),
        required_level=rule.required_level(amount_fen),
        status=Status.PENDING,
        excluded=tuple(sorted(set(excluded) - {maker.subject})),
    )
    await session.execute(
        sa.insert(approvals).values(
            id=approval.id,
            action=approval.action,
            object_type=object_type,
            object_id=object_id,
            amount_fen=amount_fen,
            payload=approval.payload,
            maker=approval.maker,
            maker_level=approval.maker_level.label,
            made_at=approval.made_at,
            excluded=list(approval.excluded),
            required_level=approval.required_level.label,
            status=approval.status.value,
        )
    )
    await audit.record(
        uow,
        maker,
        action=PROPOSED,
        object_type=object_type,
        object_id=object_id,
        purpose=rule.name_zh,
        details=_details(approval),
    )
    return approval


async def check(
    uow: Any,
    approval_id: uuid.UUID,
    checker: Principal,
    *,
    confirm: bool,
    reason: str | None = None,
    at: datetime | None = None,
) -> Approval:
    """Confirm or refuse a pending proposal (the caller then applies a confirmed one in the
    same transaction). NotFound, Conflict if already checked, FourEyesViolation."""
    session = uow.session
    approval = await get(session, approval_id, for_update=True)
    if approval is None:
        raise LookupError(str(approval_id))
    if approval.status is not Status.PENDING:
        raise AlreadyChecked(approval)
    level = may_check(approval, checker)
    checked = Approval(
        **{
            **approval.__dict__,
            "status": Status.CONFIRMED if confirm else Status.REFUSED,
            "checker": checker.subject,
            "checker_level": level,
            "checked_at": at or datetime.now(UTC),
            "check_reason": reason,
        }
    )
    await session.execute(
        sa.update(approvals)
        .where(approvals.c.id == approval_id)
        .values(
            status=checked.status.value,
            checker=checked.checker,
            checker_level=level.label,
            checked_at=checked.checked_at,
            check_reason=reason,
        )
    )
    await audit.record(
        uow,
        checker,
        action=CONFIRMED if confirm else REFUSED,
        object_type=approval.object_type,
        object_id=approval.object_id,
        purpose=approval.action,
        details=_details(checked) | {"checker_level": level.label, "reason_given": bool(reason)},
    )
    return checked


class AlreadyChecked(Exception):
    def __init__(self, approval: Approval) -> None:
        super().__init__(f"approval {approval.id} is {approval.status.value} already")
        self.approval = approval


# --- HTTP ----------------------------------------------------------------------------------

# Carries out a confirmed approval in the checker's transaction (uow, approval, checker); what
# it returns is shown as ``result``. It may raise a ProblemError: the whole check rolls back.
Applier = Callable[[Any, Approval, Principal], Awaitable[Mapping[str, Any] | None]]
# Called when a proposal is refused (e.g. to put a case back as it was); may be absent.
Refuser = Callable[[Any, Approval, Principal], Awaitable[None]]


@dataclass
class Registry:
    """The actions a service knows: rule, applier and (optional) refusal handler each."""

    rules: dict[str, Rule] = field(default_factory=dict)
    appliers: dict[str, Applier] = field(default_factory=dict)
    refusers: dict[str, Refuser] = field(default_factory=dict)

    def add(self, rule: Rule, applier: Applier, refuser: Refuser | None = None) -> None:
        self.rules[rule.action] = rule
        self.appliers[rule.action] = applier
        if refuser is not None:
            self.refusers[rule.action] = refuser

    def rule(self, action: str) -> Rule:
        return self.rules[action]


def registry_of(request: Request) -> Registry:
    return request.app.state.four_eyes


class ApprovalOut(BaseModel):
    id: uuid.UUID
    action: str
    object_type: str
    object_id: str
    amount_fen: int
    payload: dict[str, Any]
    maker: str
    maker_level: str
    made_at: datetime
    required_level: str
    status: Status
    checker: str | None
    checker_level: str | None
    checked_at: datetime | None
    result: dict[str, Any] | None = None

    @classmethod
    def of(cls, a: Approval, result: Mapping[str, Any] | None = None) -> ApprovalOut:
        return cls(
            id=a.id,
            action=a.action,
            object_type=a.object_type,
            object_id=a.object_id,
            amount_fen=a.amount_fen,
            payload=dict(a.payload),
            maker=a.maker,
            maker_level=a.maker_level.label,
            made_at=a.made_at,
            required_level=a.required_level.label,
            status=a.status,
            checker=a.checker,
            checker_level=a.checker_level.label if a.checker_level else None,
            checked_at=a.checked_at,
            result=dict(result) if result is not None else None,
        )


class CheckIn(InputModel):
    verdict: Literal["confirm", "refuse"]
    reason: FreeText | None = Field(default=None, max_length=500)


def problem_of(exc: FourEyesViolation) -> Forbidden:
    return Forbidden(str(exc), slug="four-eyes", extra={"four_eyes": exc.code})


def approvals_router(prefix: str = "/v1/approvals") -> APIRouter:
    """The checker's API: the queue of proposals and the check itself (HRSS staff only).
    The service puts its `Registry` on ``app.state.four_eyes``."""
    router = APIRouter(prefix=prefix, tags=["maker-checker (四眼原则)"])
    staff = [Depends(require_roles(Role.HRSS_STAFF))]

    @router.get("", response_model=list[ApprovalOut], dependencies=staff)
    async def list_proposals(
        request: Request,
        status: Status | None = Status.PENDING,
        action: Annotated[str | None, Query(max_length=64)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ):
        """Proposals, oldest first (by default those waiting for a check)."""
        runtime = request.app.state.runtime
        async with runtime.sessions() as session:
            found = await list_approvals(session, status=status, action=action, limit=limit)
        return [ApprovalOut.of(a) for a in found]

    @router.get("/{approval_id}", response_model=ApprovalOut, dependencies=staff)
    async def get_proposal(approval_id: uuid.UUID, request: Request):
        runtime = request.app.state.runtime
        async with runtime.sessions() as session:
            approval = await get(session, approval_id)
        if approval is None:
            raise NotFound(f"approval {approval_id} does not exist")
        return ApprovalOut.of(approval)

    @router.post("/{approval_id}/check", response_model=ApprovalOut, dependencies=staff)
    async def check_proposal(
        approval_id: uuid.UUID, body: CheckIn, principal: CurrentPrincipal, request: Request
    ):
        """Confirm (it takes effect now) or refuse (reason required) a proposal. The checker
        must be another person than the maker and anyone who took part before, and above the
        action's threshold work at the required level."""
        if body.verdict == "refuse" and not (body.reason and body.reason.strip()):
            raise Unprocessable("a refusal needs a reason", field="reason")
        registry = registry_of(request)
        runtime = request.app.state.runtime
        async with runtime.uow() as uow:
            try:
                checked = await check(
                    uow,
                    approval_id,
                    principal,
                    confirm=body.verdict == "confirm",
                    reason=body.reason,
                )
            except LookupError:
                raise NotFound(f"approval {approval_id} does not exist") from None
            except AlreadyChecked as exc:
                raise Conflict(str(exc), extra={"status_now": exc.approval.status.value}) from None
            except FourEyesViolation as exc:
                raise problem_of(exc) from None
            result = None
            if checked.status is Status.CONFIRMED:
                result = await registry.appliers[checked.action](uow, checked, principal)
            elif checked.action in registry.refusers:
                await registry.refusers[checked.action](uow, checked, principal)
            await uow.commit()
        return ApprovalOut.of(checked, result)

    return router
