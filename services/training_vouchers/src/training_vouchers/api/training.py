"""Training HTTP routes: the occupation catalogue (工种), partner institutions and vouchers.

HRSS staff keep the catalogue, register institutions and issue vouchers; an institution
(role ``institution``, scoped by ``tenant.institution_id``) enrols holders and reports
completion and certification. Parse -> handler -> response.

Object level: an institution whose token names no registered institution, or another
institution's voucher, gets 404; HRSS staff see vouchers and institutions of their district
(by district, else city) unless province-level. Staff reads of vouchers (eligibility and
person key) are audited, as are issue, redemption and the subsidy release (handlers).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.regions import city_of
from suxin_common.security import audit
from suxin_common.web import (
    Conflict,
    Forbidden,
    NotFound,
    Page,
    Unprocessable,
    decode_cursor,
    encode_cursor,
    page_size,
)
from training_vouchers import handlers
from training_vouchers.adapters import money_repository as money_repo
from training_vouchers.adapters import training_repository as repo
from training_vouchers.api.deps import TrainingVouchersDeps
from training_vouchers.api.training_schemas import (
    OCCUPATION_CODE,
    CertificationIn,
    CompletionIn,
    InstitutionIn,
    InstitutionOut,
    OccupationIn,
    OccupationOut,
    OccupationVersionOut,
    VoucherIn,
    VoucherOut,
)
from training_vouchers.domain import training
from training_vouchers.domain.review import china_day
from training_vouchers.domain.training import (
    Institution,
    Occupation,
    Voucher,
    VoucherStatus,
)
from training_vouchers.handlers import money

router = APIRouter(prefix="/v1", tags=["training"])
STAFF = Depends(require_roles(Role.HRSS_STAFF))
INSTITUTION = Depends(require_roles(Role.INSTITUTION))
STAFF_OR_INSTITUTION = Depends(require_roles(Role.HRSS_STAFF, Role.INSTITUTION))
ANYONE = Depends(require_roles(*Role))
Limit = Annotated[int, Depends(page_size())]
Cursor = Annotated[str | None, Query(max_length=2048)]
MAX_FEN = 10**9
# DEFAULT validity of a voucher when the issuer gives none: one year.
DEFAULT_VALIDITY = timedelta(days=365)


def _now() -> datetime:
    return datetime.now(UTC)


# --- catalogue ------------------------------------------------------------------------------


@router.put(
    "/occupations/{code}",
    response_model=OccupationVersionOut,
    status_code=202,
    dependencies=[STAFF],
)
async def put_occupation(
    code: str,
    body: OccupationIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    """Propose a new version of an occupation's catalogue entry and subsidy table (补贴标准),
    in force from ``effective_from`` (today if absent; never in the past). Nothing changes
    until a second staff member (city level by default) approves it at
    ``POST /v1/approvals/{approval_id}/check``; vouchers and subsidies record the version
    that priced them."""
    if not OCCUPATION_CODE.fullmatch(code):
        raise Unprocessable("occupation code must look like 6-18-01-01", field="code")
    now = _now()
    effective_from = body.effective_from or china_day(now)
    if effective_from < china_day(now):
        raise Unprocessable("a table change cannot take effect in the past", field="effective_from")
    occupation = Occupation(
        code=code,
        name=body.name,
        subsidy_fen={k.value: v for k, v in body.subsidy_fen.items()},
        digital_skills=body.digital_skills,
        shortage=body.shortage,
        specialised_sme_oriented=body.specialised_sme_oriented,
        active=body.active,
    )
    rule = deps.four_eyes.rule(money.SUBSIDY_TABLE)
    async with deps.uow() as uow:
        version, approval = await money.propose_table(
            uow,
            occupation,
            effective_from=effective_from,
            principal=principal,
            rule=rule,
            at=now,
        )
        await uow.commit()
    return OccupationVersionOut(
        **{k: v for k, v in occupation.__dict__.items() if k != "table_version"},
        version=version,
        status="proposed",
        effective_from=effective_from,
        proposed_by=principal.subject,
        approved_by=None,
        approval_id=approval.id,
    )


@router.get(
    "/occupations/{code}/versions",
    response_model=list[OccupationVersionOut],
    dependencies=[STAFF],
)
async def occupation_versions(code: str, deps: TrainingVouchersDeps):
    """Every version of an occupation's table, proposed, approved or refused, oldest first."""
    if not OCCUPATION_CODE.fullmatch(code):
        raise Unprocessable("occupation code must look like 6-18-01-01", field="code")
    async with deps.sessions() as session:
        rows = await money_repo.occupation_versions_of(session, code)
    return [
        OccupationVersionOut(**{k: r[k] for k in OccupationVersionOut.model_fields}) for r in rows
    ]


