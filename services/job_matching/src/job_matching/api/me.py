"""我的 (a person's own records): their profile, applications (with offers) and employment
history, and a PIPL export of everything job-matching holds about them.

The caller is a person (role ``seeker``) whose login verified their identity: the token's
``person_key`` claim. Every query is by that key only, so another person's application answers
404 (its existence is not disclosed); a seeker not verified by real name has no key and so no
records. Changes go through the existing routes (``PATCH /v1/seekers/{id}``, withdrawing an
application, confirming a hire). Every read is in the access audit trail.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, computed_field

from job_matching.adapters import me_repository as repo
from job_matching.api.deps import JobMatchingDeps
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.codes import label
from suxin_common.errors import NotFound
from suxin_common.security import audit

router = APIRouter(prefix="/v1/me", tags=["me"])
PERSON = Depends(require_roles(Role.SEEKER))
PURPOSE = "我的 / the person's own records"


class MyProfileOut(BaseModel):
    id: uuid.UUID = Field(description="求职者标识 / seeker id")
    masked_resident_id: str = Field(description="脱敏身份证号 / masked resident ID")
    gender: str = Field(description="性别 / gender")
    birth_year: int = Field(description="出生年份 / year of birth")
    education: str = Field(description="学历 / education")
    graduation_date: date | None = Field(description="毕业日期 / graduation date")
    key_groups: list[str] = Field(description="重点群体 / key groups")
    skills: list[str] = Field(description="技能 / skills")
    desired_occupations: list[str] = Field(description="求职意向职业 / desired occupations")
    desired_regions: list[str] = Field(description="意向地区 / desired regions")
    desired_wage_fen: int | None = Field(description="期望月薪（分） / desired monthly wage")
    skill_level: str | None = Field(description="技能等级 / skill level")
    professional_title: str | None = Field(description="职称 / professional title")
    open_to_offers: bool = Field(description="接受推荐 / open to offers")
    created_at: datetime = Field(description="登记时间 / registered at")

    @computed_field
    def education_name(self) -> str | None:
        return label("education-levels", self.education)

    @computed_field
    def skill_level_name(self) -> str | None:
        return label("skill-levels", self.skill_level)


class MyApplicationOut(BaseModel):
    id: uuid.UUID = Field(description="求职申请标识 / application id")
    job_post_id: uuid.UUID = Field(description="岗位标识 / job post id")
    job_title: str = Field(description="岗位名称 / job title")
    enterprise_name: str = Field(description="用人单位 / employer")
    status: str = Field(description="状态 / submitted | shortlisted | offered | hired | …")
    note: str = Field(description="单位留言 / the employer's note (e.g. with an offer)")
    submitted_at: datetime = Field(description="投递时间 / submitted at")
    updated_at: datetime = Field(description="更新时间 / last change")


class MyHireOut(BaseModel):
    id: uuid.UUID = Field(description="录用标识 / hire id")
    enterprise_uscc: str = Field(description="统一社会信用代码 / employer USCC")
    enterprise_name: str = Field(description="用人单位 / employer")
    job_post_id: uuid.UUID = Field(description="岗位标识 / job post id")
    job_title: str = Field(description="岗位名称 / job title")
    start_date: date = Field(description="入职日期 / start date")
    contract_type: str = Field(description="合同类型 / contract type")
    contract_months: int = Field(description="合同期限（月） / contract length in months")
    monthly_wage_fen: int = Field(description="月工资（分） / monthly wage in fen")
    confirmed_by: str | None = Field(description="确认方式 / how the hire was confirmed")
    confirmed_at: datetime | None = Field(description="确认时间 / confirmed at")
    denied_at: datetime | None = Field(description="否认时间 / the person denied it at")
    end_date: date | None = Field(description="离职日期 / end date")
    end_reason: str | None = Field(description="离职原因 / why it ended")


class MyExportOut(BaseModel):
    service: str = Field(description="服务 / the service that holds the data")
    exported_at: datetime = Field(description="导出时间 / when the export was made")
    verified: bool = Field(description="是否实名认证 / whether the caller's identity is verified")
    profile: MyProfileOut | None = Field(description="求职登记 / the seeker profile")
    applications: list[MyApplicationOut] = Field(description="求职申请 / applications")
    hires: list[MyHireOut] = Field(description="就业记录 / employment history")


def _profile(row: dict) -> MyProfileOut:
    fields = {k: v for k, v in row.items() if k != "resident_id_masked"}
    return MyProfileOut(masked_resident_id=row["resident_id_masked"], **fields)


async def _audit(uow, principal: Principal, object_type: str, object_id: str) -> None:
    await audit.record(
        uow,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type=object_type,
        object_id=object_id,
        purpose=PURPOSE,
    )


@router.get("/profile", response_model=MyProfileOut, dependencies=[PERSON])
async def my_profile(principal: CurrentPrincipal, deps: JobMatchingDeps):
    """我的求职登记: the caller's seeker profile (404 until they register one)."""
    if principal.person_key is None:
        raise NotFound("no seeker profile")
    async with deps.uow() as uow:
        row = await repo.profile_of(uow.session, principal.person_key)
        if row is None:
            raise NotFound("no seeker profile")
        await _audit(uow, principal, "seeker", str(row["id"]))
        await uow.commit()
    return _profile(row)


