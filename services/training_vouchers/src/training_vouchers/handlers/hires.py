"""Hires: a recorded hire opens subsidy cases (免申即享) and may record a trainee's outcome;
a confirmed hire lets its waiting cases move on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from training_vouchers import contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain.cases import Situation, open_cases
from training_vouchers.domain.facts import MonthlyContribution
from training_vouchers.domain.model import HireFacts, SubsidyCase
from training_vouchers.domain.policy import Policy, PolicyBook, Trigger
from training_vouchers.domain.provenance import merged
from training_vouchers.handlers.cases import evidence_of_hire, reconsider
from training_vouchers.handlers.common import announce_opened, now, open_new, opened_entry
from training_vouchers.handlers.vouchers import record_training_outcome

log = logging.getLogger(__name__)


async def open_subsidy_cases(
    uow: Uow,
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
    await _claim(uow, hire, clock)
    if policy is None:
        log.info("hire %s starts before any policy version: no subsidy rules", hire.hire_id)
        return
    await _open_with_contributions(uow, hire, policy, clock)


async def on_hire_recorded(
    uow: Uow,
    hire: HireFacts,
    *,
    book: PolicyBook,
    window_days: int,
    clock: Callable[[], datetime] = now,
) -> None:
    """The HireRecorded subscription: :func:`open_subsidy_cases` then
    :func:`record_training_outcome`, with the same effects, in one round trip per hire in the
    common case (``uow.repos.cases.open_on_hire``); any other case takes those two handlers'
    path. The hire comes translated (contracts.hire_facts, once per event) and is passed on as
    it is. A family that already has a case for this person is left alone, not announced."""
    policy = book.in_force(hire.start_date)
    if policy is None:
        await open_subsidy_cases(uow, hire, book=book, clock=clock)
        await record_training_outcome(uow, hire, window_days=window_days)
        return
    await _claim(uow, hire, clock)
    # Assumes no contributions: the statement checks it.
    cases = await _cases_of(uow, hire, policy, (), clock)
    entries = [opened_entry(None, case) for case in cases]
    written = await uow.repos.cases.open_on_hire(hire, cases, entries)
    if not written.ok:
        # Contributions are on record: nothing was written; the general path decides.
        await _open_with_contributions(uow, hire, policy, clock)
    else:
        # A family that already has a case for this person is left alone.
        inserted = [i for i, case in enumerate(cases) if str(case.id) in written.inserted]
        opened = [cases[i] for i in inserted]
        announce_opened(uow, opened)
        if not written.audited and opened:
            await uow.append_audit([entries[i] for i in inserted])
        _log_opened(hire, policy, opened)
    if written.certified_voucher:
        await record_training_outcome(uow, hire, window_days=window_days)


async def _claim(uow: Uow, hire: HireFacts, clock: Callable[[], datetime]) -> None:
    """Keep the declared hire. Facts and confirmations of this person wait while the hire is
    decided (they re-decide waiting cases, which must exist by then)."""
    await uow.repos.facts.lock_subject(hire.person_key)
    await uow.repos.hire_claims.record(hire, clock())


async def _cases_of(
    uow: Uow,
    hire: HireFacts,
    policy: Policy,
    paid: Sequence[MonthlyContribution],
    clock: Callable[[], datetime],
) -> list[SubsidyCase]:
    """The cases the policy opens for the hire, on its evidence and these contributions."""
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
    return open_cases(situation, policy, clock())


async def _open_with_contributions(
    uow: Uow, hire: HireFacts, policy: Policy, clock: Callable[[], datetime]
) -> None:
    """The general path: the contributions on record count; each case inserted on its own."""
    paid = await uow.repos.contributions.of(hire.enterprise_uscc, hire.person_key)
    opened = await open_new(uow, await _cases_of(uow, hire, policy, paid, clock))
    _log_opened(hire, policy, opened)


def _log_opened(hire: HireFacts, policy: Policy, opened: Sequence[SubsidyCase]) -> None:
    # Ids and rule names only: no person key, no personal data in logs.
    log.info(
        "hire %s under policy %s: opened %d subsidy case(s) %s",
        hire.hire_id,
        policy.version,
        len(opened),
        [c.rule_id for c in opened],
    )


async def on_hire_confirmed(
    uow: Uow,
    confirmed: contracts.HireConfirmation,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = now,
) -> None:
    """The person (or 社保) confirmed a hire: its terms now count, and its waiting cases are
    evaluated again."""
    at = clock()
    await uow.repos.facts.lock_subject(confirmed.person_key)
    if not await uow.repos.hire_claims.confirm(
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
