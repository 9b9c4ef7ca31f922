"""Training-vouchers HTTP routes for subsidies: cases and their review, the social-insurance
data ingest, the policy calculator and the policies. Parse -> handler -> response.

Object level: an enterprise sees its own cases only, HRSS staff those of their district (by
the case's district, else its city) unless province-level; any other case answers 404. Reads of
person-level cases (facts about an employee) are audited, as every decision is (handlers).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from suxin_common import reasons as why
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.identity import Uscc, gender_of
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
from training_vouchers.adapters import repository as repo
from training_vouchers.api.deps import TrainingVouchersDeps
from training_vouchers.api.schemas import (
    BirthIn,
    CasesOpenedOut,
    ContributionsIn,
    ContributionsOut,
    DecisionIn,
    EnterpriseYearIn,
    PaymentIn,
    PolicyOut,
    ReplayOut,
    ResubmissionIn,
    SubsidyCaseOut,
)
from training_vouchers.domain import review
from training_vouchers.domain.cases import replay
from training_vouchers.domain.facts import (
    INSURANCES,
    BirthFacts,
    EnterpriseYear,
    MonthlyContribution,
)
from training_vouchers.domain.model import CaseStatus, SubsidyCase
from training_vouchers.domain.policy import PolicyBook
from training_vouchers.handlers import money

router = APIRouter(prefix="/v1")
ENTERPRISE_OR_STAFF = Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF))
STAFF = Depends(require_roles(Role.HRSS_STAFF))
DATA_FEED = Depends(require_roles(Role.SERVICE, Role.HRSS_STAFF))
ANYONE = Depends(require_roles(*Role))
Limit = Annotated[int, Depends(page_size())]
Cursor = Annotated[str | None, Query(max_length=2048)]


def get_book(deps: TrainingVouchersDeps) -> PolicyBook:
    return deps.book


BookDep = Annotated[PolicyBook, Depends(get_book)]


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return review.china_day(_now())


# --- subsidy cases --------------------------------------------------------------------------


async def _page(
    deps, principal: Principal, cursor: str | None, limit: int, **filters
) -> Page[SubsidyCaseOut]:
    after = _position(cursor) if cursor else None
    async with deps.uow() as uow:
        cases = await repo.list_cases(
            uow.session, limit=limit + 1, after=after, principal=principal, **filters
        )
        page, more = cases[:limit], len(cases) > limit
        await _audit_read(uow, principal, [c for c in page if c.person_key], "case list")
        await uow.commit()
    next_cursor = (
        encode_cursor({"opened_at": page[-1].opened_at.isoformat(), "id": str(page[-1].id)})
        if more
        else None
    )
    today = _today()
    return Page[SubsidyCaseOut](
        items=[_out(c, principal, today) for c in page], next_cursor=next_cursor
    )


@router.get(
    "/subsidy-cases",
    response_model=Page[SubsidyCaseOut],
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["subsidy cases"],
)
async def list_subsidy_cases(
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
    limit: Limit,
    hire_id: uuid.UUID | None = None,
    enterprise_uscc: Uscc | None = None,
    status: CaseStatus | None = None,
    cursor: Cursor = None,
):
    """Subsidy cases, newest first. HRSS staff see those of their district (all if
    province-level); an enterprise its own."""
    uscc = _visible_uscc(principal, enterprise_uscc)
    return await _page(
        deps, principal, cursor, limit, hire_id=hire_id, enterprise_uscc=uscc, status=status
    )


@router.get(
    "/subsidy-cases/overdue",
    response_model=Page[SubsidyCaseOut],
    dependencies=[STAFF],
    tags=["subsidy cases"],
)
async def list_overdue_cases(
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
    limit: Limit,
    cursor: Cursor = None,
):
    """Cases still in review (or returned) whose 20-working-day deadline has passed."""
    return await _page(deps, principal, cursor, limit, overdue_on=_today())


@router.get(
    "/subsidy-cases/{case_id}",
    response_model=SubsidyCaseOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["subsidy cases"],
)
async def get_subsidy_case(
    case_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    async with deps.uow() as uow:
        case = _visible(await repo.get_case(uow.session, case_id), principal, case_id)
        if case.person_key:
            await _audit_read(uow, principal, [case], "case detail")
        await uow.commit()
    return _out(case, principal, _today())


@router.get(
    "/subsidy-cases/{case_id}/replay",
    response_model=ReplayOut,
    dependencies=[STAFF],
    tags=["subsidy cases"],
)
async def replay_subsidy_case(
    case_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps, book: BookDep
):
    """The stored inputs evaluated again under the case's rule and version."""
    async with deps.uow() as uow:
        case = _visible(await repo.get_case(uow.session, case_id), principal, case_id)
        if case.person_key:
            await _audit_read(uow, principal, [case], "case replay")
        await uow.commit()
    try:
        policy = book.version(case.rule_version)
    except KeyError:
        raise Conflict(
            f"policy version {case.rule_version} is not shipped any more; restore its file"
        ) from None
    decision = replay(case, policy)
    return ReplayOut(
        case_id=case.id,
        rule_id=case.rule_id,
        rule_version=case.rule_version,
        verdict=decision.verdict.value,
        amount_fen=decision.amount_fen,
        reasons=why.render_all(decision.reasons),
        same_as_stored=decision.amount_fen == case.amount_fen
        and list(decision.reasons) == list(case.reasons),
    )


