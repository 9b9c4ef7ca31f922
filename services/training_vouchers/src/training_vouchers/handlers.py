"""Training-vouchers handlers: the only place that changes state.

Every handler runs inside a unit of work the caller commits (the consumer runner, or an API
route); events recorded on it go out through the outbox with the change. Every decision on
money (a case opened or re-evaluated by the engine, approved, rejected, returned or paid; a
voucher issued or redeemed; a training subsidy released) is written to the audit log in the
same transaction, with codes and amounts, never personal data.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from suxin_common import facts
from suxin_common.auth import Principal
from suxin_common.db import UnitOfWork
from suxin_common.facts import Fact, Provenance, Source
from suxin_common.security import audit
from training_vouchers import contracts, training_contracts
from training_vouchers.adapters import hire_writes
from training_vouchers.adapters import repository as repo
from training_vouchers.adapters import training_repository as training_repo
from training_vouchers.domain import review, training
from training_vouchers.domain.cases import Situation, open_cases, reevaluate
from training_vouchers.domain.evidence import (
    birth_evidence,
    confirmation_by_enrolment,
    enterprise_year_evidence,
    hire_evidence,
)
from training_vouchers.domain.facts import (
    INSURANCES,
    BirthFacts,
    EmploymentEnd,
    EnterpriseYear,
    MonthlyContribution,
    enterprise_year_facts,
    month_of,
)
from training_vouchers.domain.model import CaseStatus, HireFacts, SubsidyCase
from training_vouchers.domain.policy import PolicyBook, Trigger
from training_vouchers.domain.provenance import merged
from training_vouchers.domain.review import china_day
from training_vouchers.domain.training import Institution, Voucher, VoucherStatus

log = logging.getLogger(__name__)

# The audit actor of decisions the engine takes on an event, with no caller behind them.
CONSUMER_ACTOR = "consumer:training-vouchers"


def _now() -> datetime:
    return datetime.now(UTC)


class CaseNotFound(LookupError):
    pass


class CaseChanged(Exception):
    """Someone else changed the case meanwhile."""


def case_details(case: SubsidyCase, decision: str, **more) -> dict:
    """What an audit entry says about a case decision: codes and amounts only."""
    return {
        "decision": decision,
        "status": case.status.value,
        "rule_id": case.rule_id,
        "rule_family": case.rule_family,
        "rule_version": case.rule_version,
        "amount_fen": case.amount_fen,
        "enterprise_uscc": case.enterprise_uscc,
        "district_code": case.district_code or case.city_code,
    } | more


async def audit_case(
    uow: UnitOfWork,
    principal: Principal | None,
    case: SubsidyCase,
    decision: str,
    *,
    action: str = audit.DECIDE_SUBSIDY,
    purpose: str | None = None,
    **more,
) -> dict:
    return await audit.record(
        uow,
        principal,
        actor=None if principal is not None else CONSUMER_ACTOR,
        action=action,
        object_type="subsidy_case",
        object_id=str(case.id),
        purpose=purpose,
        details=case_details(case, decision, **more),
    )


async def audit_voucher(
    uow: UnitOfWork,
    principal: Principal | None,
    v: Voucher,
    decision: str,
    *,
    action: str = audit.DECIDE_SUBSIDY,
    purpose: str | None = None,
    **more,
) -> None:
    await audit.record(
        uow,
        principal,
        actor=None if principal is not None else CONSUMER_ACTOR,
        action=action,
        object_type="voucher",
        object_id=str(v.id),
        purpose=purpose,
        details={
            "decision": decision,
            "status": v.status.value,
            "occupation_code": v.occupation_code,
            "target_level": v.target_level.value,
            "amount_fen": v.amount_fen,
            "district_code": v.division_code,
            "institution_id": str(v.institution_id) if v.institution_id else None,
        }
        | more,
    )


async def _open(
    uow: UnitOfWork, cases: Sequence[SubsidyCase], principal: Principal | None = None
) -> list[SubsidyCase]:
    """Insert the cases the engine opened; each opened one is announced and audited (by the
    caller that fed the data, or the consumer when a hire event opened it)."""
    opened = []
    for case in cases:
        if await repo.add_case(uow.session, case):
            uow.publish(contracts.subsidy_case_opened(case), key=str(case.id))
            await audit_case(uow, principal, case, "opened", purpose="免申即享 case opened")
            opened.append(case)
    return opened


async def open_subsidy_cases(
    uow: UnitOfWork,
    hire: HireFacts,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = _now,
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
    evidence = await _hire_evidence(uow, hire, paid)
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
    opened = await _open(uow, open_cases(situation, policy, clock()))
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
    clock: Callable[[], datetime] = _now,
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
    evidence = await _hire_evidence(uow, hire, ())
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


async def record_contributions(
    uow: UnitOfWork,
    enterprise_uscc: str,
    person_key: str,
    months: Sequence[MonthlyContribution],
    *,
    book: PolicyBook,
    at: datetime,
    principal: Principal | None = None,
) -> list[SubsidyCase]:
    """Record months of contributions, then evaluate again every case of this person at this
    enterprise that waits for them. Returns the cases that changed."""
    await facts.lock_subject(uow.session, person_key)
    for month in months:
        await repo.record_contribution(uow.session, enterprise_uscc, person_key, month, at)
    return await reconsider(
        uow,
        person_key,
        enterprise_uscc=enterprise_uscc,
        book=book,
        at=at,
        principal=principal,
        purpose="contributions reported",
    )


async def _hire_evidence(uow: UnitOfWork, hire: HireFacts, paid: Sequence[MonthlyContribution]):
    """A hire's evidence: the person's verified facts, and whether the hire is confirmed (the
    person, 社保 enrolment with this employer, or contributions it paid since the start)."""
    known = await facts.facts_about(uow.session, person_key=hire.person_key)
    claim = await repo.hire_claim(uow.session, hire.hire_id)
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


async def reconsider(
    uow: UnitOfWork,
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
    for case in await repo.awaiting_cases_of_person(uow.session, person_key, enterprise_uscc):
        paid = await repo.contributions_of(uow.session, case.enterprise_uscc, person_key)
        if case.trigger == Trigger.HIRE.value:
            claim = await repo.hire_claim(uow.session, case.hire_id) if case.hire_id else None
            if claim is None or claim.hire is None:
                continue
            evidence = await _hire_evidence(uow, claim.hire, paid)
        elif case.trigger == Trigger.BIRTH.value:
            order = int(case.occasion.removeprefix("child-"))
            births = await repo.births_of(uow.session, person_key)
            birth = next((b for b in births if b.child_order == order), None)
            if birth is None:
                continue
            birth = await with_employment_end(uow, birth)
            known = await facts.facts_about(uow.session, person_key=person_key)
            evidence = birth_evidence(birth, known, paid)
        else:
            continue
        updated = reevaluate(case, book.version(case.rule_version), evidence, at)
        if updated is None:
            continue
        if not await repo.save_case(uow.session, updated):
            raise CaseChanged(str(case.id))
        if updated.status is CaseStatus.UNDER_REVIEW:
            uow.publish(contracts.subsidy_case_review_started(updated), key=str(updated.id))
        elif updated.status is CaseStatus.REJECTED:
            uow.publish(
                contracts.subsidy_case_decided(updated, china_day(at), True), key=str(updated.id)
            )
        await audit_case(uow, principal, updated, "re-evaluated", purpose=purpose)
        changed.append(updated)
    return changed


async def on_fact_verified(
    uow: UnitOfWork,
    fact: Fact,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = _now,
) -> None:
    """A department stated a fact (部门数据比对, translated by facts.fact_from_event): keep
    its newest version; a 社保 month is recorded as a contribution; every case of the person
    waiting for it moves on by itself."""
    at = clock()
    subject = fact.person_key or fact.enterprise_uscc
    assert subject is not None
    await facts.lock_subject(uow.session, subject)
    if not await facts.keep_fact(uow.session, fact, at):
        return  # a version already applied, or an older one arriving late
    if fact.person_key is None:
        return  # no rule of this service reads an enterprise fact yet
    if fact.kind == "social_insurance_contribution" and fact.enterprise_uscc and not fact.revoked:
        month = fact.value.get("month")
        if month:
            employer = {i: int(fact.value.get(f"{i}_fen") or 0) for i in INSURANCES}
            await repo.record_contribution(
                uow.session,
                fact.enterprise_uscc,
                fact.person_key,
                MonthlyContribution(month[:7], employer, int(fact.value.get("employee_fen") or 0)),
                at,
            )
    changed = await reconsider(
        uow, fact.person_key, book=book, at=at, purpose=f"fact verified ({fact.kind})"
    )
    log.info(
        "fact %s v%d (%s): %d case(s) changed", fact.kind, fact.version, fact.source, len(changed)
    )


async def on_hire_confirmed(
    uow: UnitOfWork,
    confirmed: contracts.HireConfirmation,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = _now,
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


async def with_employment_end(uow: UnitOfWork, birth: BirthFacts) -> BirthFacts:
    """The birth with the day she left this employer since the birth month, if she did."""
    ended = await repo.employment_ended_on(
        uow.session, birth.enterprise_uscc, birth.person_key, birth.birth_date.replace(day=1)
    )
    return replace(birth, employment_ended_on=ended) if ended else birth


async def on_employment_ended(
    uow: UnitOfWork,
    ended: EmploymentEnd,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = _now,
) -> None:
    """An employment ended (EmploymentEnded, translated by contracts.employment_ended): a
    maternity case waiting for six months of contributions at this employer is decided on the
    months the employer actually paid (seed 003)."""
    if not await repo.record_employment_end(
        uow.session,
        ended.hire_id,
        ended.enterprise_uscc,
        ended.person_key,
        ended.ended_on,
        clock(),
    ):
        return
    # The same re-evaluation as when contributions arrive, with nothing new paid.
    await record_contributions(
        uow, ended.enterprise_uscc, ended.person_key, [], book=book, at=clock()
    )


async def record_birth(
    uow: UnitOfWork,
    birth: BirthFacts,
    *,
    book: PolicyBook,
    at: datetime,
    principal: Principal | None = None,
) -> list[SubsidyCase]:
    """A woman employee's child was born: the maternity subsidy opens (or waits for the six
    months of contributions) without any application."""
    await facts.lock_subject(uow.session, birth.person_key)
    if not await repo.record_birth(uow.session, birth, at):
        return []
    policy = book.in_force(birth.birth_date)
    if policy is None:
        return []
    paid = await repo.contributions_of(uow.session, birth.enterprise_uscc, birth.person_key)
    birth = await with_employment_end(uow, birth)
    known = await facts.facts_about(uow.session, person_key=birth.person_key)
    evidence = birth_evidence(birth, known, paid)
    situation = Situation(
        trigger=Trigger.BIRTH,
        facts=merged(evidence),
        evidence=evidence,
        enterprise_uscc=birth.enterprise_uscc,
        person_key=birth.person_key,
        city_code=birth.city_code,
        district_code=birth.district_code,
    )
    return await _open(uow, open_cases(situation, policy, at), principal)


async def record_enterprise_year(
    uow: UnitOfWork,
    year: EnterpriseYear,
    *,
    book: PolicyBook,
    at: datetime,
    principal: Principal | None = None,
) -> list[SubsidyCase]:
    """An enterprise's figures for a year: 稳岗返还 opens if the rule is met (once a year)."""
    await repo.record_enterprise_year(uow.session, year, at)
    policy = book.in_force(china_day(at))
    if policy is None:
        return []
    situation = Situation(
        trigger=Trigger.ENTERPRISE_YEAR,
        facts=enterprise_year_facts(year),
        evidence=enterprise_year_evidence(year),
        enterprise_uscc=year.enterprise_uscc,
        city_code=year.city_code,
        district_code=year.district_code,
    )
    return await _open(uow, open_cases(situation, policy, at), principal)


