"""Data reported to the service or stated by a department: contributions, births,
enterprise years, verified facts and ended employments; each opens cases or lets waiting ones
move on."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from suxin_common.auth import Principal
from suxin_common.facts import Fact
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain.cases import Situation, open_cases
from training_vouchers.domain.evidence import birth_evidence, enterprise_year_evidence
from training_vouchers.domain.facts import (
    INSURANCES,
    BirthFacts,
    EmploymentEnd,
    EnterpriseYear,
    MonthlyContribution,
    enterprise_year_facts,
)
from training_vouchers.domain.model import SubsidyCase
from training_vouchers.domain.policy import PolicyBook, Trigger
from training_vouchers.domain.provenance import merged
from training_vouchers.domain.review import china_day
from training_vouchers.handlers.cases import reconsider, with_employment_end
from training_vouchers.handlers.common import now, open_new

log = logging.getLogger(__name__)


async def record_contributions(
    uow: Uow,
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
    await uow.repos.facts.lock_subject(person_key)
    for month in months:
        await uow.repos.contributions.record(enterprise_uscc, person_key, month, at)
    return await reconsider(
        uow,
        person_key,
        enterprise_uscc=enterprise_uscc,
        book=book,
        at=at,
        principal=principal,
        purpose="contributions reported",
    )


async def on_fact_verified(
    uow: Uow,
    fact: Fact,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = now,
) -> None:
    """A department stated a fact (部门数据比对, translated by facts.fact_from_event): keep
    its newest version; a 社保 month is recorded as a contribution; every case of the person
    waiting for it moves on by itself."""
    at = clock()
    subject = fact.person_key or fact.enterprise_uscc
    assert subject is not None
    await uow.repos.facts.lock_subject(subject)
    if not await uow.repos.facts.keep(fact, at):
        return  # a version already applied, or an older one arriving late
    if fact.person_key is None:
        return  # no rule of this service reads an enterprise fact yet
    if fact.kind == "social_insurance_contribution" and fact.enterprise_uscc and not fact.revoked:
        month = fact.value.get("month")
        if month:
            employer = {i: int(fact.value.get(f"{i}_fen") or 0) for i in INSURANCES}
            await uow.repos.contributions.record(
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


async def on_employment_ended(
    uow: Uow,
    ended: EmploymentEnd,
    *,
    book: PolicyBook,
    clock: Callable[[], datetime] = now,
) -> None:
    """An employment ended (EmploymentEnded, translated by contracts.employment_ended): a
    maternity case waiting for six months of contributions at this employer is decided on the
    months the employer actually paid (seed 003)."""
    if not await uow.repos.employment.record_end(
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
    uow: Uow,
    birth: BirthFacts,
    *,
    book: PolicyBook,
    at: datetime,
    principal: Principal | None = None,
) -> list[SubsidyCase]:
    """A woman employee's child was born: the maternity subsidy opens (or waits for the six
    months of contributions) without any application."""
    await uow.repos.facts.lock_subject(birth.person_key)
    if not await uow.repos.employment.record_birth(birth, at):
        return []
    policy = book.in_force(birth.birth_date)
    if policy is None:
        return []
    paid = await uow.repos.contributions.of(birth.enterprise_uscc, birth.person_key)
    birth = await with_employment_end(uow, birth)
    known = await uow.repos.facts.about_person(birth.person_key)
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
    return await open_new(uow, open_cases(situation, policy, at), principal)


async def record_enterprise_year(
    uow: Uow,
    year: EnterpriseYear,
    *,
    book: PolicyBook,
    at: datetime,
    principal: Principal | None = None,
) -> list[SubsidyCase]:
    """An enterprise's figures for a year: 稳岗返还 opens if the rule is met (once a year)."""
    await uow.repos.employment.record_enterprise_year(year, at)
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
    return await open_new(uow, open_cases(situation, policy, at), principal)
