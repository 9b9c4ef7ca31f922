"""The maker-checker matrix of injury-insurance (docs/money.md): a claim approval and a
claim payment each take two staff members, a higher-level checker above the threshold, and
whoever approved a claim may not pay it."""

from __future__ import annotations

import uuid

from injury_insurance import handlers
from injury_insurance.adapters import rate_versions
from injury_insurance.adapters import repository as repo
from injury_insurance.domain.claims import Claim, ClaimStage, StageConflict
from injury_insurance.settings import Settings
from suxin_common.auth import Principal
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, NotFound
from suxin_common.security import audit
from suxin_common.security.four_eyes import Approval, Level, Registry, Rule

CLAIM_APPROVAL = "claim_approval"
CLAIM_PAYMENT = "claim_payment"
RATE_TABLE = "rate_table"


def rules(settings: Settings) -> list[Rule]:
    second = Level.of_label(settings.four_eyes_second_level)
    above = settings.four_eyes_second_level_above_fen
    return [
        Rule(CLAIM_APPROVAL, "职业伤害待遇认定 (claim approval)", above, second),
        Rule(CLAIM_PAYMENT, "职业伤害待遇支付 (claim payment)", above, second),
        Rule(
            RATE_TABLE,
            "缴费费率变更 (contribution-rate version)",
            min_level=Level.of_label(settings.table_checker_level),
        ),
    ]


async def _claim(uow: UnitOfWork, approval: Approval, checker: Principal) -> Claim:
    claim = await repo.get_claim(uow.session, uuid.UUID(approval.object_id))
    if claim is None or not checker.sees_district(claim.region_code):
        raise NotFound(f"claim {approval.object_id} does not exist")
    if claim.version != approval.payload["claim_version"]:
        raise Conflict("the claim changed after the proposal; propose again")
    return claim


async def audit_decision(
    uow: UnitOfWork, principal: Principal | None, claim: Claim, *, previous: ClaimStage
) -> None:
    """A claim decision (the cover check's or the reviewers'), with the amount."""
    await audit.record(
        uow,
        principal,
        actor=None if principal else "system:cover-check",
        action=audit.DECIDE_CLAIM,
        object_type="claim",
        object_id=str(claim.id),
        purpose="claim decision",
        details={
            "from_stage": previous.value,
            "stage": claim.stage.value,
            "version": claim.version,
            "amount_fen": claim.amount_fen,
            "platform_uscc": claim.platform_uscc,
            "covering_order_id": claim.covering_order_id,
            "industry": claim.industry.value if claim.industry else None,
            "decided_by": claim.decided_by,
            "approved_by": claim.approved_by,
            "injury_category": claim.injury_category,
            "schedule_version": claim.schedule_version,
        },
    )


def registry(settings: Settings) -> Registry:
    by_action = {r.action: r for r in rules(settings)}
    reg = Registry()

    async def approve(uow, approval: Approval, checker: Principal):
        claim = await _claim(uow, approval, checker)
        p = approval.payload
        try:
            decided = await handlers.decide_claim(
                uow,
                claim,
                approve=True,
                reason=None,
                amount_fen=p["amount_fen"],
                actor=checker.subject,
                decided_by=approval.maker,
                injury_category=p["injury_category"],
                schedule_version=p["schedule_version"],
            )
        except StageConflict as exc:
            raise Conflict(str(exc)) from None
        await audit_decision(uow, checker, decided, previous=claim.stage)
        return {"claim_id": str(decided.id), "stage": decided.stage.value}

    async def pay(uow, approval: Approval, checker: Principal):
        claim = await _claim(uow, approval, checker)
        try:
            paid = await handlers.pay_claim(
                uow, claim, reference=approval.payload["reference"], actor=checker.subject
            )
        except StageConflict as exc:
            raise Conflict(str(exc)) from None
        await audit.record(
            uow,
            checker,
            action=audit.DECIDE_PAYMENT,
            object_type="claim",
            object_id=str(paid.id),
            purpose="claim benefit payment",
            details={
                "amount_fen": paid.amount_fen,
                "reference": paid.payment_reference,
                "version": paid.version,
                "platform_uscc": paid.platform_uscc,
                "maker": approval.maker,
            },
        )
        return {"claim_id": str(paid.id), "stage": paid.stage.value}

    async def rates(uow, approval: Approval, checker: Principal):
        version = approval.payload["version"]
        await rate_versions.set_status(
            uow.session,
            version,
            "approved",
            approval_id=approval.id,
            approved_by=checker.subject,
        )
        return {"version": version, "status": "approved", "takes_effect": "within a minute"}

    async def rates_refused(uow, approval: Approval, checker: Principal):
        await rate_versions.set_status(
            uow.session,
            approval.payload["version"],
            "refused",
            approval_id=approval.id,
            approved_by=None,
        )

    reg.add(by_action[CLAIM_APPROVAL], approve)
    reg.add(by_action[CLAIM_PAYMENT], pay)
    reg.add(by_action[RATE_TABLE], rates, rates_refused)
    return reg
