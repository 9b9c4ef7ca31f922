"""Appeals against claim decisions (认定复核/申诉): the injured worker (a seeker token whose subject
is the worker's person key) or the platform asks for a review of a rejected claim, with grounds
and attachments; a staff member who did not decide the claim decides within a number of working
days. Upheld reopens the claim (under review again); dismissed confirms the rejection. Either
way the event ClaimAppealDecided says so.

Handlers and their reads and writes, in units of work the API routes commit.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from injury_insurance import contracts
from injury_insurance.adapters import repository as repo
from injury_insurance.adapters.tables import claim_appeal_attachments, claim_appeals
from injury_insurance.adapters.tables import claims as claims_table
from injury_insurance.domain import claims as claim_rules
from injury_insurance.domain.claims import Claim, ClaimStage
from suxin.insurance.v1 import events_pb2 as pb
from suxin_common.attachments import Attachment
from suxin_common.db import UnitOfWork
from suxin_common.privacy import mask_resident_ids
from suxin_common.protodates import to_proto_date
from suxin_common.security import audit
from suxin_common.working_days import CHINA_STANDARD_TIME, case_deadline

SUBMITTED, UPHELD, DISMISSED = "submitted", "upheld", "dismissed"


class AppealRefused(Exception):
    """The appeal cannot be made or decided; ``code`` says why (not-found, not-appealable,
    open-already, took-part, decided-already)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ClaimAppeal:
    id: uuid.UUID
    claim_id: uuid.UUID
    appellant: str
    appellant_kind: str  # worker | platform
    grounds: str
    claim_stage: str
    excluded: tuple[str, ...]
    status: str
    submitted_at: datetime
    due_on: date
    due_provisional: bool
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


def _appeal(row: Any) -> ClaimAppeal:
    m = dict(row._mapping)
    m["excluded"] = tuple(m["excluded"])
    return ClaimAppeal(**m)


async def get_appeal(uow_or_session, appeal_id: uuid.UUID, *, for_update: bool = False):
    session = getattr(uow_or_session, "session", uow_or_session)
    query = sa.select(claim_appeals).where(claim_appeals.c.id == appeal_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return _appeal(row) if row else None


# The region of an appealed claim for district scoping: the injury's district, else its city.
REGION = sa.func.coalesce(claims_table.c.district_code, claims_table.c.city_code)


async def list_appeals(
    session, *, status: str | None, limit: int, region: Any = None
) -> list[ClaimAppeal]:
    """Appeals by due day. ``region`` is a condition on the appealed claim's region (the
    district of the injury, else its city; ``REGION`` below), e.g. the caller's district scope."""
    t = claim_appeals
    query = sa.select(t).order_by(t.c.due_on, t.c.submitted_at).limit(limit)
    if status is not None:
        query = query.where(t.c.status == status)
    if region is not None:
        query = query.where(t.c.claim_id.in_(sa.select(claims_table.c.id).where(region)))
    return [_appeal(r) for r in (await session.execute(query)).all()]


async def submit(
    uow: UnitOfWork,
    claim: Claim,
    *,
    appellant: str,
    appellant_kind: str,
    grounds: str,
    attachments: list[Attachment],
    working_days: int,
    at: datetime,
    principal,
) -> ClaimAppeal:
    """File an appeal against a rejected claim (the caller checked who may)."""
    if claim.stage is not ClaimStage.REJECTED:
        raise AppealRefused("not-appealable", "only a rejected claim is appealed")
    due = case_deadline(at, working_days)
    appeal = ClaimAppeal(
        id=uuid.uuid4(),
        claim_id=claim.id,
        appellant=appellant,
        appellant_kind=appellant_kind,
        grounds=mask_resident_ids(grounds.strip()),
        claim_stage=claim.stage.value,
        excluded=tuple(sorted({p for p in (claim.decided_by, claim.approved_by) if p})),
        status=SUBMITTED,
        submitted_at=at,
        due_on=due.day,
        due_provisional=due.provisional,
    )
    values = asdict(appeal) | {"excluded": list(appeal.excluded)}
    row = await uow.session.execute(
        insert(claim_appeals)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=["claim_id"], index_where=claim_appeals.c.status == SUBMITTED
        )
        .returning(claim_appeals.c.id)
    )
    if row.first() is None:
        raise AppealRefused("open-already", "the claim has an open appeal already")
    for a in attachments:
        await uow.session.execute(
            sa.insert(claim_appeal_attachments).values(appeal_id=appeal.id, **asdict(a))
        )
    await audit.record(
        uow,
        principal,
        action="appeal_submitted",
        object_type="claim",
        object_id=str(claim.id),
        purpose="认定复核申请 (appeal)",
        details={
            "appeal_id": str(appeal.id),
            "appellant_kind": appellant_kind,
            "attachments": len(attachments),
            "due_on": appeal.due_on.isoformat(),
        },
    )
    return appeal


async def decide(
    uow: UnitOfWork,
    appeal: ClaimAppeal,
    claim: Claim,
    *,
    upheld: bool,
    reason: str,
    by: str,
    principal,
    at: datetime,
) -> tuple[ClaimAppeal, Claim]:
    if appeal.status != SUBMITTED:
        raise AppealRefused("decided-already", f"the appeal is {appeal.status} already")
    if by in appeal.excluded or by == appeal.appellant:
        raise AppealRefused(
            "took-part", "a staff member who decided the claim may not decide its appeal"
        )
    decided = replace(
        appeal,
        status=UPHELD if upheld else DISMISSED,
        decided_by=by,
        decided_at=at,
        decision_reason=mask_resident_ids(reason.strip()),
    )
    await uow.session.execute(
        sa.update(claim_appeals)
        .where(claim_appeals.c.id == appeal.id)
        .values(
            status=decided.status,
            decided_by=by,
            decided_at=at,
            decision_reason=decided.decision_reason,
        )
    )
    if upheld:
        reopened, step = claim_rules.reopen(claim, actor=by, at=at)
        if not await repo.save_claim(uow.session, reopened, previous_version=claim.version):
            raise claim_rules.StageConflict("the claim was changed meanwhile; reload it")
        await repo.add_history(uow.session, claim.id, step)
        uow.publish(contracts.claim_stage_changed(reopened, step), key=str(claim.id))
        claim = reopened
    await audit.record(
        uow,
        principal,
        action=audit.DECIDE_CLAIM,
        object_type="claim",
        object_id=str(claim.id),
        purpose="认定复核决定 (appeal decision)",
        details={"appeal_id": str(appeal.id), "outcome": decided.status, "reopened": upheld},
    )
    uow.publish(appeal_decided(decided, claim), key=str(claim.id))
    return decided, claim


def appeal_decided(appeal: ClaimAppeal, claim: Claim) -> pb.ClaimAppealDecided:
    assert appeal.decided_at is not None
    decided_on = appeal.decided_at.astimezone(CHINA_STANDARD_TIME).date()
    event = pb.ClaimAppealDecided(
        appeal_id=str(appeal.id),
        claim_id=str(claim.id),
        person_key=claim.person_key,
        platform_uscc=claim.platform_uscc,
        claim_reopened=appeal.status == UPHELD,
        due_on=to_proto_date(appeal.due_on),
        decided_in_time=decided_on <= appeal.due_on,
        city_code=claim.city_code,
    )
    event.decided_at.FromDatetime(appeal.decided_at)
    return event