async def _locked(uow: UnitOfWork, case_id: uuid.UUID) -> SubsidyCase:
    case = await repo.get_case(uow.session, case_id, for_update=True)
    if case is None:
        raise CaseNotFound(str(case_id))
    return case


async def _save(uow: UnitOfWork, case: SubsidyCase) -> None:
    if not await repo.save_case(uow.session, case):
        raise CaseChanged(str(case.id))


async def decide_case(
    uow: UnitOfWork,
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
    case = await _locked(uow, case_id)
    allowed(case)
    decided = review.decide(case, to, reason=reason, by=by, at=at)
    await _save(uow, decided)
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
    uow: UnitOfWork,
    case_id: uuid.UUID,
    *,
    at: datetime,
    allowed: Callable[[SubsidyCase], None] = lambda case: None,
) -> SubsidyCase:
    case = await _locked(uow, case_id)
    allowed(case)
    updated = review.resubmit(case, at=at)
    await _save(uow, updated)
    return updated


# --- subsidised training --------------------------------------------------------------------


class VoucherNotFound(LookupError):
    pass


async def issue_voucher(
    uow: UnitOfWork,
    voucher: Voucher,
    resident_id_ciphertext: str,
    principal: Principal | None = None,
) -> Voucher | None:
    """Issue a voucher; None if the person already holds one for this occupation."""
    if not await training_repo.add_voucher(uow.session, voucher, resident_id_ciphertext):
        return None
    uow.publish(training_contracts.voucher_issued(voucher), key=str(voucher.id))
    await audit_voucher(
        uow,
        principal,
        voucher,
        "voucher_issued",
        purpose="training voucher issued",
        eligibility=voucher.eligibility.value,
    )
    return voucher