@router.get("/applications", response_model=list[MyApplicationOut], dependencies=[PERSON])
async def my_applications(principal: CurrentPrincipal, deps: JobMatchingDeps):
    """我的投递: the caller's applications and offers, newest first."""
    if principal.person_key is None:
        return []
    async with deps.uow() as uow:
        rows = await repo.applications_of(uow.session, principal.person_key)
        for row in rows:
            await _audit(uow, principal, "application", str(row["id"]))
        await uow.commit()
    return [MyApplicationOut(**r) for r in rows]


@router.get(
    "/applications/{application_id}", response_model=MyApplicationOut, dependencies=[PERSON]
)
async def my_application(
    application_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """One of the caller's applications; any other answers 404."""
    if principal.person_key is None:
        raise NotFound("application not found")
    async with deps.uow() as uow:
        rows = await repo.applications_of(uow.session, principal.person_key, application_id)
        if not rows:
            raise NotFound("application not found")
        await _audit(uow, principal, "application", str(application_id))
        await uow.commit()
    return MyApplicationOut(**rows[0])


@router.get("/hires", response_model=list[MyHireOut], dependencies=[PERSON])
async def my_hires(principal: CurrentPrincipal, deps: JobMatchingDeps):
    """我的就业记录: the caller's hires and separations, newest first."""
    if principal.person_key is None:
        return []
    async with deps.uow() as uow:
        rows = await repo.hires_of(uow.session, principal.person_key)
        for row in rows:
            await _audit(uow, principal, "hire", str(row["id"]))
        await uow.commit()
    return [MyHireOut(**r) for r in rows]


@router.get("/export", response_model=MyExportOut, dependencies=[PERSON])
async def my_export(principal: CurrentPrincipal, deps: JobMatchingDeps):
    """个人信息导出 (PIPL 第45条): one JSON document of what job-matching holds about the caller
    (resident IDs masked)."""
    now = datetime.now(UTC)
    key = principal.person_key
    if key is None:
        return MyExportOut(
            service="job-matching",
            exported_at=now,
            verified=False,
            profile=None,
            applications=[],
            hires=[],
        )
    async with deps.uow() as uow:
        profile = await repo.profile_of(uow.session, key)
        applications = await repo.applications_of(uow.session, key)
        hires = await repo.hires_of(uow.session, key)
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="person_export",
            object_id=principal.subject,
            purpose="个人信息导出 / PIPL export",
            details={
                "profile": profile is not None,
                "applications": len(applications),
                "hires": len(hires),
            },
        )
        await uow.commit()
    return MyExportOut(
        service="job-matching",
        exported_at=now,
        verified=True,
        profile=_profile(profile) if profile else None,
        applications=[MyApplicationOut(**a) for a in applications],
        hires=[MyHireOut(**h) for h in hires],
    )
