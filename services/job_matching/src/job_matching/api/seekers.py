"""Job seekers: registration (or claiming one's profile), the profile and its edits.
A seeker registers (or claims) only the profile of the person their real-name login verified.
"""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Response, status

from job_matching import handlers
from job_matching.api.access import (
    SEEKER_OR_STAFF,
    actor_of,
    audit_read,
    check_creates_in,
    read_seeker,
)
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.schemas import (
    SeekerIn,
    SeekerOut,
    SeekerProfileIn,
)
from job_matching.domain import commands
from job_matching.domain.model import (
    is_recent_graduate,
)
from suxin_common.auth import CurrentPrincipal, Principal, Role
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, Forbidden, RuleViolation

router = APIRouter(prefix="/v1")


def _profile(body: SeekerProfileIn) -> commands.SeekerProfileUpdate:
    given = body.model_fields_set
    data = body.model_dump(exclude={"resident_id"})
    return commands.SeekerProfileUpdate(
        education=data.get("education"),
        graduation_date=data.get("graduation_date"),
        key_groups=frozenset(data["key_groups"]) if data.get("key_groups") is not None else None,
        skills=tuple(data["skills"]) if data.get("skills") is not None else None,
        desired_occupations=(
            tuple(data["desired_occupations"])
            if data.get("desired_occupations") is not None
            else None
        ),
        desired_regions=(
            tuple(data["desired_regions"]) if data.get("desired_regions") is not None else None
        ),
        desired_wage_fen=data.get("desired_wage_fen"),
        skill_level=data.get("skill_level"),
        professional_title=data.get("professional_title"),
        previously_unemployed=data.get("previously_unemployed"),
        open_to_offers=data.get("open_to_offers"),
        cleared=frozenset(name for name in given if data.get(name) is None),
    )


@router.post(
    "/seekers",
    status_code=status.HTTP_201_CREATED,
    response_model=SeekerOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["seekers"],
    responses={200: {"description": "the verified person claimed their existing profile"}},
)
async def register_seeker(
    body: SeekerIn,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    response: Response,
):
    """Register a job seeker. A seeker registers only themself: the resident ID must be the
    one their real-name login verified (else 403); if that person is already registered (by
    HRSS staff, or under an earlier account), the profile is bound to this account (claimed,
    200). HRSS staff register anyone into their district (409 if already registered)."""
    uow = deps.uow()
    staff = principal.has_role(Role.HRSS_STAFF)
    if not staff and not principal.is_person(deps.personal_data.person_key(body.resident_id)):
        # Checked before any lookup, so the answer says nothing about who is registered.
        raise Forbidden(
            "You may register only yourself: the resident ID must be the one your "
            "real-name login verified."
        )
    district = body.district_code or handlers.home_district(body.resident_id)
    if staff:
        check_creates_in(principal, district, "a job seeker")
    cmd = commands.RegisterSeeker(
        resident_id=body.resident_id,
        education=body.education,
        graduation_date=body.graduation_date,
        key_groups=frozenset(body.key_groups),
        account_subject=None if staff else principal.subject,
        profile=_profile(body),
        district_code=district,
    )
    found = await handlers.register_seeker(uow, cmd, deps.personal_data)
    if found.created:
        return await _seeker_out(uow, principal, found.seeker_id, "registration")
    if not staff:
        await handlers.claim_seeker(uow, found.seeker_id, principal)
        response.status_code = status.HTTP_200_OK
        return await _seeker_out(uow, principal, found.seeker_id, "claim")
    if not principal.sees_district(found.district_code):
        raise Conflict("this person is already registered (outside your district)")
    async with uow:  # the answer names the person's record: an audited lookup
        await audit_read(uow, principal, found.seeker_id, "registration: already registered")
        await uow.commit()
    raise Conflict("this person is already registered", extra={"seeker_id": str(found.seeker_id)})


@router.get(
    "/seekers/{seeker_id}",
    response_model=SeekerOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["seekers"],
)
async def get_seeker(seeker_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """A seeker's own profile (or one in their district, for HRSS staff: audited)."""
    uow = deps.uow()
    return await _seeker_out(uow, principal, seeker_id, "profile view")


@router.patch(
    "/seekers/{seeker_id}",
    response_model=SeekerOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["seekers"],
)
async def update_seeker(
    seeker_id: uuid.UUID,
    body: SeekerProfileIn,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
):
    """Edit one's own profile: skills, wishes, education, key groups, levels."""
    uow = deps.uow()
    for name in ("education", "key_groups", "skills", "desired_occupations", "desired_regions"):
        if name in body.model_fields_set and getattr(body, name) is None:
            raise RuleViolation(f"{name} cannot be null", field=name)
    actor = actor_of(principal)
    await handlers.update_seeker_profile(uow, seeker_id, _profile(body), actor)
    return await _seeker_out(uow, principal, seeker_id, "profile edit")


async def _seeker_out(
    uow: UnitOfWork, principal: Principal, seeker_id: uuid.UUID, purpose: str
) -> SeekerOut:
    row = await read_seeker(uow, principal, seeker_id, purpose)
    return SeekerOut(
        id=row.id,
        masked_resident_id=row.resident_id_masked,
        district_code=row.district_code,
        gender=row.gender,
        birth_year=row.birth_year,
        education=row.education,
        graduation_date=row.graduation_date,
        recent_graduate=is_recent_graduate(row.graduation_date, date.today()),
        key_groups=row.key_groups,
        skills=row.skills,
        desired_occupations=row.desired_occupations,
        desired_regions=row.desired_regions,
        desired_wage_fen=row.desired_wage_fen,
        skill_level=row.skill_level,
        professional_title=row.professional_title,
        previously_unemployed=row.previously_unemployed,
        open_to_offers=row.open_to_offers,
    )