async def _voucher_at(
    uow: UnitOfWork, voucher_id: uuid.UUID, institution_id: uuid.UUID | None
) -> Voucher:
    v = await training_repo.get_voucher(uow.session, voucher_id, for_update=True)
    # Another institution's voucher does not exist for the caller.
    if v is None or (
        institution_id is not None
        and v.institution_id is not None
        and v.institution_id != institution_id
    ):
        raise VoucherNotFound(str(voucher_id))
    return v


async def _save_voucher(uow: UnitOfWork, v: Voucher) -> None:
    if not await training_repo.save_voucher(uow.session, v):
        raise CaseChanged(str(v.id))


async def enrol_voucher(
    uow: UnitOfWork,
    voucher_id: uuid.UUID,
    institution: Institution,
    *,
    at: datetime,
    principal: Principal | None = None,
) -> Voucher:
    v = await _voucher_at(uow, voucher_id, institution.id)
    enrolled = training.enrol(v, institution, today=china_day(at), at=at)
    await _save_voucher(uow, enrolled)
    uow.publish(training_contracts.voucher_redeemed(enrolled, institution), key=str(v.id))
    await audit_voucher(
        uow, principal, enrolled, "voucher_redeemed", purpose="voucher redeemed at enrolment"
    )
    return enrolled


