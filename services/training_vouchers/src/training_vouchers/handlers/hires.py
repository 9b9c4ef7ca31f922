"""Hires: a recorded hire opens subsidy cases (免申即享) and may record a trainee's outcome;
a confirmed hire lets its waiting cases move on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from suxin_common import facts
from suxin_common.db import UnitOfWork
from suxin_common.security import audit
from training_vouchers import contracts
from training_vouchers.adapters import hire_writes
from training_vouchers.adapters import repository as repo
from training_vouchers.domain.cases import Situation, open_cases
from training_vouchers.domain.model import HireFacts, SubsidyCase
from training_vouchers.domain.policy import PolicyBook, Trigger
from training_vouchers.domain.provenance import merged
from training_vouchers.domain.training import VoucherStatus
from training_vouchers.handlers.cases import evidence_of_hire, reconsider
from training_vouchers.handlers.common import (
    CONSUMER_ACTOR,
    audit_case,
    case_details,
    now,
    open_new,
)
from training_vouchers.handlers.vouchers import record_training_outcome

log = logging.getLogger(__name__)


async def open_subsidy_cases(
    uow: UnitOfWork,
    hire: HireFacts,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = now,
) -> None:
    """A recorded hire opens a subsidy case (免申即享) in every rule family it qualifies for
    — or waits in — under the policy in force on its start date.

    A family that already has a case for this person (another hire, a redelivery) is left
    alone and not announced again: the unique constraint decides, not this code.
    """
    policy = book.in_force(hire.start_date)
    await facts.lock_subject(uow.session, hire.person_key)
    await repo.record_hire_claim(uow.session, hire, clock())
    if policy is None:
        log.info("hire %s starts before any policy version: no subsidy rules", hire.hire_id)
        return
    paid = await repo.contributions_of(uow.session, hire.enterprise_uscc, hire.person_key)
    evidence = await evidence_of_hire(uow, hire, paid)
    situation = Situation(
        trigger=Trigger.HIRE,
        facts=merged(evidence),
        enterprise_uscc=hire.enterprise_uscc,
        person_key=hire.person_key,
        hire_id=hire.hire_id,
        city_code=hire.city_code,
        district_code=hire.district_code,
        evidence=evidence,
    )
    opened = await open_new(uow, open_cases(situation, policy, clock()))
    # Ids and rule names only: no person key, no personal data in logs.
    log.info(
        "hire %s under policy %s: opened %d subsidy case(s) %s",
        hire.hire_id,
        policy.version,
        len(opened),
        [c.rule_id for c in opened],
    )


def _audit_entry(case: SubsidyCase, decision: str, purpose: str) -> dict:
    """The audit entry ``audit_case`` (the kit's audit.record) would append for a consumer
    decision (content only; the kit chains it)."""
    return audit.entry(
        None,
        actor=CONSUMER_ACTOR,
        action=audit.DECIDE_SUBSIDY,
        object_type="subsidy_case",
        object_id=str(case.id),
        purpose=purpose,
        details=case_details(case, decision),
    )


async def on_hire_recorded(
    uow: UnitOfWork,
    hire: HireFacts,
    *,
    book: PolicyBook,
    window_days: int,
    clock: Callable[[], datetime] = now,
) -> None:
    """The HireRecorded subscription: :func:`open_subsidy_cases` then
    :func:`record_training_outcome`, with the same effects, in one round trip per hire in the
    common case (adapters/hire_writes.py); any other case takes those two handlers' path. The
    hire comes translated (contracts.hire_facts, once per event) and is passed on as it is."""
    policy = book.in_force(hire.start_date)
    if policy is None:
        await open_subsidy_cases(uow, hire, book=book, clock=clock)
        await record_training_outcome(uow, hire, window_days=window_days)
        return
    # Facts and confirmations of this person wait while the hire is decided (they re-decide
    # waiting cases, which must exist by then).
    await facts.lock_subject(uow.session, hire.person_key)
    await repo.record_hire_claim(uow.session, hire, clock())
    # Assumes no contributions: the statement checks it.
    evidence = await evidence_of_hire(uow, hire, ())
    situation = Situation(
        trigger=Trigger.HIRE,
        facts=merged(evidence),
        enterprise_uscc=hire.enterprise_uscc,
        person_key=hire.person_key,
        hire_id=hire.hire_id,
        city_code=hire.city_code,
        district_code=hire.district_code,
        evidence=evidence,
    )
    cases = open_cases(situation, policy, clock())
    audits = audit.chained(
        await audit.claim_chain(uow),
        [_audit_entry(case, "opened", "免申即享 case opened") for case in cases],
    )
    outcome = await hire_writes.insert_hire_cases(
        uow.session,
        enterprise_uscc=hire.enterprise_uscc,
        person_key=hire.person_key,
        certified_status=VoucherStatus.CERTIFIED.value,
        cases=cases,
        audits=audits,
    )
    if not outcome.ok:
        # Contributions are on record: nothing was written; the general path decides.
        await open_subsidy_cases(uow, hire, book=book, clock=clock)
    else:
        if outcome.audited:
            audit.advanced(uow, audits)
        opened = []
        for case in cases:
            if str(case.id) not in outcome.inserted:
                continue  # the family already has a case for this person
            uow.publish(contracts.subsidy_case_opened(case), key=str(case.id))
            if not outcome.audited:
                await audit_case(uow, None, case, "opened", purpose="免申即享 case opened")
            opened.append(case)
        log.info(
            "hire %s under policy %s: opened %d subsidy case(s) %s",
            hire.hire_id,
            policy.version,
            len(opened),
            [c.rule_id for c in opened],
        )
    if outcome.certified_voucher:
        await record_training_outcome(uow, hire, window_days=window_days)


async def on_hire_confirmed(
    uow: UnitOfWork,
    confirmed: contracts.HireConfirmation,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = now,
) -> None:
    """The person (or 社保) confirmed a hire: its terms now count, and its waiting cases are
    evaluated again."""
    at = clock()
    await facts.lock_subject(uow.session, confirmed.person_key)
    if not await repo.confirm_hire_claim(
        uow.session,
        confirmed.hire_id,
        enterprise_uscc=confirmed.enterprise_uscc,
        person_key=confirmed.person_key,
        start_date=confirmed.start_date,
        by=confirmed.confirmed_by,
        at=at,
    ):
        return
    await reconsider(
        uow,
        confirmed.person_key,
        enterprise_uscc=confirmed.enterprise_uscc,
        book=book,
        at=at,
        purpose="hire confirmed",
    )
