"""更正请求 handlers: a person asks for a correction of their profile, staff decide (an accepted
request changes the field); both are in the audit trail, in the same transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from job_matching.adapters import repository as repo
from job_matching.adapters.tables import profile_corrections as t
from job_matching.adapters.tables import seekers
from job_matching.domain.corrections import (
    CORRECTABLE,
    CorrectionStatus,
    check_decidable,
    parse_requested,
)
from suxin_common.auth import Principal
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, NotFound, RuleViolation
from suxin_common.security import audit

REQUEST_CORRECTION = "request_correction"
DECIDE_CORRECTION = "decide_correction"


async def request(
    uow: UnitOfWork, principal: Principal, person_key: str, field: str, value: str, reason: str
) -> Any:
    if field not in CORRECTABLE:
        raise RuleViolation(f"correctable fields: {sorted(CORRECTABLE)}", field="field")
    try:
        parse_requested(field, value)
    except ValueError as exc:
        raise RuleViolation(str(exc), field="requested_value") from None
    async with uow:
        seeker = (
            await uow.session.execute(sa.select(seekers).where(seekers.c.person_key == person_key))
        ).first()
        if seeker is None:
            raise Conflict(
                "register your seeker profile first (POST /v1/seekers)",
                code="seeker-profile-missing",
            )
        correction_id = uuid.uuid4()
        await uow.session.execute(
            sa.insert(t).values(
                id=correction_id,
                seeker_id=seeker.id,
                person_key=person_key,
                district_code=seeker.district_code,
                field=field,
                requested_value=value,
                reason=reason,
                status=CorrectionStatus.PENDING.value,
                created_at=datetime.now(UTC),
            )
        )
        await audit.record(
            uow,
            principal,
            action=REQUEST_CORRECTION,
            object_type="seeker",
            object_id=str(seeker.id),
            purpose="更正请求 / the person asks for a correction (PIPL art. 46)",
            details={"correction_id": str(correction_id), "field": field},
        )
        row = await get(uow.session, correction_id)
        await uow.commit()
    return row


async def get(session, correction_id: uuid.UUID) -> Any:
    return (await session.execute(sa.select(t).where(t.c.id == correction_id))).first()


async def decide(
    uow: UnitOfWork, principal: Principal, correction_id: uuid.UUID, accept: bool, note: str
) -> Any:
    """Staff decide (their district's requests; the caller checked visibility). Accepting
    writes the requested value to the profile."""
    async with uow:
        row = (
            await uow.session.execute(sa.select(t).where(t.c.id == correction_id).with_for_update())
        ).first()
        if row is None:
            raise NotFound(f"correction request {correction_id} does not exist")
        try:
            check_decidable(CorrectionStatus(row.status))
        except ValueError as exc:
            raise Conflict(str(exc), code="already-decided") from exc
        status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REJECTED
        if accept:
            value = parse_requested(row.field, row.requested_value)
            await repo.update_seeker(uow.session, row.seeker_id, {row.field: value})
        await uow.session.execute(
            sa.update(t)
            .where(t.c.id == correction_id)
            .values(
                status=status.value,
                decision_note=note,
                decided_by=principal.subject,
                decided_at=datetime.now(UTC),
            )
        )
        await audit.record(
            uow,
            principal,
            action=DECIDE_CORRECTION,
            object_type="seeker",
            object_id=str(row.seeker_id),
            purpose="更正请求 / staff decide a correction",
            details={
                "correction_id": str(correction_id),
                "field": row.field,
                "outcome": status.value,
            },
        )
        row = await get(uow.session, correction_id)
        await uow.commit()
    return row
