"""更正请求 handlers: a person asks for a correction of their profile, staff decide (an accepted
request changes the field); both are in the audit trail, in the same transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from job_matching.adapters.repositories import Uow
from job_matching.domain.corrections import (
    CORRECTABLE,
    CorrectionStatus,
    check_decidable,
    parse_requested,
)
from suxin_common.auth import Principal
from suxin_common.errors import Conflict, NotFound, RuleViolation
from suxin_common.security import audit

REQUEST_CORRECTION = "request_correction"
DECIDE_CORRECTION = "decide_correction"


async def request(
    uow: Uow, principal: Principal, person_key: str, field: str, value: str, reason: str
) -> Any:
    """The person asks that a field of their profile be corrected; the request as stored."""
    if field not in CORRECTABLE:
        raise RuleViolation(f"correctable fields: {sorted(CORRECTABLE)}", field="field")
    try:
        parse_requested(field, value)
    except ValueError as exc:
        raise RuleViolation(str(exc), field="requested_value") from None
    async with uow:
        seeker = await uow.repos.seekers.row_by_person_key(person_key)
        if seeker is None:
            raise Conflict(
                "register your seeker profile first (POST /v1/seekers)",
                code="seeker-profile-missing",
            )
        correction_id = uuid.uuid4()
        await uow.repos.corrections.add(
            {
                "id": correction_id,
                "seeker_id": seeker.id,
                "person_key": person_key,
                "district_code": seeker.district_code,
                "field": field,
                "requested_value": value,
                "reason": reason,
                "status": CorrectionStatus.PENDING.value,
                "created_at": datetime.now(UTC),
            }
        )
        entry = audit.entry(
            principal,
            action=REQUEST_CORRECTION,
            object_type="seeker",
            object_id=str(seeker.id),
            purpose="更正请求 / the person asks for a correction (PIPL art. 46)",
            details={"correction_id": str(correction_id), "field": field},
        )
        await uow.append_audit([entry])
        row = await uow.repos.corrections.get(correction_id)
        await uow.commit()
    return row


async def decide(
    uow: Uow, principal: Principal, correction_id: uuid.UUID, accept: bool, note: str
) -> Any:
    """Staff decide (their district's requests; the caller checked visibility). Accepting
    writes the requested value to the profile."""
    async with uow:
        row = await uow.repos.corrections.get(correction_id, lock=True)
        if row is None:
            raise NotFound(f"correction request {correction_id} does not exist")
        try:
            check_decidable(CorrectionStatus(row.status))
        except ValueError as exc:
            raise Conflict(str(exc), code="already-decided") from exc
        status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REJECTED
        if accept:
            value = parse_requested(row.field, row.requested_value)
            await uow.repos.seekers.update(row.seeker_id, {row.field: value})
        await uow.repos.corrections.decide(
            correction_id,
            {
                "status": status.value,
                "decision_note": note,
                "decided_by": principal.subject,
                "decided_at": datetime.now(UTC),
            },
        )
        entry = audit.entry(
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
        await uow.append_audit([entry])
        row = await uow.repos.corrections.get(correction_id)
        await uow.commit()
    return row
