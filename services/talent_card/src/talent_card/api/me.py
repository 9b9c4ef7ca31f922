"""我的 (a person's own records): their 苏畅卡 (current and past) with the entitlement uses
partners recorded and the jobs it followed, the offers made to them (政策找人), their
applications, and a PIPL export of everything this service holds about them.

Unlike ``/v1/me/cards`` (cards bound to the login account), these read by the verified
identity of the caller: the token's ``person_key`` claim (role ``seeker``). Another person's
card answers 404 (its existence is not disclosed); a seeker not verified by real name has no
key and so no records. Every read is in the access audit trail.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, computed_field

from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.codes import label
from suxin_common.errors import NotFound
from suxin_common.security import audit
from talent_card.adapters import me_repository as repo
from talent_card.api.deps import TalentCardDeps

router = APIRouter(prefix="/v1/me", tags=["me"])
PERSON = Depends(require_roles(Role.SEEKER))
PURPOSE = "我的 / the person's own records"


class MyCardOut(BaseModel):
    id: uuid.UUID = Field(description="苏畅卡标识 / talent card id")
    masked_resident_id: str = Field(description="脱敏身份证号 / masked resident ID")
    level: str = Field(description="卡等级 / card level")
    status: str = Field(description="状态 / card status")
    status_reason: str | None = Field(description="状态原因 / why it is suspended or revoked")
    employer_uscc: str | None = Field(description="现工作单位 / current employer (USCC)")
    city_code: str = Field(description="城市代码 / city")
    position_since: date | None = Field(description="入职日期 / in this position since")
    issued_at: datetime = Field(description="发卡时间 / when it was issued")
    valid_from: date | None = Field(description="有效期起 / valid from")
    valid_until: date | None = Field(description="有效期至 / valid until")
    proactive: bool = Field(description="主动发卡 / issued proactively (政策找人)")

    @computed_field
    def level_name(self) -> str | None:
        return label("card-levels", self.level)

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class MyEntitlementUseOut(BaseModel):
    id: uuid.UUID = Field(description="使用记录标识 / use id")
    card_id: uuid.UUID = Field(description="苏畅卡标识 / talent card id")
    entitlement_code: str = Field(description="权益 / entitlement used")
    partner_uscc: str = Field(description="服务机构 / partner (USCC)")
    used_on: date = Field(description="使用日期 / day of use")
    used_at: datetime = Field(description="记录时间 / when it was recorded")


class MyCardEmploymentOut(BaseModel):
    hire_id: uuid.UUID = Field(description="录用标识 / hire id")
    card_id: uuid.UUID = Field(description="苏畅卡标识 / talent card id")
    employer_uscc: str = Field(description="用人单位 / employer (USCC)")
    city_code: str = Field(description="城市代码 / city")
    started_on: date | None = Field(description="入职日期 / started on")
    ended_on: date | None = Field(description="离职日期 / ended on")

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class MyCardDetailOut(MyCardOut):
    uses: list[MyEntitlementUseOut] = Field(description="权益使用 / entitlement uses")
    employments: list[MyCardEmploymentOut] = Field(description="任职记录 / jobs on this card")


class MyOfferOut(BaseModel):
    id: uuid.UUID = Field(description="发卡邀约标识 / offer id")
    level: str = Field(description="卡等级 / level offered")
    city_code: str = Field(description="城市代码 / city")
    status: str = Field(description="状态 / open | accepted | declined")
    offered_at: datetime = Field(description="邀约时间 / offered at")
    decided_at: datetime | None = Field(description="答复时间 / accepted or declined at")
    card_id: uuid.UUID | None = Field(description="苏畅卡标识 / card issued on acceptance")

    @computed_field
    def level_name(self) -> str | None:
        return label("card-levels", self.level)

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class MyApplicationOut(BaseModel):
    id: uuid.UUID = Field(description="申请标识 / application id")
    masked_resident_id: str = Field(description="脱敏身份证号 / masked resident ID")
    city_code: str = Field(description="城市代码 / city")
    proposed_level: str | None = Field(description="拟定等级 / level the criteria propose")
    status: str = Field(description="状态 / pending | approved | rejected")
    submitted_at: datetime = Field(description="提交时间 / submitted at")
    reviewed_at: datetime | None = Field(description="审核时间 / reviewed at")
    review_note: str | None = Field(description="审核意见 / reviewer's note")
    card_id: uuid.UUID | None = Field(description="苏畅卡标识 / card issued on approval")

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class MyExportOut(BaseModel):
    service: str = Field(description="服务 / the service that holds the data")
    exported_at: datetime = Field(description="导出时间 / when the export was made")
    verified: bool = Field(description="是否实名认证 / whether the caller's identity is verified")
    cards: list[MyCardDetailOut] = Field(description="苏畅卡 / talent cards with uses and jobs")
    offers: list[MyOfferOut] = Field(description="发卡邀约 / card offers")
    applications: list[MyApplicationOut] = Field(description="申请 / card applications")


def _card(row: dict) -> MyCardOut:
    return MyCardOut(
        masked_resident_id=row["resident_id_masked"], **_without(row, "resident_id_masked")
    )


def _without(row: dict, *names: str) -> dict:
    return {k: v for k, v in row.items() if k not in names}


def _detail(row: dict, uses: list[dict], employments: list[dict]) -> MyCardDetailOut:
    return MyCardDetailOut(
        **_card(row).model_dump(),
        uses=[MyEntitlementUseOut(**u) for u in uses if u["card_id"] == row["id"]],
        employments=[MyCardEmploymentOut(**e) for e in employments if e["card_id"] == row["id"]],
    )


def _application(row: dict) -> MyApplicationOut:
    return MyApplicationOut(
        masked_resident_id=row["resident_id_masked"], **_without(row, "resident_id_masked")
    )


async def _audit(uow, principal: Principal, object_type: str, object_id: str) -> None:
    await audit.record(
        uow,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type=object_type,
        object_id=object_id,
        purpose=PURPOSE,
    )


@router.get("/talent-cards", response_model=list[MyCardOut], dependencies=[PERSON])
async def my_talent_cards(principal: CurrentPrincipal, deps: TalentCardDeps):
    """我的苏畅卡: the caller's cards, current and past, by their verified identity."""
    if principal.person_key is None:
        return []
    async with deps.uow() as uow:
        rows = await repo.cards_of(uow.session, principal.person_key)
        for row in rows:
            await _audit(uow, principal, "card", str(row["id"]))
        await uow.commit()
    return [_card(r) for r in rows]


