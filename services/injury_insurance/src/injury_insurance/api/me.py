"""我的 (a person's own records): their cover (工伤保险 and, for platform work, 职业伤害保障 per
order), their injury claims with each stage reached, and a PIPL export of everything this
service holds about them.

The caller is a person (role ``seeker``) whose login verified their identity: the token's
``person_key`` claim. Every query is by that key only, so another person's claim answers 404
(its existence is not disclosed); a seeker not verified by real name has no key and so no
records. Every read is in the access audit trail.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, computed_field

from injury_insurance.adapters import me_repository as repo
from injury_insurance.api.deps import InjuryInsuranceDeps
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.codes import label
from suxin_common.errors import NotFound, RuleViolation
from suxin_common.reasons import Rendered
from suxin_common.security import audit
from suxin_common.web import Page, decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1/me", tags=["me"])
PERSON = Depends(require_roles(Role.SEEKER))
Limit = Annotated[int, Depends(page_size())]
Cursor = Annotated[str | None, Query(max_length=2048)]
PURPOSE = "我的 / the person's own records"
SCHEME_ZH = {
    "work_injury_insurance": "工伤保险",
    "occupational_injury_protection": "新就业形态人员职业伤害保障",
}
STAGE_ZH = {
    "reported": "已报案",
    "under_review": "审核中",
    "approved": "已认定",
    "rejected": "不予认定",
    "paid": "已支付",
}
EXPORT_ORDERS = 10_000


class MyCoverOut(BaseModel):
    id: uuid.UUID = Field(description="保障标识 / cover id")
    scheme: str = Field(
        description="保障类型 / scheme: work_injury_insurance | occupational_injury_protection"
    )
    scheme_zh: str = Field(description="保障类型（中文） / scheme in Chinese")
    masked_resident_id: str = Field(description="脱敏身份证号 / masked resident ID")
    enterprise_uscc: str = Field(description="参保单位或平台 / employer or platform (USCC)")
    status: str = Field(description="状态 / active | ended")
    start_date: date = Field(description="起保日期 / cover starts")
    end_date: date | None = Field(description="终止日期 / cover ended on")
    city_code: str = Field(description="城市代码 / city")

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class MyOrderCoverOut(BaseModel):
    platform_uscc: str = Field(description="平台统一社会信用代码 / platform USCC")
    order_id: str = Field(description="订单号 / order id")
    industry: str = Field(description="行业 / platform industry")
    city_code: str = Field(description="城市代码 / city")
    accepted_at: datetime = Field(description="接单时间 / accepted; cover begins")
    ended_at: datetime | None = Field(description="订单结束时间 / order ended")
    end_status: str | None = Field(description="结束状态 / completed | cancelled")

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class MyClaimStepOut(BaseModel):
    version: int = Field(description="版本 / step number")
    stage: str = Field(description="阶段 / stage reached")
    stage_zh: str = Field(description="阶段（中文） / stage in Chinese")
    reason: Rendered | None = Field(description="理由 / reason given")
    amount_fen: int = Field(description="金额（分） / amount in fen at this step")
    at: datetime = Field(description="时间 / when")


class MyClaimOut(BaseModel):
    id: uuid.UUID = Field(description="理赔标识 / claim id")
    platform_uscc: str = Field(description="平台统一社会信用代码 / platform USCC")
    injured_at: datetime = Field(description="受伤时间 / when the injury happened")
    place: str = Field(description="受伤地点 / where")
    city_code: str = Field(description="城市代码 / city")
    order_id: str | None = Field(description="订单号 / order being worked")
    description: str = Field(description="经过 / what happened")
    stage: str = Field(description="阶段 / current stage")
    stage_zh: str = Field(description="阶段（中文） / current stage in Chinese")
    reason: Rendered | None = Field(description="理由 / reason of the decision")
    amount_fen: int = Field(description="金额（分） / amount in fen")
    created_at: datetime = Field(description="报案时间 / reported at")
    updated_at: datetime = Field(description="更新时间 / last change")
    history: list[MyClaimStepOut] | None = Field(
        default=None, description="办理经过 / the stages reached (single claim and export only)"
    )

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class MyExportOut(BaseModel):
    service: str = Field(description="服务 / the service that holds the data")
    exported_at: datetime = Field(description="导出时间 / when the export was made")
    verified: bool = Field(description="是否实名认证 / whether the caller's identity is verified")
    covers: list[MyCoverOut] = Field(description="保障 / covers")
    order_covers: list[MyOrderCoverOut] = Field(description="订单保障 / covered orders")
    claims: list[MyClaimOut] = Field(description="理赔 / injury claims with their history")


def _cover(row: dict) -> MyCoverOut:
    return MyCoverOut(
        **{k: row[k] for k in MyCoverOut.model_fields if k != "scheme_zh"},
        scheme_zh=SCHEME_ZH.get(row["scheme"], row["scheme"]),
    )


def _claim(row: dict, history: list[dict] | None = None) -> MyClaimOut:
    steps = None
    if history is not None:
        steps = [
            MyClaimStepOut(**h, stage_zh=STAGE_ZH.get(h["stage"], h["stage"])) for h in history
        ]
    return MyClaimOut(**row, stage_zh=STAGE_ZH.get(row["stage"], row["stage"]), history=steps)


async def _audit(uow, principal: Principal, object_type: str, object_id: str) -> None:
    await audit.record(
        uow,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type=object_type,
        object_id=object_id,
        purpose=PURPOSE,
    )


def _order_cursor(cursor: str | None) -> tuple[datetime, str, str] | None:
    if cursor is None:
        return None
    position = decode_cursor(cursor)
    try:
        accepted_at = datetime.fromisoformat(position["accepted_at"])
        platform, order = str(position["platform_uscc"]), str(position["order_id"])
    except (KeyError, TypeError, ValueError):
        raise RuleViolation("The cursor is invalid.", field="cursor") from None
    if accepted_at.tzinfo is None:
        raise RuleViolation("The cursor is invalid.", field="cursor")
    return accepted_at, platform, order


@router.get("/covers", response_model=list[MyCoverOut], dependencies=[PERSON])
async def my_covers(principal: CurrentPrincipal, deps: InjuryInsuranceDeps):
    """我的保障: the caller's 工伤保险 (by employment) and 职业伤害保障 (platform work)."""
    if principal.person_key is None:
        return []
    async with deps.uow() as uow:
        rows = await repo.coverages_of(uow.session, principal.person_key)
        for row in rows:
            await _audit(uow, principal, "coverage", str(row["id"]))
        await uow.commit()
    return [_cover(r) for r in rows]


