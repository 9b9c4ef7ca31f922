"""The policy calculator endpoint (政策计算器): every rule of the policy in force, with its
verdict, amount and reasons in Chinese, for the situations the caller describes.

Input that cannot be true in the domain is refused with a 422 naming the field: dates in the
future where the fact must have happened (a birth, a graduation before the hire's year, a
completed project), an end before its start, a graduation after the hire's year, a worker under
16 (《劳动法》第十五条 禁止招用未满十六周岁的未成年人), amounts below zero.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends
from pydantic import Field

from suxin_common import reasons as why
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.i18n import current_language
from suxin_common.regions import city_of
from suxin_common.web import Unprocessable
from training_vouchers.api.calculator_schemas import (
    EnterpriseLoanIn,
    FlexibleEmploymentIn,
    InnovationProjectIn,
    JobSearchIn,
    StartupBaseYearIn,
    StartupLoanIn,
)
from training_vouchers.api.deps import TrainingVouchersDeps
from training_vouchers.api.routes import _enterprise_year
from training_vouchers.api.schemas import (
    CalculatorOut,
    EnterpriseYearIn,
    HypotheticalBirth,
    HypotheticalHire,
    Input,
    RuleResultOut,
)
from training_vouchers.domain import support_facts as sf
from training_vouchers.domain.calculator import calculate
from training_vouchers.domain.facts import (
    INSURANCES,
    BirthFacts,
    MonthlyContribution,
    age_on,
    birth_facts,
    enterprise_year_facts,
    hire_facts,
)
from training_vouchers.domain.model import HireFacts
from training_vouchers.domain.policy import Trigger
from training_vouchers.domain.working_days import CHINA_STANDARD_TIME

router = APIRouter(prefix="/v1", tags=["policies"])

MIN_WORKING_AGE = 16


class FullCalculatorIn(Input):
    """Any of the situations; an empty body lists every rule, none evaluated."""

    hire: HypotheticalHire | None = None
    birth: HypotheticalBirth | None = None
    enterprise_year: EnterpriseYearIn | None = None
    job_search: JobSearchIn | None = None
    startup_loan: StartupLoanIn | None = None
    startup_base_year: StartupBaseYearIn | None = None
    innovation_project: InnovationProjectIn | None = None
    enterprise_loan: EnterpriseLoanIn | None = None
    flexible_employment: FlexibleEmploymentIn | None = None
    on: date | None = Field(
        default=None, description="the day whose policy version applies; today when unset"
    )


def _joined(stored: tuple[str, ...] | None) -> str | None:
    """Why a rule pays nothing, in the request's language (one line)."""
    if not stored:
        return None
    return ("; " if current_language.get() == "en" else "；").join(why.render_all(stored))


def _today() -> date:
    return datetime.now(UTC).astimezone(CHINA_STANDARD_TIME).date()


def _refuse(field: str, message: str) -> None:
    raise Unprocessable(message, field=field)


