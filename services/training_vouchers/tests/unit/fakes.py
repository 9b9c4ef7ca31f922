"""Training-vouchers' repositories in memory, for handler unit tests (no PostgreSQL, no NATS).

The same methods as ``training_vouchers.adapters.repositories``, over dictionaries the test
fills: ``fake_uow(contributions={...}, vouchers=[...])`` gives a ``FakeUnitOfWork`` (the
devkit's) that records what the handler published, audited and committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from suxin_common.facts import Fact
from suxin_devkit.testing.uow import FakeUnitOfWork
from training_vouchers.adapters.hire_writes import Outcome
from training_vouchers.adapters.repository import HireClaim
from training_vouchers.domain.appeals import Appeal, AppealStatus
from training_vouchers.domain.facts import BirthFacts, EnterpriseYear, MonthlyContribution
from training_vouchers.domain.model import CaseStatus, HireFacts, SubsidyCase
from training_vouchers.domain.payments import Payment
from training_vouchers.domain.startup_loan import LoanCase
from training_vouchers.domain.training import Occupation, Voucher, VoucherStatus


@dataclass
class Store:
    """What the fake repositories hold."""

    facts: dict[str, list[Fact]] = field(default_factory=dict)  # by person key
    locked: list[str] = field(default_factory=list)  # subjects locked, in order
    claims: dict[uuid.UUID, HireClaim] = field(default_factory=dict)
    contributions: dict[tuple[str, str], list[MonthlyContribution]] = field(
        default_factory=dict
    )  # by (enterprise USCC, person key)
    cases: dict[uuid.UUID, SubsidyCase] = field(default_factory=dict)
    vouchers: dict[uuid.UUID, Voucher] = field(default_factory=dict)
    occupations: dict[str, Occupation] = field(default_factory=dict)  # as in force, by code
    loans: dict[uuid.UUID, tuple[LoanCase, str | None]] = field(default_factory=dict)
    payments: dict[uuid.UUID, Payment] = field(default_factory=dict)
    appeals: dict[uuid.UUID, Appeal] = field(default_factory=dict)
    ends: dict[uuid.UUID, tuple[str, str, date]] = field(default_factory=dict)  # by hire id
    births: list[BirthFacts] = field(default_factory=list)
    enterprise_years: list[EnterpriseYear] = field(default_factory=list)


class _Fake:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.uow: FakeUnitOfWork[Any]  # bound by fake_uow


class FakeFacts(_Fake):
    async def lock_subject(self, key: str) -> None:
        self.store.locked.append(key)

    async def about_person(self, person_key: str) -> list[Fact]:
        return list(self.store.facts.get(person_key, []))

    async def keep(self, fact: Fact, at: datetime) -> bool:
        held = self.store.facts.setdefault(fact.person_key or fact.enterprise_uscc or "", [])
        kept = next((f for f in held if f.fact_key == fact.fact_key), None)
        if kept is not None and kept.version >= fact.version:
            return False
        held[:] = [f for f in held if f.fact_key != fact.fact_key] + [fact]
        return True


class FakeHireClaims(_Fake):
    async def record(self, hire: HireFacts, at: datetime) -> None:
        claim = self.store.claims.get(hire.hire_id)
        if claim is None:
            self.store.claims[hire.hire_id] = HireClaim(hire, None, None)
        elif claim.hire is None:  # a confirmation that arrived first keeps its mark
            self.store.claims[hire.hire_id] = HireClaim(
                hire, claim.confirmed_by, claim.confirmed_at
            )

    async def get(self, hire_id: uuid.UUID) -> HireClaim | None:
        return self.store.claims.get(hire_id)

    async def confirm(
        self,
        hire_id: uuid.UUID,
        *,
        enterprise_uscc: str,
        person_key: str,
        start_date: date,
        by: str,
        at: datetime,
    ) -> bool:
        claim = self.store.claims.get(hire_id)
        if claim is not None and claim.confirmed_by is not None:
            return False
        self.store.claims[hire_id] = HireClaim(claim.hire if claim else None, by, at)
        return True


class FakeEmployment(_Fake):
    async def record_end(
        self,
        hire_id: uuid.UUID,
        enterprise_uscc: str,
        person_key: str,
        ended_on: date,
        at: datetime,
    ) -> bool:
        if hire_id in self.store.ends:
            return False
        self.store.ends[hire_id] = (enterprise_uscc, person_key, ended_on)
        return True

    async def ended_on(self, enterprise_uscc: str, person_key: str, since: date) -> date | None:
        ends = [
            on
            for uscc, key, on in self.store.ends.values()
            if (uscc, key) == (enterprise_uscc, person_key) and on >= since
        ]
        return min(ends, default=None)

    async def record_birth(self, birth: BirthFacts, at: datetime) -> bool:
        order = (birth.person_key, birth.child_order)
        if any((b.person_key, b.child_order) == order for b in self.store.births):
            return False
        self.store.births.append(birth)
        return True

    async def births_of(self, person_key: str) -> list[BirthFacts]:
        return [b for b in self.store.births if b.person_key == person_key]

    async def record_enterprise_year(self, year: EnterpriseYear, at: datetime) -> None:
        self.store.enterprise_years.append(year)


class FakeContributions(_Fake):
    async def of(self, enterprise_uscc: str, person_key: str) -> list[MonthlyContribution]:
        months = self.store.contributions.get((enterprise_uscc, person_key), [])
        return sorted(months, key=lambda c: c.month)

    async def record(
        self, enterprise_uscc: str, person_key: str, month: MonthlyContribution, at: datetime
    ) -> None:
        months = self.store.contributions.setdefault((enterprise_uscc, person_key), [])
        months[:] = [c for c in months if c.month != month.month] + [month]


class FakeCases(_Fake):
    async def add(self, case: SubsidyCase) -> bool:
        once = (case.rule_family, case.subject_key, case.occasion)
        taken = any(
            (c.rule_family, c.subject_key, c.occasion) == once for c in self.store.cases.values()
        )
        if taken:
            return False
        self.store.cases[case.id] = case
        return True

    async def get(self, case_id: uuid.UUID, *, lock: bool = False) -> SubsidyCase | None:
        return self.store.cases.get(case_id)

    async def save(self, case: SubsidyCase) -> bool:
        stored = self.store.cases.get(case.id)
        if stored is None or stored.version != case.version - 1:
            return False
        self.store.cases[case.id] = case
        return True

    async def awaiting_of_person(
        self, person_key: str, enterprise_uscc: str | None = None
    ) -> list[SubsidyCase]:
        return [
            c
            for c in self.store.cases.values()
            if c.person_key == person_key
            and c.status is CaseStatus.AWAITING_DATA
            and enterprise_uscc in (None, c.enterprise_uscc)
        ]

    async def open_on_hire(
        self,
        hire: HireFacts,
        cases: Sequence[SubsidyCase],
        audit_entries: Sequence[Mapping[str, Any]],
    ) -> Outcome:
        ok = not self.store.contributions.get((hire.enterprise_uscc, hire.person_key))
        inserted = [str(case.id) for case in cases if ok and await self.add(case)]
        # The statement's audit rows go in only if every case did.
        audited = ok and len(cases) > 0 and len(inserted) == len(cases)
        if audited:
            await self.uow.append_audit(audit_entries)
        certified = any(
            v.person_key == hire.person_key
            and v.status is VoucherStatus.CERTIFIED
            and v.outcome is None
            for v in self.store.vouchers.values()
        )
        return Outcome(ok, frozenset(inserted), audited, certified)


class FakeVouchers(_Fake):
    async def add(self, voucher: Voucher, resident_id_ciphertext: str) -> bool:
        held = (voucher.person_key, voucher.occupation_code)
        if any((v.person_key, v.occupation_code) == held for v in self.store.vouchers.values()):
            return False
        self.store.vouchers[voucher.id] = voucher
        return True

    async def get(self, voucher_id: uuid.UUID, *, lock: bool = False) -> Voucher | None:
        return self.store.vouchers.get(voucher_id)

    async def occupation(self, code: str, on: date) -> Occupation | None:
        return self.store.occupations.get(code)

    async def certified_of(self, person_key: str) -> list[Voucher]:
        return [
            v
            for v in self.store.vouchers.values()
            if v.person_key == person_key
            and v.status is VoucherStatus.CERTIFIED
            and v.outcome is None
        ]

    async def save(self, voucher: Voucher) -> bool:
        stored = self.store.vouchers.get(voucher.id)
        if stored is None or stored.version != voucher.version - 1:
            return False
        self.store.vouchers[voucher.id] = voucher
        return True


class FakeLoans(_Fake):
    async def add(
        self,
        case: LoanCase,
        *,
        person_key: str | None,
        city_code: str | None,
        district_code: str | None,
    ) -> bool:
        loan_id = case.application.loan_id
        if any(c.application.loan_id == loan_id for c, _ in self.store.loans.values()):
            return False
        self.store.loans[case.id] = (case, district_code or city_code)
        return True

    async def get(
        self, case_id: uuid.UUID, *, lock: bool = False
    ) -> tuple[LoanCase, str | None] | None:
        return self.store.loans.get(case_id)

    async def save(self, case: LoanCase) -> bool:
        stored = self.store.loans.get(case.id)
        if stored is None or stored[0].version != case.version - 1:
            return False
        self.store.loans[case.id] = (case, stored[1])
        return True


class FakePayments(_Fake):
    async def add(self, payment: Payment) -> None:
        self.store.payments[payment.id] = payment

    async def save(self, payment: Payment) -> None:
        self.store.payments[payment.id] = payment

    async def of_case(self, case_id: uuid.UUID) -> list[Payment]:
        return sorted(
            (p for p in self.store.payments.values() if p.case_id == case_id),
            key=lambda p: p.attempt,
        )


class FakeAppeals(_Fake):
    async def add(self, appeal: Appeal, attachments: list[Any]) -> bool:
        open_ = any(
            a.case_id == appeal.case_id and a.status is AppealStatus.SUBMITTED
            for a in self.store.appeals.values()
        )
        if open_:
            return False
        self.store.appeals[appeal.id] = appeal
        return True

    async def get(self, appeal_id: uuid.UUID, *, lock: bool = False) -> Appeal | None:
        return self.store.appeals.get(appeal_id)

    async def save(self, appeal: Appeal) -> None:
        self.store.appeals[appeal.id] = appeal


class FakeRepositories:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.facts = FakeFacts(store)
        self.hire_claims = FakeHireClaims(store)
        self.contributions = FakeContributions(store)
        self.employment = FakeEmployment(store)
        self.cases = FakeCases(store)
        self.vouchers = FakeVouchers(store)
        self.loans = FakeLoans(store)
        self.payments = FakePayments(store)
        self.appeals = FakeAppeals(store)


def fake_uow(
    *,
    facts: Iterable[Fact] = (),
    contributions: Mapping[tuple[str, str], list[MonthlyContribution]] | None = None,
    vouchers: Iterable[Voucher] = (),
    occupations: Iterable[Occupation] = (),
) -> FakeUnitOfWork[FakeRepositories]:
    store = Store(
        contributions=dict(contributions or {}), occupations={o.code: o for o in occupations}
    )
    for f in facts:
        store.facts.setdefault(f.person_key or "", []).append(f)
    store.vouchers = {v.id: v for v in vouchers}
    repos = FakeRepositories(store)
    uow = FakeUnitOfWork(repos, source="/suxin/training-vouchers")
    for fake in vars(repos).values():
        if isinstance(fake, _Fake):
            fake.uow = uow
    return uow