@router.get("/talent-cards/{card_id}", response_model=MyCardDetailOut, dependencies=[PERSON])
async def my_talent_card(card_id: uuid.UUID, principal: CurrentPrincipal, deps: TalentCardDeps):
    """One of the caller's cards with the entitlement uses recorded on it and the jobs it
    followed; any other card answers 404."""
    if principal.person_key is None:
        raise NotFound("talent card not found")
    async with deps.uow() as uow:
        row = await repo.card_of(uow.session, principal.person_key, card_id)
        if row is None:
            raise NotFound("talent card not found")
        uses = await repo.uses_of(uow.session, [card_id])
        employments = await repo.employments_of(uow.session, [card_id])
        await _audit(uow, principal, "card", str(card_id))
        await uow.commit()
    return _detail(row, uses, employments)


@router.get("/card-offers", response_model=list[MyOfferOut], dependencies=[PERSON])
async def my_card_offers(principal: CurrentPrincipal, deps: TalentCardDeps):
    """发卡邀约: the offers made to the caller (accept or decline at /v1/card-offers/{id})."""
    if principal.person_key is None:
        return []
    async with deps.uow() as uow:
        rows = await repo.offers_of(uow.session, principal.person_key)
        for row in rows:
            await _audit(uow, principal, "card_offer", str(row["id"]))
        await uow.commit()
    return [MyOfferOut(**r) for r in rows]


@router.get("/card-applications", response_model=list[MyApplicationOut], dependencies=[PERSON])
async def my_card_applications(principal: CurrentPrincipal, deps: TalentCardDeps):
    """我的申请: the caller's card applications and how they were decided."""
    if principal.person_key is None:
        return []
    async with deps.uow() as uow:
        rows = await repo.applications_of(uow.session, principal.person_key)
        for row in rows:
            await _audit(uow, principal, "card_application", str(row["id"]))
        await uow.commit()
    return [_application(r) for r in rows]


@router.get("/export", response_model=MyExportOut, dependencies=[PERSON])
async def my_export(principal: CurrentPrincipal, deps: TalentCardDeps):
    """个人信息导出 (PIPL 第45条): one JSON document of what talent-card holds about the caller
    (resident IDs masked)."""
    now = datetime.now(UTC)
    key = principal.person_key
    if key is None:
        return MyExportOut(
            service="talent-card",
            exported_at=now,
            verified=False,
            cards=[],
            offers=[],
            applications=[],
        )
    async with deps.uow() as uow:
        card_rows = await repo.cards_of(uow.session, key)
        ids = [c["id"] for c in card_rows]
        uses = await repo.uses_of(uow.session, ids)
        employments = await repo.employments_of(uow.session, ids)
        offers = await repo.offers_of(uow.session, key)
        applications = await repo.applications_of(uow.session, key)
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="person_export",
            object_id=principal.subject,
            purpose="个人信息导出 / PIPL export",
            details={
                "cards": len(card_rows),
                "offers": len(offers),
                "applications": len(applications),
            },
        )
        await uow.commit()
    return MyExportOut(
        service="talent-card",
        exported_at=now,
        verified=True,
        cards=[_detail(c, uses, employments) for c in card_rows],
        offers=[MyOfferOut(**o) for o in offers],
        applications=[_application(a) for a in applications],
    )