def check_domain(body: FullCalculatorIn, today: date) -> None:
    """What cannot be true: a 422 naming the first field at fault."""
    if (h := body.hire) is not None:
        if h.graduation_date is not None:
            if h.graduation_date > today:
                _refuse("hire.graduation_date", "毕业日期不能晚于今天 (graduation in future)")
            if h.graduation_date.year > h.start_date.year:
                _refuse(
                    "hire.graduation_date",
                    "毕业日期晚于入职年度 (graduation after the year of the hire)",
                )
        if h.birth_date is not None:
            if h.birth_year is not None and h.birth_year != h.birth_date.year:
                _refuse(
                    "hire.birth_year",
                    "出生年份与出生日期不一致 (the year of birth differs from the date of birth)",
                )
            if age_on(h.birth_date, h.start_date) < MIN_WORKING_AGE:
                _refuse("hire.birth_date", "入职时未满16周岁 (under the minimum working age)")
        elif h.birth_year is not None and h.start_date.year - h.birth_year < MIN_WORKING_AGE:
            _refuse("hire.birth_year", "入职时未满16周岁 (under the minimum working age)")
        if h.contract_type.value == "fixed_term" and h.contract_months < 1:
            _refuse("hire.contract_months", "固定期限劳动合同须有期限 (a fixed term needs months)")
    if (b := body.birth) is not None and b.birth_date > today:
        _refuse("birth.birth_date", "生育日期不能晚于今天 (birth in the future)")
    if (y := body.enterprise_year) is not None:
        if y.year > today.year:
            _refuse("enterprise_year.year", "年度不能晚于本年 (a year in the future)")
        if y.layoffs > y.insured_headcount:
            _refuse("enterprise_year.layoffs", "裁员人数超过参保职工人数 (more layoffs than staff)")
    if (j := body.job_search) is not None:
        if j.applied_on > today:
            _refuse("job_search.applied_on", "申请日期不能晚于今天 (application in the future)")
    if (loan := body.startup_loan) is not None:
        if loan.applied_on > today:
            _refuse("startup_loan.applied_on", "申请日期不能晚于今天 (application in the future)")
        if loan.graduation_date is not None and loan.graduation_date > today:
            _refuse("startup_loan.graduation_date", "毕业日期不能晚于今天 (graduation in future)")
        if loan.interest_paid_fen > loan.amount_fen:
            _refuse("startup_loan.interest_paid_fen", "利息超过贷款本金 (interest above the loan)")
        if loan.borrower_kind == "small_micro_enterprise" and loan.enterprise_uscc is None:
            _refuse("startup_loan.enterprise_uscc", "小微企业借款须有统一社会信用代码")
    if (base := body.startup_base_year) is not None:
        if base.year > today.year:
            _refuse("startup_base_year.year", "年度不能晚于本年 (a year in the future)")
        if base.recognised_on > today:
            _refuse("startup_base_year.recognised_on", "认定日期不能晚于今天 (in the future)")
    if (p := body.innovation_project) is not None and p.completed_on > today:
        _refuse("innovation_project.completed_on", "完成日期不能晚于今天 (in the future)")
    if (e := body.enterprise_loan) is not None:
        if e.applied_on > today:
            _refuse("enterprise_loan.applied_on", "申请日期不能晚于今天 (in the future)")
        if e.established_on > e.applied_on:
            _refuse(
                "enterprise_loan.established_on",
                "成立日期晚于申请日期 (established after the application)",
            )
    if (f := body.flexible_employment) is not None:
        first = date(int(f.claim_period[:4]), int(f.claim_period[5:7]), 1)
        if first > today:
            _refuse("flexible_employment.claim_period", "申领期不能晚于本月 (in the future)")
        if f.registered_flexible_on > today:
            _refuse("flexible_employment.registered_flexible_on", "登记日期不能晚于今天")
        if f.graduation_date is not None and f.graduation_date > today:
            _refuse("flexible_employment.graduation_date", "毕业日期不能晚于今天")
        if "college_graduate" in f.groups and f.graduation_date is None:
            _refuse("flexible_employment.graduation_date", "高校毕业生须提供毕业日期")


def _on(body: FullCalculatorIn, today: date) -> date:
    """The day whose policy version decides: ``on`` if given, else the day the situation
    described happened (a hire's start, a birth, an application: as the case handlers and
    POST /v1/startup-loans choose it), else today."""
    if body.on is not None:
        return body.on
    if body.hire is not None:
        return body.hire.start_date
    if body.birth is not None:
        return body.birth.birth_date
    for applied in (body.job_search, body.startup_loan, body.enterprise_loan):
        if applied is not None:
            return applied.applied_on
    return today


def _as_own_enterprise(body: FullCalculatorIn, principal: Principal) -> FullCalculatorIn:
    """An enterprise asking about a hire or a birth asks about its own unit (its type decides
    exclusions) unless it names one."""
    uscc = principal.tenant.uscc
    if not uscc:
        return body
    changes = {}
    if body.hire is not None and body.hire.enterprise_uscc is None:
        changes["hire"] = body.hire.model_copy(update={"enterprise_uscc": uscc})
    if body.birth is not None and body.birth.enterprise_uscc is None:
        changes["birth"] = body.birth.model_copy(update={"enterprise_uscc": uscc})
    return body.model_copy(update=changes) if changes else body


