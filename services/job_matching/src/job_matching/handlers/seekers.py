"""Seekers (求职者): registration, claiming a profile, editing it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from job_matching.adapters.repositories import Uow
from job_matching.domain import commands
from job_matching.domain.matching import normalize_skill, occupation_minor_group, seeker_match_keys
from job_matching.domain.model import Actor, ProfessionalTitle, SkillLevel
from suxin_common.auth import Principal
from suxin_common.errors import NotFound
from suxin_common.identity import birth_date_of, gender_of, normalize_resident_id
from suxin_common.privacy import PersonalData
from suxin_common.regions import city_of
from suxin_common.security import audit

RESIDENT_ID_AAD = "job_matching.seekers.resident_id"
CLAIM_SEEKER_PROFILE = "claim_seeker_profile"


@dataclass(frozen=True)
class Registration:
    """What registering a person found: a new record, or the one this person already has."""

    seeker_id: uuid.UUID
    created: bool
    masked_resident_id: str
    account_subject: str | None  # of the existing record (None: registered by staff only)
    district_code: str | None


def home_district(resident_id: str) -> str | None:
    """The household-registration district of a resident ID (its first six digits) if it is
    in Jiangsu, else None: the default district whose employment office serves the person."""
    code = normalize_resident_id(resident_id)[:6]
    try:
        city_of(code)
    except ValueError:
        return None
    return code


async def register_seeker(
    uow: Uow, cmd: commands.RegisterSeeker, pii: PersonalData
) -> Registration:
    """Register a person; if they are already registered, nothing changes and the existing
    record is described (the caller decides: a claim, or a 409). The raw ID is kept only
    encrypted."""
    number = normalize_resident_id(cmd.resident_id)
    protected = pii.protect(number, RESIDENT_ID_AAD)
    seeker_id = uuid.uuid4()
    values = {
        "id": seeker_id,
        "person_key": protected.person_key,
        "resident_id_encrypted": protected.ciphertext,
        "resident_id_masked": protected.masked,
        "account_subject": cmd.account_subject,
        "district_code": cmd.district_code,
        "gender": gender_of(number),
        "birth_year": birth_date_of(number).year,
        "birth_date": birth_date_of(number),
        "education": cmd.education.value,
        "graduation_date": cmd.graduation_date,
        "key_groups": sorted(g.value for g in cmd.key_groups),
        **(profile_values(cmd.profile) if cmd.profile else {}),
    }
    values["match_keys"] = seeker_match_keys(
        values.get("desired_occupations", ()),
        values.get("desired_regions", ()),
        values.get("skills", ()),
    )
    async with uow:
        if await uow.repos.seekers.add(values) is None:
            existing = await uow.repos.seekers.row_by_person_key(protected.person_key)
            assert existing is not None
            return Registration(
                existing.id,
                False,
                existing.resident_id_masked,
                existing.account_subject,
                existing.district_code,
            )
        await uow.commit()
    return Registration(seeker_id, True, protected.masked, cmd.account_subject, cmd.district_code)


async def claim_seeker(uow: Uow, seeker_id: uuid.UUID, principal: Principal) -> None:
    """Bind a person's record to the account of the caller, whom the real-name login verified
    as that person (the route checks `principal.is_person`): a profile HRSS staff registered
    for them, or one bound to an earlier account of theirs. Audited."""
    async with uow:
        row = await uow.repos.seekers.row(seeker_id, lock=True)
        if row is None:
            raise NotFound(f"seeker {seeker_id} is not registered")
        if row.account_subject != principal.subject:
            await uow.repos.seekers.update(seeker_id, {"account_subject": principal.subject})
            await uow.append_audit(
                [
                    audit.entry(
                        principal,
                        action=CLAIM_SEEKER_PROFILE,
                        object_type="seeker",
                        object_id=str(seeker_id),
                        purpose="the verified person claims their profile",
                        details={"previously_bound": row.account_subject is not None},
                    )
                ]
            )
        await uow.commit()


def profile_values(p: commands.SeekerProfileUpdate) -> dict[str, Any]:
    """Column values for the profile fields given (None: left as is, unless cleared)."""
    values: dict[str, Any] = {}
    if p.education is not None:
        values["education"] = p.education.value
    if p.graduation_date is not None or "graduation_date" in p.cleared:
        values["graduation_date"] = p.graduation_date
    if p.key_groups is not None:
        values["key_groups"] = sorted(g.value for g in p.key_groups)
    if p.skills is not None:
        values["skills"] = sorted({normalize_skill(s) for s in p.skills if s.strip()})
    if p.desired_occupations is not None:
        values["desired_occupations"] = sorted(set(p.desired_occupations))
        values["desired_minor_groups"] = sorted(
            {occupation_minor_group(c) for c in p.desired_occupations}
        )
    if p.desired_regions is not None:
        values["desired_regions"] = sorted(set(p.desired_regions))
        values["desired_cities"] = sorted({city_of(r) for r in p.desired_regions})
    if p.desired_wage_fen is not None or "desired_wage_fen" in p.cleared:
        values["desired_wage_fen"] = p.desired_wage_fen
    for name, enum in (("skill_level", SkillLevel), ("professional_title", ProfessionalTitle)):
        value = getattr(p, name)
        if value is not None or name in p.cleared:
            values[name] = enum(value).value if value is not None else None
    for name in ("previously_unemployed", "open_to_offers"):
        if getattr(p, name) is not None:
            values[name] = getattr(p, name)
    return values


async def update_seeker_profile(
    uow: Uow, seeker_id: uuid.UUID, update: commands.SeekerProfileUpdate, actor: Actor
) -> None:
    """A seeker edits their own profile (HRSS staff may too); others' is not found."""
    async with uow:
        row = await uow.repos.seekers.row(seeker_id)
        if row is None or not actor.owns_seeker(row.account_subject, row.district_code):
            raise NotFound(f"seeker {seeker_id} is not registered")
        values = profile_values(update)
        if values:
            await uow.repos.seekers.update(seeker_id, values)
            row = await uow.repos.seekers.row(seeker_id)
            keys = seeker_match_keys(row.desired_occupations, row.desired_regions, row.skills)
            await uow.repos.seekers.set_match_keys(seeker_id, keys)
        await uow.commit()