_DECISIONS = {
    "approved": CaseStatus.APPROVED,
    "rejected": CaseStatus.REJECTED,
    "returned": CaseStatus.RETURNED,
}


async def _change(deps, action: Callable) -> SubsidyCase:
    """Run one case handler in a unit of work and commit; its refusals (domain errors: a
    forbidden transition, a missing reason, an amount above the rule, a proposal already
    waiting) are answered by the kit as problem details."""
    async with deps.uow() as uow:
        case = await action(uow)
        await uow.commit()
    return case


@router.post(
    "/subsidy-cases/{case_id}/decision",
    response_model=SubsidyCaseOut,
    dependencies=[STAFF],
    tags=["subsidy cases"],
)
async def decide_subsidy_case(
    case_id: uuid.UUID,
    body: DecisionIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    """Reject (reason required) or return for information (reason required); or propose an
    approval (四眼原则): the case stays under review until a second staff member confirms it
    at ``POST /v1/approvals/{pending_approval_id}/check``. ``amount_fen`` may grant less
    than the rule computed, with a reason, never more (422 naming ``amount_fen``)."""
    visible = lambda case: _visible(case, principal, case_id)  # noqa: E731
    if body.decision == "approved":
        rule = deps.four_eyes.rule(money.SUBSIDY_APPROVAL)
        proposal = {}

        async def propose(uow):
            case, approval = await money.propose_approval(
                uow,
                case_id,
                amount_fen=body.amount_fen,
                reason=body.reason,
                principal=principal,
                rule=rule,
                at=_now(),
                allowed=visible,
            )
            proposal["approval"] = approval
            return case

        case = await _change(deps, propose)
        approval = proposal["approval"]
        return _out(case, principal, _today()).model_copy(
            update={
                "pending_approval_id": approval.id,
                "pending_required_level": approval.required_level.label,
            }
        )
    if body.amount_fen is not None:
        raise Unprocessable("amount_fen goes with an approval only", field="amount_fen")
    case = await _change(
        deps,
        lambda uow: handlers.decide_case(
            uow,
            case_id,
            _DECISIONS[body.decision],
            reason=body.reason,
            by=principal.subject,
            at=_now(),
            allowed=visible,
            principal=principal,
        ),
    )
    return _out(case, principal, _today())


@router.post(
    "/subsidy-cases/{case_id}/resubmission",
    response_model=SubsidyCaseOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["subsidy cases"],
)
async def resubmit_subsidy_case(
    case_id: uuid.UUID,
    body: ResubmissionIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    """The enterprise supplied the information a returned case asked for."""

    def own(case: SubsidyCase) -> None:
        _visible(case, principal, case_id)

    case = await _change(
        deps, lambda uow: handlers.resubmit_case(uow, case_id, at=_now(), allowed=own)
    )
    return _out(case, principal, _today())


@router.post(
    "/subsidy-cases/{case_id}/payment",
    response_model=SubsidyCaseOut,
    dependencies=[STAFF],
    tags=["subsidy cases"],
)
async def record_payment(
    case_id: uuid.UUID,
    body: PaymentIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    """Propose to record a payment the treasury made outside a payment batch (手工拨付登记).
    It takes effect when a second staff member confirms it; neither may have approved the
    case (四眼原则: whoever approves does not pay). The normal path is a payment batch."""
    rule = deps.four_eyes.rule(money.PAYMENT_RECORD)
    proposal = {}

    async def propose(uow):
        proposal["approval"] = await money.propose_payment_record(
            uow,
            case_id,
            reference=body.reference,
            principal=principal,
            rule=rule,
            at=_now(),
            allowed=lambda case: _visible(case, principal, case_id),
        )
        return await repo.get_case(uow.session, case_id)

    case = await _change(deps, propose)
    approval = proposal["approval"]
    return _out(case, principal, _today()).model_copy(
        update={
            "pending_approval_id": approval.id,
            "pending_required_level": approval.required_level.label,
        }
    )


# --- data from the social-insurance system --------------------------------------------------


def _person_key(deps, body) -> str:
    if body.resident_id is not None:
        return deps.personal_data.person_key(body.resident_id)
    return body.person_key


@router.post(
    "/social-insurance/contributions",
    response_model=ContributionsOut,
    dependencies=[DATA_FEED],
    tags=["social-insurance data"],
)
async def ingest_contributions(
    body: ContributionsIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps, book: BookDep
):
    """Monthly contributions an enterprise paid for a person (employer share per insurance and
    the employee's share, in fen), as the social-insurance system reports them. Cases waiting
    for them are evaluated again at once, still without any application."""
    person_key = _person_key(deps, body)
    months = [
        MonthlyContribution(
            month=m.month,
            employer_fen={i: getattr(m.employer, f"{i}_fen") for i in INSURANCES},
            employee_fen=m.employee_fen,
        )
        for m in body.months
    ]
    async with deps.uow() as uow:
        changed = await handlers.record_contributions(
            uow, body.enterprise_uscc, person_key, months, book=book, at=_now(), principal=principal
        )
        await uow.commit()
    return ContributionsOut(months_recorded=len(months), cases_changed=[c.id for c in changed])


@router.post(
    "/social-insurance/births",
    response_model=CasesOpenedOut,
    status_code=201,
    dependencies=[DATA_FEED],
    tags=["social-insurance data"],
)
async def ingest_birth(
    body: BirthIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps, book: BookDep
):
    """A woman employee's child birth (生育登记), for the maternity social-insurance subsidy."""
    _in_district(principal, body.district_code)
    gender = gender_of(body.resident_id) if body.resident_id else body.employee_gender
    if gender is None:
        raise Unprocessable("employee_gender is required with person_key", field="employee_gender")
    birth = BirthFacts(
        person_key=_person_key(deps, body),
        enterprise_uscc=body.enterprise_uscc,
        birth_date=body.birth_date,
        child_order=body.child_order,
        employee_gender=gender,
        city_code=city_of(body.district_code) if body.district_code else None,
        district_code=body.district_code,
    )
    async with deps.uow() as uow:
        cases = await handlers.record_birth(uow, birth, book=book, at=_now(), principal=principal)
        await uow.commit()
    return CasesOpenedOut(cases=[c.id for c in cases])


@router.post(
    "/social-insurance/enterprise-years",
    response_model=CasesOpenedOut,
    status_code=201,
    dependencies=[DATA_FEED],
    tags=["social-insurance data"],
)
async def ingest_enterprise_year(
    body: EnterpriseYearIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps, book: BookDep
):
    """An enterprise's insured headcount, layoffs and unemployment insurance paid in a year,
    from the social-insurance system (not declared by the enterprise), for 稳岗返还."""
    _in_district(principal, body.district_code)
    async with deps.uow() as uow:
        year = _enterprise_year(body)
        cases = await handlers.record_enterprise_year(
            uow, year, book=book, at=_now(), principal=principal
        )
        await uow.commit()
    return CasesOpenedOut(cases=[c.id for c in cases])


def _enterprise_year(body: EnterpriseYearIn) -> EnterpriseYear:
    return EnterpriseYear(
        enterprise_uscc=body.enterprise_uscc,
        year=body.year,
        enterprise_size=body.enterprise_size,
        insured_headcount=body.insured_headcount,
        layoffs=body.layoffs,
        unemployment_insurance_paid_fen=body.unemployment_insurance_paid_fen,
        contributions_in_arrears=body.contributions_in_arrears,
        city_code=city_of(body.district_code) if body.district_code else None,
        district_code=body.district_code,
        unit_type=body.unit_type.value if body.unit_type else None,
    )


# --- policies (the calculator is api/calculator.py) ---------------------------------------


@router.get("/policies/active", response_model=PolicyOut, dependencies=[ANYONE], tags=["policies"])
async def active_policy(book: BookDep):
    """The policy version in force today and its rules (conditions, amounts in fen)."""
    policy = book.in_force(_today()) or book.latest
    return PolicyOut.of(policy)


@router.get("/policies", response_model=list[PolicyOut], dependencies=[ANYONE], tags=["policies"])
async def all_policies(book: BookDep):
    """Every policy version, oldest first: past decisions replay under their own."""
    return [PolicyOut.of(p) for p in book.versions]


# --- helpers --------------------------------------------------------------------------------


def _visible_uscc(principal: Principal, asked: str | None) -> str | None:
    """The enterprise whose cases the caller may list: staff any (or all, within their
    district), others their own; another enterprise's list does not exist for them (404)."""
    if principal.has_role(Role.HRSS_STAFF):
        return asked
    own = principal.tenant.uscc
    if own is None:
        raise Forbidden("The token names no enterprise (tenant.uscc).")
    if asked is not None and asked != own:
        raise NotFound("no subsidy cases of this enterprise")
    return own


def _visible(case: SubsidyCase | None, principal: Principal, case_id: uuid.UUID) -> SubsidyCase:
    """Another enterprise's case, or (for HRSS staff) a case outside the caller's district,
    does not exist for the caller (404, not 403)."""
    if case is not None and (
        (
            principal.has_role(Role.HRSS_STAFF)
            and principal.sees_district(case.district_code or case.city_code)
        )
        or (principal.has_role(Role.ENTERPRISE) and principal.tenant.uscc == case.enterprise_uscc)
    ):
        return case
    raise NotFound(f"subsidy case {case_id} does not exist")


def _in_district(principal: Principal, district_code: str | None) -> None:
    """HRSS staff may feed data only for their own district (the service role any)."""
    if (
        district_code is not None
        and principal.has_role(Role.HRSS_STAFF)
        and not principal.has_role(Role.SERVICE)
        and not principal.sees_district(district_code)
    ):
        raise Forbidden("The district lies outside the caller's district.")


async def _audit_read(uow, principal: Principal, cases: list[SubsidyCase], purpose: str) -> None:
    """A read of person-level cases (facts about employees): one audit entry per request."""
    if not cases:
        return
    one = len(cases) == 1
    await audit.record(
        uow,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type="subsidy_case",
        object_id=str(cases[0].id) if one else "list",
        purpose=purpose,
        details={"case_ids": [str(c.id) for c in cases], "count": len(cases)},
    )


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


def _out(case: SubsidyCase, principal: Principal, today: date) -> SubsidyCaseOut:
    return SubsidyCaseOut(
        id=case.id,
        rule_family=case.rule_family,
        trigger=case.trigger,
        occasion=case.occasion,
        hire_id=case.hire_id,
        enterprise_uscc=case.enterprise_uscc,
        # The key links a person across services; an enterprise has no need for it.
        person_key=case.person_key if principal.has_role(Role.HRSS_STAFF) else None,
        city_code=case.city_code,
        district_code=case.district_code,
        rule_id=case.rule_id,
        rule_version=case.rule_version,
        delivery_mode=case.delivery_mode,
        amount_fen=case.amount_fen,
        inputs=dict(case.inputs),
        sources=dict(case.sources),
        waiting_for=[dict(w) for w in case.waiting_for],
        reasons=why.render_all(case.reasons),
        status=case.status,
        opened_at=case.opened_at,
        review_deadline=case.review_deadline,
        review_deadline_provisional=case.review_deadline_provisional,
        overdue=review.is_overdue(case, today),
        decision_reason=case.decision_reason,
        decided_at=case.decided_at,
        paid_at=case.paid_at,
        payment_reference=case.payment_reference,
        rule_amount_fen=case.rule_amount_fen,
        reduction_reason=case.reduction_reason,
        decided_by=case.decided_by if principal.has_role(Role.HRSS_STAFF) else None,
        approved_by=case.approved_by if principal.has_role(Role.HRSS_STAFF) else None,
        reopened_by_appeal=case.reopened_by_appeal,
    )
