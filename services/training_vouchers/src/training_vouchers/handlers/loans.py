"""创业担保贷款 cases: opening one on an application and moving it through its lifecycle. Every
step is saved with its version checked and audited; the 贴息 and the 风险补偿 are decisions on
money (amounts in fen in the audit entry, no personal data)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from suxin_common import errors
from suxin_common.auth import Principal
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain import startup_loan as sl
from training_vouchers.domain.policy import Policy
from training_vouchers.domain.support_facts import StartupLoan
from training_vouchers.handlers.common import decision_entry


class LoanNotFound(errors.NotFound):
    """No such loan case, or one outside the caller's district."""

    def __init__(self, case_id: object) -> None:
        super().__init__(f"startup loan {case_id} does not exist")


class LoanExists(errors.Conflict):
    """The loan has a case already (one case per loan)."""

    def __init__(self, loan_id: object) -> None:
        super().__init__(f"loan {loan_id} has a case already")


class LoanChanged(errors.Conflict):
    """Someone else changed the loan case meanwhile."""

    def __init__(self, case_id: object) -> None:
        super().__init__("the loan was changed meanwhile; read it again")


async def _audit(uow: Uow, principal: Principal | None, case: sl.LoanCase, step: str) -> None:
    details = {
        "decision": step,
        "status": case.status.value,
        "rule_version": case.rule_version,
        "loan_amount_fen": case.application.amount_fen,
        "principal_fen": case.principal_fen,
        "subsidy_total_fen": case.subsidy_total_fen,
        "compensation_fen": case.compensation_fen,
    }
    purpose = f"创业担保贷款 {step}"
    entry = decision_entry(principal, "startup_loan", case.id, details, purpose=purpose)
    await uow.append_audit([entry])


async def open_loan(
    uow: Uow,
    application: StartupLoan,
    policy: Policy,
    *,
    at: datetime,
    person_key: str | None,
    city_code: str | None,
    district_code: str | None,
    principal: Principal | None = None,
) -> sl.LoanCase:
    case = sl.apply(application, policy, at)
    if not await uow.repos.loans.add(
        case, person_key=person_key, city_code=city_code, district_code=district_code
    ):
        raise LoanExists(application.loan_id)
    await _audit(uow, principal, case, case.status.value)
    return case


async def change_loan(
    uow: Uow,
    case_id: uuid.UUID,
    step: str,
    change: Callable[[sl.LoanCase], sl.LoanCase],
    *,
    allowed: Callable[[str | None], None] = lambda division: None,
    principal: Principal | None = None,
) -> sl.LoanCase:
    found = await uow.repos.loans.get(case_id, lock=True)
    if found is None:
        raise LoanNotFound(case_id)
    case, division = found
    allowed(division)
    changed = change(case)
    if not await uow.repos.loans.save(changed):
        raise LoanChanged(case_id)
    await _audit(uow, principal, changed, step)
    return changed