async def complete_training(
    uow: UnitOfWork,
    voucher_id: uuid.UUID,
    institution: Institution,
    *,
    completed_on,
    passed: bool,
    at: datetime,
) -> Voucher:
    v = await _voucher_at(uow, voucher_id, institution.id)
    if v.institution_id is None:
        raise VoucherNotFound(str(voucher_id))
    done = training.complete(v, completed_on=completed_on, passed=passed)
    await _save_voucher(uow, done)
    uow.publish(training_contracts.training_completed(done, institution, at), key=str(v.id))
    return done


async def certify_training(
    uow: UnitOfWork,
    voucher_id: uuid.UUID,
    institution: Institution,
    *,
    certified_on,
    level: training.SkillLevel,
    at: datetime,
    principal: Principal | None = None,
) -> Voucher:
    v = await _voucher_at(uow, voucher_id, institution.id)
    if v.institution_id is None:
        raise VoucherNotFound(str(voucher_id))
    # The subsidy table in force on the day of the decision prices it; the voucher records
    # which version that was.
    occupation = await training_repo.get_occupation(uow.session, v.occupation_code, china_day(at))
    assert occupation is not None
    certified = training.certify(v, occupation, certified_on=certified_on, level=level)
    await _save_voucher(uow, certified)
    uow.publish(training_contracts.training_certified(certified, institution, at), key=str(v.id))
    await audit_voucher(
        uow,
        principal,
        certified,
        "training_subsidy_released",
        purpose="training certified: subsidy released",
        skill_level=level.value,
        subsidy_fen=certified.subsidy_fen,
    )
    return certified


async def record_training_outcome(
    uow: UnitOfWork,
    hire: HireFacts,
    *,
    window_days: int,
    clock: Callable[[], datetime] = _now,
) -> None:
    """A hire of a certified trainee within the window makes the outcome "employed"."""
    for v in await training_repo.certified_vouchers_of(uow.session, hire.person_key):
        result = training.employed_outcome(v, hire.hire_id, hire.start_date, window_days)
        if result is None:
            continue
        updated, days = result
        await _save_voucher(uow, updated)
        uow.publish(
            training_contracts.training_outcome_recorded(
                updated, hire.city_code or v.city_code, days, clock()
            ),
            key=str(v.id),
        )
