"""创业担保贷款 cases over HTTP: the application (from the handling bank or staff) and each step
of its life. HRSS staff see the loans of their district; the bank's feed (service role) all.

    POST /v1/startup-loans                          application -> applied | rejected (reasons)
    POST /v1/startup-loans/{id}/guarantee           担保 (fee to the borrower must be 0)
    POST /v1/startup-loans/{id}/disbursement        放款
    POST /v1/startup-loans/{id}/interest-periods    贴息 on the interest paid for a period
    POST /v1/startup-loans/{id}/repayment           结清
    POST /v1/startup-loans/{id}/default             逾期不良, with the principal outstanding
    POST /v1/startup-loans/{id}/risk-compensation   风险补偿
    GET  /v1/startup-loans/{id}
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from suxin_common import reasons as why
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.regions import city_of
from suxin_common.security import reads
from suxin_common.web import Forbidden, NotFound, Unprocessable
from training_vouchers.adapters import loan_repository as loans
from training_vouchers.api.calculator_schemas import StartupLoanIn
from training_vouchers.api.deps import TrainingVouchersDeps
from training_vouchers.api.schemas import MAX_FEN, PERSON_KEY, Input, _district
from training_vouchers.domain import startup_loan as sl
from training_vouchers.domain.policy import PolicyBook
from training_vouchers.domain.support_facts import StartupLoan
from training_vouchers.domain.working_days import CHINA_STANDARD_TIME
from training_vouchers.handlers import loans as loan_handlers

router = APIRouter(prefix="/v1/startup-loans", tags=["startup loans"])
FEED = Depends(require_roles(Role.SERVICE, Role.HRSS_STAFF))


class LoanApplicationIn(StartupLoanIn):
    person_key: str | None = Field(default=None, pattern=PERSON_KEY)
    district_code: str = Field(description="six-digit district of the handling office")


class GuaranteeIn(Input):
    guarantor: str = Field(min_length=1, max_length=200)
    guaranteed_on: date
    fee_charged_fen: int = Field(ge=0, le=MAX_FEN, description="担保费 charged to the borrower")


class DisbursementIn(Input):
    bank: str = Field(min_length=1, max_length=200)
    disbursed_on: date
    principal_fen: int = Field(gt=0, le=MAX_FEN)
    annual_rate_bp: int = Field(ge=0, le=5000)


class InterestPeriodIn(Input):
    period_start: date
    period_end: date
    interest_paid_fen: int = Field(ge=0, le=MAX_FEN)


class RepaymentIn(Input):
    repaid_on: date


class DefaultIn(Input):
    defaulted_on: date
    outstanding_fen: int = Field(gt=0, le=MAX_FEN)


class LoanOut(BaseModel):
    id: uuid.UUID
    loan_id: str
    status: sl.LoanStatus
    rule_version: str
    reasons: list[str]
    amount_fen: int
    guarantor: str | None
    guaranteed_on: date | None
    disbursed_on: date | None
    principal_fen: int | None
    due_on: date | None
    interest_periods: list[dict]
    subsidy_total_fen: int
    repaid_on: date | None
    defaulted_on: date | None
    outstanding_fen: int | None
    compensation_fen: int | None
    compensation_share: str | None

    @classmethod
    def of(cls, c: sl.LoanCase) -> LoanOut:
        return cls(
            id=c.id,
            loan_id=c.application.loan_id,
            status=c.status,
            rule_version=c.rule_version,
            reasons=why.render_all(c.reasons),
            amount_fen=c.application.amount_fen,
            guarantor=c.guarantor,
            guaranteed_on=c.guaranteed_on,
            disbursed_on=c.disbursed_on,
            principal_fen=c.principal_fen,
            due_on=c.due_on,
            interest_periods=[
                {
                    "start": p.start,
                    "end": p.end,
                    "interest_paid_fen": p.interest_paid_fen,
                    "subsidy_fen": p.subsidy_fen,
                    "reasons": why.render_all(p.reasons),
                }
                for p in c.interest
            ],  # fmt: skip
            subsidy_total_fen=c.subsidy_total_fen,
            repaid_on=c.repaid_on,
            defaulted_on=c.defaulted_on,
            outstanding_fen=c.outstanding_fen,
            compensation_fen=c.compensation_fen,
            compensation_share=c.compensation_share,
        )


def _today() -> date:
    return datetime.now(UTC).astimezone(CHINA_STANDARD_TIME).date()


def _not_future(day: date, field: str) -> None:
    if day > _today():
        raise Unprocessable(f"{field} may not be later than today", field=field)


def _sees(principal: Principal, case_id: uuid.UUID) -> Callable[[str | None], None]:
    """Whether the caller sees a loan case of a district: another district's does not exist."""

    def check(division: str | None) -> None:
        if principal.has_role(Role.SERVICE):
            return
        if not principal.sees_district(division):
            raise loan_handlers.LoanNotFound(case_id)

    return check