def situations_of(body: FullCalculatorIn) -> dict[Trigger, dict]:
    out: dict[Trigger, dict] = {}
    if body.hire is not None:
        out[Trigger.HIRE] = _hypothetical_hire(body)
    if (b := body.birth) is not None:
        months = [
            MonthlyContribution(
                m.month, {i: getattr(m.employer, f"{i}_fen") for i in INSURANCES}, m.employee_fen
            )
            for m in b.months
        ]
        out[Trigger.BIRTH] = birth_facts(
            BirthFacts(
                "hypothetical",
                b.enterprise_uscc or "",
                b.birth_date,
                b.child_order,
                b.employee_gender,
                unit_type=b.unit_type,
                employment_ended_on=b.employment_ended_on,
            ),
            months,
        )
    if (y := body.enterprise_year) is not None:
        out[Trigger.ENTERPRISE_YEAR] = enterprise_year_facts(_enterprise_year(y))
    if (j := body.job_search) is not None:
        out[Trigger.JOB_SEARCH] = sf.job_search_facts(
            sf.JobSearch(j.applied_on, j.graduation_date, j.education.value, frozenset(j.hardships))
        )
    if (loan := body.startup_loan) is not None:
        out[Trigger.STARTUP_LOAN] = sf.startup_loan_facts(
            sf.StartupLoan(
                loan_id=loan.loan_id,
                applied_on=loan.applied_on,
                borrower_kind=loan.borrower_kind,
                borrower_groups=frozenset(loan.borrower_groups),
                amount_fen=loan.amount_fen,
                term_months=loan.term_months,
                interest_paid_fen=loan.interest_paid_fen,
                guarantee_fee_charged_fen=loan.guarantee_fee_charged_fen,
                enterprise_uscc=loan.enterprise_uscc,
                graduation_date=loan.graduation_date,
                new_hires_share_bp=loan.new_hires_share_bp,
                employees=loan.employees,
                defaults_on_record=loan.defaults_on_record,
            )
        )
    if (base := body.startup_base_year) is not None:
        out[Trigger.STARTUP_BASE_YEAR] = sf.startup_base_facts(
            sf.StartupBaseYear(**base.model_dump())
        )
    if (p := body.innovation_project) is not None:
        out[Trigger.INNOVATION_PROJECT] = sf.innovation_facts(
            sf.InnovationProject(
                p.project_id,
                p.enterprise_uscc,
                p.kind,
                p.completed_on,
                p.investment_fen,
                p.high_skill_staff,
                p.unit_type.value if p.unit_type else None,
            )
        )
    if (e := body.enterprise_loan) is not None:
        out[Trigger.ENTERPRISE_LOAN] = sf.enterprise_loan_facts(
            sf.EnterpriseLoan(
                **e.model_dump(exclude={"unit_type"}),
                unit_type=e.unit_type.value if e.unit_type else None,
            )
        )
    if (f := body.flexible_employment) is not None:
        out[Trigger.FLEXIBLE_EMPLOYMENT] = sf.flexible_employment_facts(
            sf.FlexibleEmployment(**(f.model_dump() | {"groups": frozenset(f.groups)}))
        )
    return out


def _hypothetical_hire(body: FullCalculatorIn) -> dict:
    h = body.hire
    assert h is not None
    facts = hire_facts(
        HireFacts(
            hire_id=uuid.UUID(int=0),
            enterprise_uscc=h.enterprise_uscc or "",
            person_key="hypothetical",
            start_date=h.start_date,
            education=h.education,
            graduation_date=h.graduation_date,
            key_groups=frozenset(h.key_groups),
            job_kind=h.job_kind,
            contract_type=h.contract_type,
            contract_months=h.contract_months,
            city_code=city_of(h.district_code) if h.district_code else None,
            district_code=h.district_code,
            enterprise_size=h.enterprise_size,
            birth_year=h.birth_date.year if h.birth_date else h.birth_year,
            age_at_start=age_on(h.birth_date, h.start_date) if h.birth_date else None,
            previously_unemployed=h.previously_unemployed,
            unit_type=h.unit_type.value if h.unit_type else None,
        )
    )
    return facts | {
        "social_insurance_months": h.social_insurance_months or 0,
        "unemployment_insurance_months": h.unemployment_insurance_months or 0,
    }


@router.post(
    "/policy-calculator",
    response_model=CalculatorOut,
    dependencies=[Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF, Role.SEEKER))],
)
async def policy_calculator(
    body: FullCalculatorIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    """Every rule of the policy in force, with verdict, amount and reasons in Chinese, for the
    hire, birth, enterprise year or support-item situations described; a rule whose kind of
    situation was not described says so. Amounts marked as documented defaults say which."""
    book = deps.book
    today = _today()
    check_domain(body, today)
    body = _as_own_enterprise(body, principal)
    on = _on(body, today)
    policy = book.in_force(on)
    if policy is None:
        return CalculatorOut(
            policy_version=None,
            amounts_confirmed=None,
            total_fen=0,
            results=[],
            note=book.none_in_force(on),
        )
    results = calculate(policy, situations_of(body))
    return CalculatorOut(
        policy_version=policy.version,
        amounts_confirmed=policy.amounts_confirmed,
        total_fen=sum(
            r.decision.amount_fen
            for r in results
            if r.granted and r.decision is not None and r.decision.eligible
        ),
        results=[
            RuleResultOut(
                rule_id=r.rule.id,
                rule_family=r.rule.family,
                name_zh=r.rule.name_zh,
                name_en=r.rule.name_en,
                trigger=r.rule.trigger.value,
                verdict=r.decision.verdict.value if r.decision else "not_evaluated",
                granted=r.granted,
                amount_fen=r.decision.amount_fen if r.decision else 0,
                reasons=why.render_all(r.decision.reasons) if r.decision else [],
                why_not=_joined(r.why_not),
                source=r.rule.source,
                documented_defaults=list(r.rule.defaults),
            )
            for r in results
        ],
    )
