"""Occupation subsidy tables: a new version is proposed by one staff member and in force only
once another approves it, from its effective date."""

from __future__ import annotations

from datetime import date, datetime

from suxin_common.auth import Principal
from suxin_common.security import four_eyes
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain.training import Occupation
from training_vouchers.handlers.money.common import propose

# --- occupation subsidy tables --------------------------------------------------------------


async def propose_table(
    uow: Uow,
    occupation: Occupation,
    *,
    effective_from: date,
    principal: Principal,
    rule: four_eyes.Rule,
    at: datetime,
) -> tuple[int, four_eyes.Approval]:
    """A new version of an occupation's subsidy table, proposed; it takes effect only when a
    second staff member approves it, and not before ``effective_from``."""
    version = await uow.repos.subsidy_tables.propose(
        occupation, effective_from=effective_from, by=principal.subject, at=at
    )
    approval = await propose(
        uow,
        principal,
        rule,
        waiting="a change of this occupation's table waits for its check",
        object_type="occupation_table",
        object_id=occupation.code,
        amount_fen=max(occupation.subsidy_fen.values(), default=0),
        payload={
            "code": occupation.code,
            "version": version,
            "effective_from": effective_from.isoformat(),
            "subsidy_fen": dict(occupation.subsidy_fen),
        },
        at=at,
    )
    return version, approval


async def apply_table(
    uow: Uow, approval: four_eyes.Approval, checker: Principal, *, status: str = "approved"
) -> dict:
    code, version = approval.payload["code"], approval.payload["version"]
    await uow.repos.subsidy_tables.set_status(
        code,
        version,
        status,
        approval_id=approval.id,
        approved_by=checker.subject if status == "approved" else None,
    )
    return {"code": code, "version": version, "status": status}
