"""A hire is real before it counts (录用确认), and facts from authority this service reads.

A hire the enterprise records is only its declaration until the person confirms it (in the
app, or by having accepted the offer before the hire) or 社保 shows the person enrolled with
that employer (FactVerified SOCIAL_INSURANCE_ENROLMENT). The first confirmation publishes
HireConfirmed; subsidies, talent-card moves and the 城镇新增就业 count wait for it, insurance
cover does not. A person with an active full-time job is not hired full-time elsewhere unless
the first job ended or 社保 shows the change.

Enterprise flags that unlock policy (专精特新, 小巨人, 重点监测) come from the 工信 lists and the
staff-kept key-monitoring list (FactVerified), or from HRSS staff, never from the enterprise.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from job_matching import contracts
from job_matching.adapters.repositories import ENTERPRISE_FLAGS, Uow
from job_matching.adapters.repository import hire_from_row
from job_matching.domain.model import Hire, HireConfirmation, HireConfirmed, JobKind
from suxin_common.auth import Principal
from suxin_common.errors import Conflict, NotFound
from suxin_common.facts import Fact, Source
from suxin_common.security import audit

log = logging.getLogger(__name__)

ANSWER_HIRE = "answer_hire"


def _now() -> datetime:
    return datetime.now(UTC)


def confirmation_of(row: Any) -> str:
    """declared, confirmed or denied."""
    if row.confirmed_by:
        return "confirmed"
    return "denied" if row.denied_at else "declared"


async def confirm(
    uow: Uow,
    row: Any,
    how: HireConfirmation,
    *,
    evidence_ref: str | None,
    at: datetime,
) -> bool:
    """Mark the (locked or just inserted) hire ``row`` confirmed and publish HireConfirmed;
    False if it already was (only the first confirmation counts)."""
    version = await uow.repos.hires.confirm(row.id, how, evidence_ref=evidence_ref, at=at)
    if version is None:
        return False
    person_key = await uow.repos.seekers.person_key(row.seeker_id)
    kind = (row.snapshot or {}).get("job_kind")
    event = HireConfirmed(
        hire_id=row.id,
        version=version,
        enterprise_uscc=row.enterprise_uscc,
        person_key=person_key,
        start_date=row.start_date,
        job_kind=JobKind(kind) if kind else JobKind.FULL_TIME,
        confirmed_by=how,
        evidence_ref=evidence_ref,
        confirmed_at=at,
    )
    uow.publish(contracts.hire_confirmed(event), key=str(row.id))
    return True


async def answer_hire(
    uow: Uow,
    hire_id: uuid.UUID,
    *,
    confirmed: bool,
    account_subject: str,
    principal: Principal,
) -> Hire:
    """The person confirms (or denies) a hire an enterprise filed about them; the hire as
    answered. Only the person themself may answer; a hire already confirmed, or already
    answered, is a 409."""
    async with uow:
        row = await uow.repos.hires.row_with_account(hire_id)
        if row is None or row.account_subject != account_subject:
            raise NotFound(f"hire {hire_id} does not exist")
        if row.confirmed_by or row.denied_at:
            raise Conflict(
                "this hire has already been answered or confirmed",
                extra={"confirmation": confirmation_of(row)},
            )
        now = _now()
        if confirmed:
            await confirm(uow, row, HireConfirmation.PERSON, evidence_ref=None, at=now)
        else:
            await uow.repos.hires.deny(hire_id, now)
        entry = audit.entry(
            principal,
            action=ANSWER_HIRE,
            object_type="hire",
            object_id=str(hire_id),
            purpose="hire confirmed by the person" if confirmed else "hire denied by the person",
            details={"enterprise_uscc": row.enterprise_uscc, "confirmed": confirmed},
        )
        await uow.append_audit([entry])
        answered = hire_from_row(await uow.repos.hires.row(hire_id))
        await uow.commit()
    return answered


def open_enrolment(enrolments: Sequence[Fact], uscc: str, on: date | None = None) -> Fact | None:
    """Of the person's 社保 enrolments, the one with ``uscc`` still open (on ``on``), if any."""
    for f in enrolments:
        if f.enterprise_uscc != uscc or f.revoked or f.source is not Source.SOCIAL_INSURANCE:
            continue
        ended = f.value.get("ended_on")
        if ended is None or (on is not None and date.fromisoformat(ended) >= on):
            return f
    return None


def check_full_time_elsewhere(
    active_elsewhere: Sequence[str], enrolments: Sequence[Fact], uscc: str, start: date
) -> None:
    """409 if the person has an active full-time job at another employer that neither ended
    nor gave way, on 社保's word, to this one (statistics count people, not hire records), on
    what was read under the person's lock: the enterprises of the person's active full-time
    hires elsewhere and the person's 社保 enrolments."""
    if not active_elsewhere:
        return
    if open_enrolment(enrolments, uscc, start) is not None:
        return  # 社保 shows the person now enrolled here
    ended = {
        f.enterprise_uscc
        for f in enrolments
        if f.value.get("ended_on") and f.source is Source.SOCIAL_INSURANCE
    }
    if all(a in ended for a in active_elsewhere):
        return  # 社保 shows every earlier enrolment ended
    # The other employer is the person's data: not named to this enterprise.
    raise Conflict(
        "the person holds an active full-time job elsewhere: end it first, or wait for the "
        "social-insurance record to show the change",
        code="already-employed-full-time",
    )


async def on_fact_verified(uow: Uow, fact: Fact, *, clock=_now) -> None:  # noqa: ANN001
    """Keep the facts this service reads (translated by facts.fact_from_event): 社保 enrolment
    confirms the person's open hires with that employer; the 工信 lists and the staff
    key-monitoring list set enterprise flags."""
    relevant = fact.kind == "social_insurance_enrolment" or fact.kind in ENTERPRISE_FLAGS
    if not relevant:
        return
    subject = fact.person_key or fact.enterprise_uscc
    assert subject is not None
    at = clock()
    await uow.repos.facts.lock_subject(subject)
    if not await uow.repos.facts.keep(fact, at):
        return
    if fact.kind in ENTERPRISE_FLAGS:
        column, sources = ENTERPRISE_FLAGS[fact.kind]
        if fact.source in sources and fact.enterprise_uscc:
            await uow.repos.enterprises.set_flag(fact.enterprise_uscc, column, not fact.revoked)
        return
    if fact.revoked or fact.source is not Source.SOCIAL_INSURANCE or not fact.enterprise_uscc:
        return
    if fact.person_key is None:
        return
    ended = fact.value.get("ended_on")
    for row in await uow.repos.hires.unconfirmed_at(fact.person_key, fact.enterprise_uscc):
        if ended is not None and date.fromisoformat(ended) < row.start_date:
            continue  # an enrolment that ended before this hire does not show it
        await confirm(
            uow, row, HireConfirmation.SOCIAL_INSURANCE, evidence_ref=fact.evidence_ref, at=at
        )
