"""我的 (a person's own records): the subsidy cases that concern them, their vouchers and
training, and a PIPL export of everything this service holds about them.

The caller is a person (role ``seeker``) whose login verified their identity: the token's
``person_key`` claim. Every query is by that key only, so another person's case or voucher
answers 404 (its existence is not disclosed); a seeker not verified by real name has no key and
so no records. Person-facing cases (the person is the beneficiary) are shown fully;
employer-facing cases (补贴给用人单位) only as "your employer applied for …", without the
employer's figures. Every read is in the access audit trail.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, computed_field

from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.codes import label
from suxin_common.security import audit
from suxin_common.web import (
    NotFound,
    Page,
    Unprocessable,
    decode_cursor,
    encode_cursor,
    page_size,
)
from training_vouchers.adapters import me_repository as repo
from training_vouchers.api.deps import TrainingVouchersDeps
from training_vouchers.domain.policy import PolicyBook

router = APIRouter(prefix="/v1/me", tags=["me"])
PERSON = Depends(require_roles(Role.SEEKER))
Limit = Annotated[int, Depends(page_size())]
Cursor = Annotated[str | None, Query(max_length=2048)]
PURPOSE = "我的 / the person's own records"
# Families whose subsidy goes to the person (求职补贴, 灵活就业社保补贴, 创业担保贷款贴息); every
# other family is paid to the employer, and the person sees only that it was applied for.
PERSON_FACING_FAMILIES = frozenset({"job_search", "flexible_employment_insurance", "startup_loan"})


class MySubsidyCaseOut(BaseModel):
    id: uuid.UUID = Field(description="补贴案件标识 / subsidy case id")
    for_whom: str = Field(
        description="受益方 / beneficiary: `person` (补贴给本人) or `employer` (补贴给用人单位)"
    )
    title: str = Field(description="标题 / what the case is, in Chinese")
    rule_family: str = Field(description="补贴类别 / subsidy family")
    status: str = Field(description="办理状态 / where the case stands")
    opened_at: datetime = Field(description="立案时间 / when the case opened")
    decided_at: datetime | None = Field(description="决定时间 / when it was decided")
    amount_fen: int | None = Field(
        description="金额（分） / amount in fen; only for cases paid to the person"
    )
    delivery_mode: str | None = Field(description="兑现方式 / how it is paid; person cases only")
    review_deadline: date | None = Field(description="审核期限 / review deadline")
    decision_reason: str | None = Field(description="决定理由 / reason; person cases only")
    paid_at: datetime | None = Field(description="拨付时间 / when it was paid; person cases")
    waiting_for: list[Any] = Field(
        description="待核验事项 / facts the case waits to see verified; person cases only"
    )


class MyVoucherOut(BaseModel):
    id: uuid.UUID = Field(description="培训券标识 / voucher id")
    masked_resident_id: str = Field(description="脱敏身份证号 / masked resident ID")
    occupation_code: str = Field(description="职业（工种）编码 / occupation code")
    training_kind: str = Field(description="培训类型 / kind of training")
    target_level: str = Field(description="目标技能等级 / target skill level")
    amount_fen: int = Field(description="券面金额（分） / voucher value in fen")
    valid_until: date = Field(description="有效期至 / valid until")
    status: str = Field(description="状态 / voucher status")
    issued_at: datetime = Field(description="发放时间 / when it was issued")
    institution_id: uuid.UUID | None = Field(description="培训机构标识 / training institution")
    completed_on: date | None = Field(description="结业日期 / training completed on")
    passed: bool | None = Field(description="是否合格 / whether the training was passed")
    certified_on: date | None = Field(description="取证日期 / certified on")
    skill_level: str | None = Field(description="取得技能等级 / skill level certified")
    subsidy_fen: int | None = Field(description="培训补贴（分） / training subsidy in fen")
    outcome: str | None = Field(description="培训后去向 / outcome after training")

    @computed_field
    def occupation_name(self) -> str | None:
        return label("occupations", self.occupation_code)

    @computed_field
    def target_level_name(self) -> str | None:
        return label("skill-levels", self.target_level)

    @computed_field
    def skill_level_name(self) -> str | None:
        return label("skill-levels", self.skill_level)


class MyExportOut(BaseModel):
    service: str = Field(description="服务 / the service that holds the data")
    exported_at: datetime = Field(description="导出时间 / when the export was made")
    verified: bool = Field(description="是否实名认证 / whether the caller's identity is verified")
    subsidy_cases: list[MySubsidyCaseOut] = Field(description="补贴案件 / subsidy cases")
    vouchers: list[MyVoucherOut] = Field(description="培训券 / training vouchers")


def _family_name(book: PolicyBook, row: dict) -> str:
    try:
        return book.version(row["rule_version"]).families[row["rule_family"]].name_zh
    except (AttributeError, KeyError, LookupError, ValueError):
        return row["rule_family"]


def _case_out(book: PolicyBook, row: dict) -> MySubsidyCaseOut:
    name = _family_name(book, row)
    common = {
        "id": row["id"],
        "rule_family": row["rule_family"],
        "status": row["status"],
        "opened_at": row["opened_at"],
        "decided_at": row["decided_at"],
        "review_deadline": row["review_deadline"],
    }
    if row["rule_family"] in PERSON_FACING_FAMILIES:
        return MySubsidyCaseOut(
            **common,
            for_whom="person",
            title=name,
            amount_fen=row["amount_fen"],
            delivery_mode=row["delivery_mode"],
            decision_reason=row["decision_reason"],
            paid_at=row["paid_at"],
            waiting_for=list(row["waiting_for"] or []),
        )
    # Employer-facing: what concerns the person, not the employer's figures or reasons.
    return MySubsidyCaseOut(
        **common,
        for_whom="employer",
        title=f"您的用人单位申请了{name} / your employer applied for {row['rule_family']}",
        amount_fen=None,
        delivery_mode=None,
        decision_reason=None,
        paid_at=None,
        waiting_for=[],
    )


def _voucher_out(row: dict) -> MyVoucherOut:
    return MyVoucherOut(**{k: row[k] for k in MyVoucherOut.model_fields})


async def _audit(uow, principal: Principal, object_type: str, object_id: str) -> None:
    await audit.record(
        uow,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type=object_type,
        object_id=object_id,
        purpose=PURPOSE,
    )


def _case_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if cursor is None:
        return None
    position = decode_cursor(cursor)
    try:
        opened_at = datetime.fromisoformat(position["opened_at"])
        case_id = uuid.UUID(position["id"])
    except (KeyError, TypeError, ValueError):
        raise Unprocessable("The cursor is invalid.", field="cursor") from None
    if opened_at.tzinfo is None:
        raise Unprocessable("The cursor is invalid.", field="cursor")
    return opened_at, case_id


@router.get("/subsidy-cases", response_model=Page[MySubsidyCaseOut], dependencies=[PERSON])
async def my_subsidy_cases(
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
    limit: Limit,
    cursor: Cursor = None,
):
    """我的补贴: the subsidy cases that concern the caller, newest first."""
    after = _case_cursor(cursor)
    key = principal.person_key
    if key is None:
        return Page[MySubsidyCaseOut](items=[], next_cursor=None)
    async with deps.uow() as uow:
        rows = await repo.cases_of(uow.session, key, limit=limit + 1, after=after)
        for row in rows[:limit]:
            await _audit(uow, principal, "subsidy_case", str(row["id"]))
        await uow.commit()
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        next_cursor = encode_cursor(
            {"opened_at": last["opened_at"].isoformat(), "id": str(last["id"])}
        )
    return Page[MySubsidyCaseOut](
        items=[_case_out(deps.book, r) for r in page], next_cursor=next_cursor
    )


@router.get("/subsidy-cases/{case_id}", response_model=MySubsidyCaseOut, dependencies=[PERSON])
async def my_subsidy_case(
    case_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    """One subsidy case that concerns the caller; any other case answers 404."""
    key = principal.person_key
    if key is None:
        raise NotFound("subsidy case not found")
    async with deps.uow() as uow:
        row = await repo.case_of(uow.session, key, case_id)
        if row is None:
            raise NotFound("subsidy case not found")
        await _audit(uow, principal, "subsidy_case", str(case_id))
        await uow.commit()
    return _case_out(deps.book, row)


@router.get("/vouchers", response_model=list[MyVoucherOut], dependencies=[PERSON])
async def my_vouchers(principal: CurrentPrincipal, deps: TrainingVouchersDeps):
    """我的培训券: the caller's training vouchers and how their training went."""
    key = principal.person_key
    if key is None:
        return []
    async with deps.uow() as uow:
        rows = await repo.vouchers_of(uow.session, key)
        for row in rows:
            await _audit(uow, principal, "voucher", str(row["id"]))
        await uow.commit()
    return [_voucher_out(r) for r in rows]


