"""Appeals (复核/申诉): submitted by the person or enterprise of a refused or reduced case,
decided by a staff member who took no part; upheld reopens the case."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from suxin_common.attachments import Attachment
from suxin_common.auth import Principal, Role
from suxin_common.errors import Conflict, NotFound
from suxin_common.privacy import mask_resident_ids
from suxin_common.security import audit
from training_vouchers import money_contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain import appeals, review
from training_vouchers.domain.appeals import Appeal, AppealStatus
from training_vouchers.domain.model import CaseStatus, SubsidyCase
from training_vouchers.domain.payments import PaymentStatus
from training_vouchers.domain.working_days import case_deadline
from training_vouchers.handlers.common import CaseNotFound, audit_case, locked_case, save_case
from training_vouchers.handlers.money.common import (
    approvers,
    live_payment,
)

# --- appeals --------------------------------------------------------------------------------


class NotAppealable(Conflict):
    """The case is not one an appeal can change (not refused, or its money is on its way)."""


def appellant_kind(principal: Principal, case: SubsidyCase) -> str | None:
    """'person' for the verified person the case is about, 'enterprise' for its enterprise."""
    if case.person_key and principal.has_role(Role.SEEKER) and principal.is_person(case.person_key):
        return "person"
    if principal.has_role(Role.ENTERPRISE) and principal.tenant.uscc == case.enterprise_uscc:
        return "enterprise"
    return None


async def submit_appeal(
    uow: Uow,
    case_id: uuid.UUID,
    *,
    principal: Principal,
    grounds: str,
    attachments: list[Attachment],
    working_days: int,
    at: datetime,
) -> Appeal:
    case = await locked_case(uow, case_id)
    kind = appellant_kind(principal, case)
    if kind is None:
        raise CaseNotFound(str(case_id))
    if not review.appealable(case):
        raise NotAppealable("only a refused case, or one granted less than the rule, is appealed")
    if case.status is CaseStatus.APPROVED:
        live = await live_payment(uow, case.id)
        if live is None or live.status is not PaymentStatus.QUEUED:
            raise NotAppealable("the reduced amount is already on its way to the bank")
    due = case_deadline(at, working_days)
    appeal = Appeal(
        id=uuid.uuid4(),
        case_id=case.id,
        appellant=principal.subject,
        appellant_kind=kind,
        grounds=mask_resident_ids(grounds.strip()),
        case_status=case.status.value,
        excluded=approvers(case),
        status=AppealStatus.SUBMITTED,
        submitted_at=at,
        due_on=due.day,
        due_provisional=due.provisional,
    )
    if not await uow.repos.appeals.add(appeal, attachments):
        raise Conflict("the case has an open appeal already")
    entry = audit.entry(
        principal,
        action="appeal_submitted",
        object_type="subsidy_case",
        object_id=str(case.id),
        purpose="复核申请 (appeal)",
        details={
            "appeal_id": str(appeal.id),
            "appellant_kind": kind,
            "case_status": case.status.value,
            "attachments": len(attachments),
            "due_on": appeal.due_on.isoformat(),
        },
    )
    await uow.append_audit([entry])
    return appeal


async def decide_appeal(
    uow: Uow,
    appeal_id: uuid.UUID,
    *,
    upheld: bool,
    reason: str,
    principal: Principal,
    review_working_days: Callable[[SubsidyCase], int],
    at: datetime,
) -> tuple[Appeal, SubsidyCase]:
    """A staff member who took no part in the case decides; upheld reopens the case (a queued
    reduced payment is withdrawn), dismissed confirms it. Either way an event says so."""
    appeal = await uow.repos.appeals.get(appeal_id, lock=True)
    if appeal is None:
        raise NotFound(f"appeal {appeal_id} does not exist")
    case = await locked_case(uow, appeal.case_id)
    if not principal.sees_district(case.district_code or case.city_code):
        raise NotFound(f"appeal {appeal_id} does not exist")
    decided = appeals.decide(appeal, upheld=upheld, reason=reason, by=principal.subject, at=at)
    await uow.repos.appeals.save(decided)
    if upheld:
        live = await live_payment(uow, case.id)
        if live is not None:
            if live.status is not PaymentStatus.QUEUED:
                raise Conflict("the case's payment is in a batch; decide after its result")
            await uow.repos.payments.save(
                replace(live, status=PaymentStatus.CANCELLED, settled_at=at)
            )
        deadline = case_deadline(at, review_working_days(case))
        case = review.reopen(
            case,
            appeal_id=appeal.id,
            at=at,
            deadline=deadline.day,
            provisional=deadline.provisional,
        )
        await save_case(uow, case)
    await audit_case(
        uow,
        principal,
        case,
        f"appeal_{decided.status.value}",
        purpose="复核决定 (appeal decision)",
        appeal_id=str(appeal.id),
        reopened=upheld,
    )
    uow.publish(money_contracts.appeal_decided(decided, case), key=str(case.id))
    return decided, case