@router.get("/occupations", response_model=Page[OccupationOut], dependencies=[ANYONE])
async def list_occupations(
    deps: TrainingVouchersDeps,
    limit: Limit,
    digital_skills: bool | None = None,
    shortage: bool | None = None,
    specialised_sme_oriented: bool | None = None,
    cursor: Cursor = None,
):
    """The catalogue by code, filtered by flags (数字技能, 紧缺型, 专精特新)."""
    flags = {
        k: v
        for k, v in {
            "digital_skills": digital_skills,
            "shortage": shortage,
            "specialised_sme_oriented": specialised_sme_oriented,
        }.items()
        if v is not None
    }
    after = _string_cursor(cursor, "code")
    async with deps.sessions() as session:
        rows = await repo.list_occupations(
            session, on=china_day(_now()), limit=limit + 1, after=after, **flags
        )
    page = rows[:limit]
    return Page[OccupationOut](
        items=[OccupationOut(**o.__dict__) for o in page],
        next_cursor=encode_cursor({"code": page[-1].code}) if len(rows) > limit else None,
    )


# --- institutions ---------------------------------------------------------------------------


@router.post("/institutions", response_model=InstitutionOut, status_code=201, dependencies=[STAFF])
async def register_institution(
    body: InstitutionIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    _in_district(principal, body.district_code)
    institution = Institution(
        id=uuid.uuid4(),
        uscc=body.uscc,
        name=body.name,
        city_code=city_of(body.district_code),
        district_code=body.district_code,
    )
    async with deps.uow() as uow:
        if not await repo.add_institution(uow.session, institution):
            raise Conflict("an institution with this credit code is registered already")
        await uow.commit()
    return InstitutionOut(**institution.__dict__)


@router.get("/institutions", response_model=Page[InstitutionOut], dependencies=[STAFF])
async def list_institutions(
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
    limit: Limit,
    cursor: Cursor = None,
):
    """Partner institutions of the caller's district (all for province-level staff)."""
    after = _string_cursor(cursor, "uscc")
    async with deps.sessions() as session:
        rows = await repo.list_institutions(
            session, limit=limit + 1, after=after, principal=principal
        )
    page = rows[:limit]
    return Page[InstitutionOut](
        items=[InstitutionOut(**i.__dict__) for i in page],
        next_cursor=encode_cursor({"uscc": page[-1].uscc}) if len(rows) > limit else None,
    )


# --- vouchers -------------------------------------------------------------------------------


@router.post("/vouchers", response_model=VoucherOut, status_code=201, dependencies=[STAFF])
async def issue_voucher(body: VoucherIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps):
    """Issue a training voucher to an eligible person; face value from the catalogue."""
    _in_district(principal, body.district_code or body.city_code)
    now = _now()
    protected = deps.personal_data.protect(body.resident_id, "vouchers.resident_id")
    async with deps.uow() as uow:
        occupation = await repo.get_occupation(uow.session, body.occupation_code, china_day(now))
        if occupation is None:
            raise Unprocessable("no such occupation in the catalogue", field="occupation_code")
        amount = training.voucher_amount(occupation, body.target_level)
        valid_until = body.valid_until or china_day(now) + DEFAULT_VALIDITY
        if valid_until < china_day(now):
            raise Unprocessable("valid_until is in the past", field="valid_until")
        voucher = Voucher(
            id=uuid.uuid4(),
            person_key=protected.person_key,
            masked_resident_id=protected.masked,
            occupation_code=occupation.code,
            training_kind=body.training_kind,
            target_level=body.target_level,
            eligibility=body.eligibility,
            amount_fen=amount,
            valid_until=valid_until,
            city_code=body.city_code,
            district_code=body.district_code,
            status=VoucherStatus.ISSUED,
            issued_at=now,
            table_version=occupation.table_version,
        )
        issued = await handlers.issue_voucher(uow, voucher, protected.ciphertext, principal)
        if issued is None:
            raise Conflict("this person already holds a voucher for this occupation")
        await uow.commit()
    return _out(voucher, principal)


@router.get("/vouchers", response_model=Page[VoucherOut], dependencies=[STAFF_OR_INSTITUTION])
async def list_vouchers(
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
    limit: Limit,
    status: VoucherStatus | None = None,
    cursor: Cursor = None,
):
    """Staff see the vouchers of their district (all if province-level); an institution
    those it enrolled."""
    staff = principal.has_role(Role.HRSS_STAFF)
    institution_id = None if staff else (await _institution(deps, principal)).id
    after = None
    if cursor:
        position = decode_cursor(cursor)
        try:
            after = (datetime.fromisoformat(position["at"]), uuid.UUID(position["id"]))
        except (KeyError, TypeError, ValueError):
            raise Unprocessable("The cursor is invalid.", field="cursor") from None
    async with deps.uow() as uow:
        rows = await repo.list_vouchers(
            uow.session,
            limit=limit + 1,
            institution_id=institution_id,
            status=status,
            after=after,
            principal=principal,
        )
        page = rows[:limit]
        more = len(rows) > limit
        if staff:
            await _audit_read(uow, principal, page, "voucher list")
        await uow.commit()
    return Page[VoucherOut](
        items=[_out(v, principal) for v in page],
        next_cursor=encode_cursor({"at": page[-1].issued_at.isoformat(), "id": str(page[-1].id)})
        if more
        else None,
    )


@router.get(
    "/vouchers/{voucher_id}", response_model=VoucherOut, dependencies=[STAFF_OR_INSTITUTION]
)
async def get_voucher(
    voucher_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    """An institution may look a voucher up before enrolling its holder, and its own after;
    HRSS staff those of their district."""
    staff = principal.has_role(Role.HRSS_STAFF)
    institution = None if staff else await _institution(deps, principal, voucher_id)
    async with deps.uow() as uow:
        v = await repo.get_voucher(uow.session, voucher_id)
        if v is None:
            raise NotFound(f"voucher {voucher_id} does not exist")
        if staff:
            principal.check_district(v.division_code, f"voucher {voucher_id}")
            await _audit_read(uow, principal, [v], "voucher detail")
        elif institution is None or (
            v.institution_id is not None and v.institution_id != institution.id
        ):
            raise NotFound(f"voucher {voucher_id} does not exist")
        await uow.commit()
    return _out(v, principal)


async def _institution(
    deps, principal: Principal, voucher_id: uuid.UUID | None = None
) -> Institution:
    """The registered institution the caller acts for. A token naming none is refused (403);
    one naming an institution that is not a registered partner sees nothing: 404, so that
    whether a voucher (or that institution) exists is not disclosed."""
    institution_id = _own_institution(principal)
    institution = None
    if institution_id is not None:
        async with deps.sessions() as session:
            institution = await repo.get_institution(session, institution_id)
    if institution is None:
        raise NotFound(
            f"voucher {voucher_id} does not exist" if voucher_id else "no such institution"
        )
    return institution


async def _voucher_change(deps, action) -> Voucher:
    """Run one voucher handler in a unit of work and commit (a move the voucher's state
    forbids is a domain error: 409)."""
    async with deps.uow() as uow:
        v = await action(uow)
        await uow.commit()
    return v


@router.post(
    "/vouchers/{voucher_id}/enrolment", response_model=VoucherOut, dependencies=[INSTITUTION]
)
async def enrol(voucher_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps):
    """The institution enrols the holder: the voucher is redeemed."""
    institution = await _institution(deps, principal, voucher_id)
    v = await _voucher_change(
        deps,
        lambda uow: handlers.enrol_voucher(
            uow, voucher_id, institution, at=_now(), principal=principal
        ),
    )
    return _out(v, principal)


@router.post(
    "/vouchers/{voucher_id}/completion", response_model=VoucherOut, dependencies=[INSTITUTION]
)
async def complete(
    voucher_id: uuid.UUID,
    body: CompletionIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    institution = await _institution(deps, principal, voucher_id)
    v = await _voucher_change(
        deps,
        lambda uow: handlers.complete_training(
            uow,
            voucher_id,
            institution,
            completed_on=body.completed_on,
            passed=body.passed,
            at=_now(),
        ),
    )
    return _out(v, principal)


@router.post(
    "/vouchers/{voucher_id}/certification", response_model=VoucherOut, dependencies=[INSTITUTION]
)
async def certify(
    voucher_id: uuid.UUID,
    body: CertificationIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    """Certification releases the training subsidy (TrainingCertified)."""
    institution = await _institution(deps, principal, voucher_id)
    v = await _voucher_change(
        deps,
        lambda uow: handlers.certify_training(
            uow,
            voucher_id,
            institution,
            certified_on=body.certified_on,
            level=body.skill_level,
            at=_now(),
            principal=principal,
        ),
    )
    return _out(v, principal)


def _own_institution(principal: Principal) -> uuid.UUID | None:
    """The institution id the token names (403 if none); None if it is no institution id at
    all (no such institution: the caller sees nothing)."""
    raw = principal.tenant.institution_id
    if not raw:
        raise Forbidden("The token names no institution (tenant.institution_id).")
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _in_district(principal: Principal, code: str) -> None:
    """HRSS staff act only within their district (province-level staff anywhere)."""
    if not principal.sees_district(code):
        raise Forbidden("The district lies outside the caller's district.")


async def _audit_read(uow, principal: Principal, vouchers: list[Voucher], purpose: str) -> None:
    """Staff read vouchers with their holders' eligibility (e.g. disability) and person keys:
    one audit entry per request."""
    if not vouchers:
        return
    one = len(vouchers) == 1
    await audit.record(
        uow,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type="voucher",
        object_id=str(vouchers[0].id) if one else "list",
        purpose=purpose,
        details={"voucher_ids": [str(v.id) for v in vouchers], "count": len(vouchers)},
    )


def _string_cursor(cursor: str | None, key: str) -> str | None:
    if not cursor:
        return None
    value = decode_cursor(cursor).get(key)
    if not isinstance(value, str):
        raise Unprocessable("The cursor is invalid.", field="cursor")
    return value


def _out(v: Voucher, principal: Principal) -> VoucherOut:
    staff = principal.has_role(Role.HRSS_STAFF)
    return VoucherOut(
        id=v.id,
        masked_resident_id=v.masked_resident_id,
        person_key=v.person_key if staff else None,
        occupation_code=v.occupation_code,
        training_kind=v.training_kind,
        target_level=v.target_level,
        # Why a person is eligible (e.g. disability) is sensitive: staff only.
        eligibility=v.eligibility if staff else None,
        amount_fen=v.amount_fen,
        valid_until=v.valid_until,
        city_code=v.city_code,
        district_code=v.district_code,
        status=v.status,
        issued_at=v.issued_at,
        institution_id=v.institution_id,
        completed_on=v.completed_on,
        passed=v.passed,
        certified_on=v.certified_on,
        skill_level=v.skill_level,
        subsidy_fen=v.subsidy_fen,
        outcome=v.outcome,
        table_version=v.table_version,
        subsidy_table_version=v.subsidy_table_version,
    )