@router.get("/vouchers/{voucher_id}", response_model=MyVoucherOut, dependencies=[PERSON])
async def my_voucher(
    voucher_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    """One of the caller's vouchers; any other voucher answers 404."""
    key = principal.person_key
    if key is None:
        raise NotFound("voucher not found")
    async with deps.uow() as uow:
        row = await repo.voucher_of(uow.session, key, voucher_id)
        if row is None:
            raise NotFound("voucher not found")
        await _audit(uow, principal, "voucher", str(voucher_id))
        await uow.commit()
    return _voucher_out(row)


EXPORT_CASES = 10_000


@router.get("/export", response_model=MyExportOut, dependencies=[PERSON])
async def my_export(principal: CurrentPrincipal, deps: TrainingVouchersDeps):
    """个人信息导出 (PIPL 第45条): one JSON document of what training-vouchers holds about the
    caller (resident IDs masked)."""
    key = principal.person_key
    now = datetime.now(UTC)
    if key is None:
        return MyExportOut(
            service="training-vouchers",
            exported_at=now,
            verified=False,
            subsidy_cases=[],
            vouchers=[],
        )
    async with deps.uow() as uow:
        cases = await repo.cases_of(uow.session, key, limit=EXPORT_CASES)
        vouchers = await repo.vouchers_of(uow.session, key)
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="person_export",
            object_id=principal.subject,
            purpose="个人信息导出 / PIPL export",
            details={"subsidy_cases": len(cases), "vouchers": len(vouchers)},
        )
        await uow.commit()
    return MyExportOut(
        service="training-vouchers",
        exported_at=now,
        verified=True,
        subsidy_cases=[_case_out(deps.book, r) for r in cases],
        vouchers=[_voucher_out(r) for r in vouchers],
    )