@router.get("/order-covers", response_model=Page[MyOrderCoverOut], dependencies=[PERSON])
async def my_order_covers(
    principal: CurrentPrincipal, deps: InjuryInsuranceDeps, limit: Limit, cursor: Cursor = None
):
    """我的订单保障: each platform order that covered the caller (per-order cover, 按单参保),
    newest first."""
    after = _order_cursor(cursor)
    if principal.person_key is None:
        return Page[MyOrderCoverOut](items=[], next_cursor=None)
    async with deps.uow() as uow:
        rows = await repo.order_covers_of(
            uow.session, principal.person_key, limit=limit + 1, after=after
        )
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="order_cover",
            object_id=principal.subject,
            purpose=PURPOSE,
            details={"orders": len(rows[:limit])},
        )
        await uow.commit()
    page = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = page[-1]
        next_cursor = encode_cursor(
            {
                "accepted_at": last["accepted_at"].isoformat(),
                "platform_uscc": last["platform_uscc"],
                "order_id": last["order_id"],
            }
        )
    return Page[MyOrderCoverOut](
        items=[MyOrderCoverOut(**r) for r in page], next_cursor=next_cursor
    )


@router.get("/claims", response_model=list[MyClaimOut], dependencies=[PERSON])
async def my_claims(principal: CurrentPrincipal, deps: InjuryInsuranceDeps):
    """我的理赔: the caller's injury claims and where each stands."""
    if principal.person_key is None:
        return []
    async with deps.uow() as uow:
        rows = await repo.claims_of(uow.session, principal.person_key)
        for row in rows:
            await _audit(uow, principal, "claim", str(row["id"]))
        await uow.commit()
    return [_claim(r) for r in rows]


@router.get("/claims/{claim_id}", response_model=MyClaimOut, dependencies=[PERSON])
async def my_claim(claim_id: uuid.UUID, principal: CurrentPrincipal, deps: InjuryInsuranceDeps):
    """One of the caller's claims with every stage it reached; any other claim answers 404."""
    if principal.person_key is None:
        raise NotFound("claim not found")
    async with deps.uow() as uow:
        row = await repo.claim_of(uow.session, principal.person_key, claim_id)
        if row is None:
            raise NotFound("claim not found")
        history = await repo.history_of(uow.session, claim_id)
        await _audit(uow, principal, "claim", str(claim_id))
        await uow.commit()
    return _claim(row, history)


@router.get("/export", response_model=MyExportOut, dependencies=[PERSON])
async def my_export(principal: CurrentPrincipal, deps: InjuryInsuranceDeps):
    """个人信息导出 (PIPL 第45条): one JSON document of what injury-insurance holds about the
    caller (resident IDs masked)."""
    now = datetime.now(UTC)
    key = principal.person_key
    if key is None:
        return MyExportOut(
            service="injury-insurance",
            exported_at=now,
            verified=False,
            covers=[],
            order_covers=[],
            claims=[],
        )
    async with deps.uow() as uow:
        covers = await repo.coverages_of(uow.session, key)
        orders = await repo.order_covers_of(uow.session, key, limit=EXPORT_ORDERS)
        claim_rows = await repo.claims_of(uow.session, key)
        claims = [_claim(c, await repo.history_of(uow.session, c["id"])) for c in claim_rows]
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="person_export",
            object_id=principal.subject,
            purpose="个人信息导出 / PIPL export",
            details={"covers": len(covers), "orders": len(orders), "claims": len(claims)},
        )
        await uow.commit()
    return MyExportOut(
        service="injury-insurance",
        exported_at=now,
        verified=True,
        covers=[_cover(c) for c in covers],
        order_covers=[MyOrderCoverOut(**o) for o in orders],
        claims=claims,
    )