@router.post("", response_model=LoanOut, status_code=201, dependencies=[FEED])
async def apply_for_loan(
    body: LoanApplicationIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    """A 创业担保贷款 application: eligible (applied) or rejected with the reasons in Chinese."""
    try:
        _district(body.district_code)
    except ValueError:
        raise Unprocessable(
            "district_code must be a six-digit Jiangsu district", field="district_code"
        ) from None
    _not_future(body.applied_on, "applied_on")
    if body.borrower_kind == "small_micro_enterprise" and body.enterprise_uscc is None:
        raise Unprocessable(
            "a small-business loan needs the unified social credit code (uscc)",
            field="enterprise_uscc",
        )
    if body.borrower_kind == "individual" and body.person_key is None:
        raise Unprocessable("a personal loan needs person_key", field="person_key")
    if not (principal.has_role(Role.SERVICE) or principal.sees_district(body.district_code)):
        raise Forbidden("a startup loan outside your district may not be created by you")
    book: PolicyBook = deps.book
    policy = book.in_force(body.applied_on)
    if policy is None:
        raise Unprocessable(
            "the application date precedes every policy version", field="applied_on"
        )
    application = StartupLoan(
        **body.model_dump(exclude={"person_key", "district_code", "borrower_groups"}),
        borrower_groups=frozenset(body.borrower_groups),
    )
    async with deps.uow() as uow:
        case = await loan_handlers.open_loan(
            uow,
            application,
            policy,
            at=datetime.now(UTC),
            person_key=body.person_key,
            city_code=city_of(body.district_code),
            district_code=body.district_code,
            principal=principal,
        )
        await uow.commit()
    return LoanOut.of(case)


async def _step(deps, principal, case_id, step: str, change) -> LoanOut:
    # A step the loan's status or figures refuse is a domain error (409 / 422 naming its field).
    async with deps.uow() as uow:
        case = await loan_handlers.change_loan(
            uow, case_id, step, change, allowed=_sees(principal, case_id), principal=principal
        )
        await uow.commit()
    return LoanOut.of(case)


@router.get("/{case_id}", response_model=LoanOut, dependencies=[FEED])
async def get_loan(case_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps):
    async with deps.sessions() as session:
        found = await loans.get(session, case_id)
    if found is None:
        raise NotFound(f"startup loan {case_id} does not exist")
    case, division = found
    _sees(principal, case_id)(division)
    await reads.audited(
        deps, principal, object_type="startup_loan", object_ids=[case_id], purpose="loan case"
    )
    return LoanOut.of(case)


@router.post("/{case_id}/guarantee", response_model=LoanOut, dependencies=[FEED])
async def guarantee(
    case_id: uuid.UUID, body: GuaranteeIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    _not_future(body.guaranteed_on, "guaranteed_on")

    def change(c):
        return sl.guarantee(
            c, guarantor=body.guarantor, on=body.guaranteed_on, fee_charged_fen=body.fee_charged_fen
        )

    return await _step(deps, principal, case_id, "guaranteed", change)


@router.post("/{case_id}/disbursement", response_model=LoanOut, dependencies=[FEED])
async def disbursement(
    case_id: uuid.UUID,
    body: DisbursementIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    _not_future(body.disbursed_on, "disbursed_on")

    def change(c):
        return sl.disburse(
            c,
            bank=body.bank,
            on=body.disbursed_on,
            principal_fen=body.principal_fen,
            annual_rate_bp=body.annual_rate_bp,
        )

    return await _step(deps, principal, case_id, "disbursed", change)


@router.post("/{case_id}/interest-periods", response_model=LoanOut, dependencies=[FEED])
async def interest_period(
    case_id: uuid.UUID,
    body: InterestPeriodIn,
    principal: CurrentPrincipal,
    deps: TrainingVouchersDeps,
):
    """贴息 for the interest the borrower paid in a period, under the case's policy version."""
    _not_future(body.period_end, "period_end")
    book: PolicyBook = deps.book

    def change(c):
        return sl.record_interest(
            c,
            book.version(c.rule_version),
            start=body.period_start,
            end=body.period_end,
            interest_paid_fen=body.interest_paid_fen,
        )

    return await _step(deps, principal, case_id, "interest_subsidised", change)


@router.post("/{case_id}/repayment", response_model=LoanOut, dependencies=[FEED])
async def repayment(
    case_id: uuid.UUID, body: RepaymentIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    _not_future(body.repaid_on, "repaid_on")
    return await _step(deps, principal, case_id, "repaid", lambda c: sl.repay(c, on=body.repaid_on))


@router.post("/{case_id}/default", response_model=LoanOut, dependencies=[FEED])
async def loan_default(
    case_id: uuid.UUID, body: DefaultIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    _not_future(body.defaulted_on, "defaulted_on")

    def change(c):
        return sl.default(c, on=body.defaulted_on, outstanding_fen=body.outstanding_fen)

    return await _step(deps, principal, case_id, "defaulted", change)


@router.post("/{case_id}/risk-compensation", response_model=LoanOut, dependencies=[FEED])
async def risk_compensation(
    case_id: uuid.UUID, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    """风险补偿: the fund's share of the outstanding principal (the policy's documented default)."""
    book: PolicyBook = deps.book
    return await _step(deps, principal, case_id, "compensated",
                       lambda c: sl.compensate(c, book.version(c.rule_version)))  # fmt: skip
