"""Subsidised training (培训券): issuing a voucher, enrolment (redeemed), completion,
certification (the training subsidy is released) and the trainee's employment outcome."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from suxin_common import errors
from suxin_common.auth import Principal
from suxin_common.db import Work
from training_vouchers import training_contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain import training
from training_vouchers.domain.model import HireFacts
from training_vouchers.domain.review import china_day
from training_vouchers.domain.training import Institution, Voucher
from training_vouchers.handlers.common import decision_entry, now


class VoucherNotFound(errors.NotFound):
    """No such voucher, or another institution's (which does not exist for the caller)."""

    def __init__(self, voucher_id: object) -> None:
        super().__init__(f"voucher {voucher_id} does not exist")


class VoucherChanged(errors.Conflict):
    """Someone else changed the voucher meanwhile."""

    def __init__(self, voucher_id: object) -> None:
        super().__init__("the voucher was changed meanwhile; read it again")


async def audit_voucher(
    uow: Work[Any], principal: Principal | None, v: Voucher, decision: str, **how
) -> None:
    """Append the audit entry of a voucher decision (``how``: its purpose and further
    details; codes and amounts only) in the unit of work's transaction."""
    await uow.append_audit([voucher_entry(principal, v, decision, **how)])


def voucher_entry(
    principal: Principal | None, v: Voucher, decision: str, *, purpose: str | None = None, **more
) -> dict:
    details = {
        "decision": decision,
        "status": v.status.value,
        "occupation_code": v.occupation_code,
        "target_level": v.target_level.value,
        "amount_fen": v.amount_fen,
        "district_code": v.division_code,
        "institution_id": str(v.institution_id) if v.institution_id else None,
    } | more
    return decision_entry(principal, "voucher", v.id, details, purpose=purpose)


async def issue_voucher(
    uow: Uow,
    voucher: Voucher,
    resident_id_ciphertext: str,
    principal: Principal | None = None,
) -> Voucher | None:
    """Issue a voucher; None if the person already holds one for this occupation."""
    if not await uow.repos.vouchers.add(voucher, resident_id_ciphertext):
        return None
    uow.publish(training_contracts.voucher_issued(voucher), key=str(voucher.id))
    await audit_voucher(
        uow,
        principal,
        voucher,
        "voucher_issued",
        purpose="training voucher issued",
        eligibility=voucher.eligibility.value,
    )
    return voucher


async def _voucher_at(uow: Uow, voucher_id: uuid.UUID, institution_id: uuid.UUID | None) -> Voucher:
    v = await uow.repos.vouchers.get(voucher_id, lock=True)
    # Another institution's voucher does not exist for the caller.
    if v is None or (
        institution_id is not None
        and v.institution_id is not None
        and v.institution_id != institution_id
    ):
        raise VoucherNotFound(str(voucher_id))
    return v


async def _save_voucher(uow: Uow, v: Voucher) -> None:
    if not await uow.repos.vouchers.save(v):
        raise VoucherChanged(v.id)


async def enrol_voucher(
    uow: Uow,
    voucher_id: uuid.UUID,
    institution: Institution,
    *,
    at: datetime,
    principal: Principal | None = None,
) -> Voucher:
    v = await _voucher_at(uow, voucher_id, institution.id)
    enrolled = training.enrol(v, institution, today=china_day(at), at=at)
    await _save_voucher(uow, enrolled)
    uow.publish(training_contracts.voucher_redeemed(enrolled, institution), key=str(v.id))
    await audit_voucher(
        uow, principal, enrolled, "voucher_redeemed", purpose="voucher redeemed at enrolment"
    )
    return enrolled


async def complete_training(
    uow: Uow,
    voucher_id: uuid.UUID,
    institution: Institution,
    *,
    completed_on,
    passed: bool,
    at: datetime,
) -> Voucher:
    v = await _voucher_at(uow, voucher_id, institution.id)
    if v.institution_id is None:
        raise VoucherNotFound(str(voucher_id))
    done = training.complete(v, completed_on=completed_on, passed=passed)
    await _save_voucher(uow, done)
    uow.publish(training_contracts.training_completed(done, institution, at), key=str(v.id))
    return done


async def certify_training(
    uow: Uow,
    voucher_id: uuid.UUID,
    institution: Institution,
    *,
    certified_on,
    level: training.SkillLevel,
    at: datetime,
    principal: Principal | None = None,
) -> Voucher:
    v = await _voucher_at(uow, voucher_id, institution.id)
    if v.institution_id is None:
        raise VoucherNotFound(str(voucher_id))
    # The subsidy table in force on the day of the decision prices it; the voucher records
    # which version that was.
    occupation = await uow.repos.vouchers.occupation(v.occupation_code, china_day(at))
    assert occupation is not None
    certified = training.certify(v, occupation, certified_on=certified_on, level=level)
    await _save_voucher(uow, certified)
    uow.publish(training_contracts.training_certified(certified, institution, at), key=str(v.id))
    await audit_voucher(
        uow,
        principal,
        certified,
        "training_subsidy_released",
        purpose="training certified: subsidy released",
        skill_level=level.value,
        subsidy_fen=certified.subsidy_fen,
    )
    return certified


async def record_training_outcome(
    uow: Uow,
    hire: HireFacts,
    *,
    window_days: int,
    clock: Callable[[], datetime] = now,
) -> None:
    """A hire of a certified trainee within the window makes the outcome "employed"."""
    for v in await uow.repos.vouchers.certified_of(hire.person_key):
        result = training.employed_outcome(v, hire.hire_id, hire.start_date, window_days)
        if result is None:
            continue
        updated, days = result
        await _save_voucher(uow, updated)
        uow.publish(
            training_contracts.training_outcome_recorded(
                updated, hire.city_code or v.city_code, days, clock()
            ),
            key=str(v.id),
        )
