"""创业担保贷款 cases through the in-memory unit of work: one case per loan, each step saved
with its version checked and audited (amounts in fen, no personal data)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from suxin_common.errors import Conflict, NotFound, RuleViolation
from training_vouchers.domain import startup_loan as sl
from training_vouchers.handlers import loans

from .fakes import fake_uow
from .test_startup_loan import application

AT = datetime(2026, 5, 1, 2, tzinfo=UTC)


async def opened(uow, policy) -> sl.LoanCase:
    async with uow:
        case = await loans.open_loan(
            uow,
            application(),
            policy,
            at=AT,
            person_key="pk_" + "2" * 32,
            city_code="3210",
            district_code="321002",
        )
        await uow.commit()
    return case


async def step(uow, case_id, name, change):
    async with uow:
        case = await loans.change_loan(uow, case_id, name, change)
        await uow.commit()
    return case


def guaranteed(case):
    return sl.guarantee(
        case, guarantor="扬州市创业担保中心", on=date(2026, 5, 8), fee_charged_fen=0
    )


async def test_a_loan_opens_one_case_and_each_step_is_audited(policy):
    uow = fake_uow()
    case = await opened(uow, policy)

    with pytest.raises(Conflict):  # one case per loan
        await opened(uow, policy)
    moved = await step(uow, case.id, "guaranteed", guaranteed)

    assert uow.repos.store.loans[case.id] == (moved, "321002")
    assert [e["details"]["decision"] for e in uow.audit_entries] == [
        case.status.value,
        "guaranteed",
    ]
    [_, entry] = uow.audit_entries
    assert (entry["object_type"], entry["actor"], entry["purpose"]) == (
        "startup_loan",
        "consumer:training-vouchers",
        "创业担保贷款 guaranteed",
    )
    assert entry["details"]["loan_amount_fen"] == 20_000_000
    assert "pk_" not in str(uow.audit_entries)


async def test_a_step_refused_by_the_loan_or_its_version_changes_nothing(policy):
    uow = fake_uow()
    case = await opened(uow, policy)

    with pytest.raises(sl.WrongStatus) as refused:  # a loan before its guarantee
        await step(uow, case.id, "repaid", lambda c: sl.repay(c, on=date(2028, 5, 15)))
    assert isinstance(refused.value, Conflict)
    with pytest.raises(RuleViolation) as refused:  # the borrower pays no guarantee fee
        await step(
            uow,
            case.id,
            "guaranteed",
            lambda c: sl.guarantee(c, guarantor="某中心", on=date(2026, 5, 8), fee_charged_fen=1),
        )
    assert refused.value.field == "fee_charged_fen"
    with pytest.raises(Conflict):  # someone else saved the case meanwhile
        await step(uow, case.id, "guaranteed", lambda c: replace(guaranteed(c), version=9))
    with pytest.raises(NotFound):
        await step(uow, uuid.uuid4(), "guaranteed", guaranteed)

    assert uow.repos.store.loans[case.id][0] == case
    assert len(uow.audit_entries) == 1  # the opening only
