"""Subsidy cases (补贴案件): evaluating again the cases that wait for data, and staff's
decisions on a case (reject, return; approvals take two people, see :mod:`.money`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from suxin_common.auth import Principal
from suxin_common.facts import Provenance, Source
from training_vouchers import contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain import review
from training_vouchers.domain.cases import reevaluate
from training_vouchers.domain.evidence import (
    birth_evidence,
    confirmation_by_enrolment,
    hire_evidence,
)
from training_vouchers.domain.facts import BirthFacts, MonthlyContribution, month_of
from training_vouchers.domain.model import CaseStatus, HireFacts, SubsidyCase
from training_vouchers.domain.policy import PolicyBook, Trigger
from training_vouchers.domain.review import china_day
from training_vouchers.handlers.common import (
    audit_case,
    locked_case,
    save_case,
)


async def evidence_of_hire(uow: Uow, hire: HireFacts, paid: Sequence[MonthlyContribution]):
    """A hire's evidence: the person's verified facts, and whether the hire is confirmed (the
    person, 社保 enrolment with this employer, or contributions it paid since the start)."""
    known = await uow.repos.facts.about_person(hire.person_key)
    claim = await uow.repos.hire_claims.get(hire.hire_id)
    confirmed = None
    if claim is not None and claim.confirmed_by is not None:
        at = claim.confirmed_at.date() if claim.confirmed_at else None
        confirmed = Provenance(
            Source.CONFIRMED_HIRE, at, f"hire:{hire.hire_id}#{claim.confirmed_by}"
        )
    if confirmed is None:
        confirmed = confirmation_by_enrolment(known, hire.enterprise_uscc, hire.start_date)
    since = month_of(hire.start_date)
    paid_since = [c.month for c in paid if c.month >= since and sum(c.employer_fen.values()) > 0]
    if confirmed is None and paid_since:
        confirmed = Provenance(
            Source.CONFIRMED_HIRE, date.fromisoformat(paid_since[0] + "-01"), "contributions"
        )
    return hire_evidence(hire, known, paid, confirmed)


async def with_employment_end(uow: Uow, birth: BirthFacts) -> BirthFacts:
    """The birth with the day she left this employer since the birth month, if she did."""
    ended = await uow.repos.employment.ended_on(
        birth.enterprise_uscc, birth.person_key, birth.birth_date.replace(day=1)
    )
    return replace(birth, employment_ended_on=ended) if ended else birth


async def reconsider(
    uow: Uow,
    person_key: str,
    *,
    book: PolicyBook,
    at: datetime,
    enterprise_uscc: str | None = None,
    principal: Principal | None = None,
    purpose: str,
) -> list[SubsidyCase]:
    """Evaluate again every case of this person (at this enterprise, if given) that waits for
    data or verification, on what is known now; the cases that changed. The caller holds the
    person's lock (:func:`suxin_common.facts.lock_subject`)."""
    changed = []
    repos = uow.repos
    for case in await repos.cases.awaiting_of_person(person_key, enterprise_uscc):
        paid = await repos.contributions.of(case.enterprise_uscc, person_key)
        if case.trigger == Trigger.HIRE.value:
            claim = await repos.hire_claims.get(case.hire_id) if case.hire_id else None
            if claim is None or claim.hire is None:
                continue
            evidence = await evidence_of_hire(uow, claim.hire, paid)
        elif case.trigger == Trigger.BIRTH.value:
            order = int(case.occasion.removeprefix("child-"))
            births = await repos.employment.births_of(person_key)
            birth = next((b for b in births if b.child_order == order), None)
            if birth is None:
                continue
            birth = await with_employment_end(uow, birth)
            known = await repos.facts.about_person(person_key)
            evidence = birth_evidence(birth, known, paid)
        else:
            continue
        updated = reevaluate(case, book.version(case.rule_version), evidence, at)
        if updated is None:
            continue
        await save_case(uow, updated)
        if updated.status is CaseStatus.UNDER_REVIEW:
            uow.publish(contracts.subsidy_case_review_started(updated), key=str(updated.id))
        elif updated.status is CaseStatus.REJECTED:
            uow.publish(
                contracts.subsidy_case_decided(updated, china_day(at), True), key=str(updated.id)
            )
        await audit_case(uow, principal, updated, "re-evaluated", purpose=purpose)
        changed.append(updated)
    return changed


async def decide_case(
    uow: Uow,
    case_id: uuid.UUID,
    to: CaseStatus,
    *,
    reason: str | None,
    by: str,
    at: datetime,
    allowed: Callable[[SubsidyCase], None] = lambda case: None,
    principal: Principal | None = None,
) -> SubsidyCase:
    """Staff reject (with a reason) or return (for information) a case. Approvals take two
    people: money.propose_approval / money.apply_approval."""
    case = await locked_case(uow, case_id)
    allowed(case)
    decided = review.decide(case, to, reason=reason, by=by, at=at)
    await save_case(uow, decided)
    # The reason is free text (it may name the person): only whether one was given.
    await audit_case(
        uow,
        principal,
        decided,
        to.value,
        purpose="subsidy review",
        previous_status=case.status.value,
        reason_given=bool(reason),
        decided_in_time=review.decided_in_time(decided),
    )
    uow.publish(
        contracts.subsidy_case_decided(decided, china_day(at), review.decided_in_time(decided)),
        key=str(decided.id),
    )
    return decided


async def resubmit_case(
    uow: Uow,
    case_id: uuid.UUID,
    *,
    at: datetime,
    allowed: Callable[[SubsidyCase], None] = lambda case: None,
) -> SubsidyCase:
    case = await locked_case(uow, case_id)
    allowed(case)
    updated = review.resubmit(case, at=at)
    await save_case(uow, updated)
    return updated
