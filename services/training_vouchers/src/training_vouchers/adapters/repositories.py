"""Training-vouchers' repositories, one per aggregate, as a unit of work carries them
(``uow.repos``).

Handlers take ``uow: Work[Repositories]`` (``suxin_common.db.Work``) and load and write through
these; ``tests/unit/fakes.py`` keeps the same methods in memory, so handlers are unit tested
without PostgreSQL. Each repository reaches the transaction through the unit of work
(``uow.session``, or the driver connection for the hire's fast path); the row-level queries stay
in :mod:`training_vouchers.adapters.repository` and its siblings (shared with the read-only
routes). Handlers not yet moved over still call those with ``uow.session``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from suxin_common import facts
from suxin_common.attachments import Attachment
from suxin_common.db import Repository, UnitOfWork, Work
from suxin_common.facts import Fact
from suxin_common.security import audit
from training_vouchers.adapters import calendar_repository as calendar_rows
from training_vouchers.adapters import hire_writes
from training_vouchers.adapters import loan_repository as loan_rows
from training_vouchers.adapters import money_repository as money_rows
from training_vouchers.adapters import repository as rows
from training_vouchers.adapters import training_repository as training_rows
from training_vouchers.domain.appeals import Appeal
from training_vouchers.domain.facts import BirthFacts, EnterpriseYear, MonthlyContribution
from training_vouchers.domain.model import HireFacts, SubsidyCase
from training_vouchers.domain.payments import Payment
from training_vouchers.domain.startup_loan import LoanCase
from training_vouchers.domain.training import Occupation, Voucher, VoucherStatus
from training_vouchers.domain.working_days import YearSchedule


class FactRepository(Repository):
    """What departments stated about a person (verified facts, the kit's table)."""

    async def lock_subject(self, key: str) -> None:
        """Serialise this person's (or enterprise's) deciding handlers until COMMIT (facts and
        confirmations arriving meanwhile wait for the decision)."""
        await facts.lock_subject(self.session, key)

    async def about_person(self, person_key: str) -> list[Fact]:
        return await facts.facts_about(self.session, person_key=person_key)

    async def keep(self, fact: Fact, at: datetime) -> bool:
        """Keep the newest version of the fact; False if it is not newer than the one kept."""
        return await facts.keep_fact(self.session, fact, at)


class HireClaimRepository(Repository):
    """Hires as their enterprise declared them, and who confirmed them."""

    async def record(self, hire: HireFacts, at: datetime) -> None:
        """Keep the declared hire (a confirmation that arrived first keeps its mark)."""
        await rows.record_hire_claim(self.session, hire, at)

    async def get(self, hire_id: uuid.UUID) -> rows.HireClaim | None:
        return await rows.hire_claim(self.session, hire_id)

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
        """Mark the hire confirmed (kept even if its declaration has not arrived yet); False
        if it already was."""
        return await rows.confirm_hire_claim(
            self.session,
            hire_id,
            enterprise_uscc=enterprise_uscc,
            person_key=person_key,
            start_date=start_date,
            by=by,
            at=at,
        )


class EmploymentRepository(Repository):
    """What the service knows of a person's employment beyond the hire: its end, births,
    and the enterprise's figures by year."""

    async def record_end(
        self,
        hire_id: uuid.UUID,
        enterprise_uscc: str,
        person_key: str,
        ended_on: date,
        at: datetime,
    ) -> bool:
        """False if this hire's end was already recorded (a redelivery)."""
        return await rows.record_employment_end(
            self.session, hire_id, enterprise_uscc, person_key, ended_on, at
        )

    async def ended_on(self, enterprise_uscc: str, person_key: str, since: date) -> date | None:
        """The first end of the person's employment at this enterprise on or after ``since``."""
        return await rows.employment_ended_on(self.session, enterprise_uscc, person_key, since)

    async def record_birth(self, birth: BirthFacts, at: datetime) -> bool:
        """False if this child order was already recorded for this person."""
        return await rows.record_birth(self.session, birth, at)

    async def births_of(self, person_key: str) -> list[BirthFacts]:
        return await rows.births_of(self.session, person_key)

    async def record_enterprise_year(self, year: EnterpriseYear, at: datetime) -> None:
        await rows.record_enterprise_year(self.session, year, at)


class ContributionRepository(Repository):
    """Social-insurance contributions an enterprise paid for a person, by month."""

    async def of(self, enterprise_uscc: str, person_key: str) -> list[MonthlyContribution]:
        return await rows.contributions_of(self.session, enterprise_uscc, person_key)

    async def record(
        self, enterprise_uscc: str, person_key: str, month: MonthlyContribution, at: datetime
    ) -> None:
        """Insert or correct one month (the social-insurance system may report it again)."""
        await rows.record_contribution(self.session, enterprise_uscc, person_key, month, at)


class CaseRepository(Repository):
    """Subsidy cases (补贴案件)."""

    async def add(self, case: SubsidyCase) -> bool:
        """Insert; False if the family already has a case for this subject and occasion."""
        return await rows.add_case(self.session, case)

    async def get(self, case_id: uuid.UUID, *, lock: bool = False) -> SubsidyCase | None:
        """The case (locked to COMMIT if ``lock``), or None."""
        return await rows.get_case(self.session, case_id, for_update=lock)

    async def save(self, case: SubsidyCase) -> bool:
        """Write a changed case if nobody changed it meanwhile (version ``case.version - 1``)."""
        return await rows.save_case(self.session, case)

    async def awaiting_of_person(
        self, person_key: str, enterprise_uscc: str | None = None
    ) -> list[SubsidyCase]:
        """The person's cases (at this enterprise, if given) waiting for data."""
        return await rows.awaiting_cases_of_person(self.session, person_key, enterprise_uscc)

    async def open_on_hire(
        self,
        hire: HireFacts,
        cases: Sequence[SubsidyCase],
        audit_entries: Sequence[Mapping[str, Any]],
    ) -> hire_writes.Outcome:
        """The hire's fast path, ONE statement (:mod:`training_vouchers.adapters.hire_writes`):
        the cases evaluated assuming the person has no contributions at this enterprise, and
        their audit entries (one per case, chained here), inserted only if that is so; whether
        the person holds a certified voucher without an outcome. The audit chain is claimed
        once per transaction (a consumer batch)."""
        audits = audit.chained(await audit.claim_chain(self._uow), audit_entries)
        outcome = await hire_writes.insert_hire_cases(
            self.session,
            enterprise_uscc=hire.enterprise_uscc,
            person_key=hire.person_key,
            certified_status=VoucherStatus.CERTIFIED.value,
            cases=cases,
            audits=audits,
        )
        if outcome.audited:
            audit.advanced(self._uow, audits)
        return outcome


class VoucherRepository(Repository):
    """Training vouchers (培训券)."""

    async def add(self, voucher: Voucher, resident_id_ciphertext: str) -> bool:
        """Insert; False if the person already holds a voucher for this occupation."""
        return await training_rows.add_voucher(self.session, voucher, resident_id_ciphertext)

    async def get(self, voucher_id: uuid.UUID, *, lock: bool = False) -> Voucher | None:
        """The voucher (locked to COMMIT if ``lock``), or None."""
        return await training_rows.get_voucher(self.session, voucher_id, for_update=lock)

    async def occupation(self, code: str, on: date) -> Occupation | None:
        """The occupation as its subsidy table stands on ``on`` (approved versions only)."""
        return await training_rows.get_occupation(self.session, code, on)

    async def certified_of(self, person_key: str) -> list[Voucher]:
        """The person's certified vouchers without an outcome yet, locked."""
        return await training_rows.certified_vouchers_of(self.session, person_key)

    async def save(self, voucher: Voucher) -> bool:
        """Write a changed voucher if nobody changed it meanwhile (version - 1)."""
        return await training_rows.save_voucher(self.session, voucher)


class LoanRepository(Repository):
    """创业担保贷款 cases."""

    async def add(
        self,
        case: LoanCase,
        *,
        person_key: str | None,
        city_code: str | None,
        district_code: str | None,
    ) -> bool:
        """Insert; False if a case for this loan id exists already."""
        return await loan_rows.add(
            self.session,
            case,
            person_key=person_key,
            city_code=city_code,
            district_code=district_code,
        )

    async def get(
        self, case_id: uuid.UUID, *, lock: bool = False
    ) -> tuple[LoanCase, str | None] | None:
        """(the case, its district or city code), locked to COMMIT if ``lock``; or None."""
        return await loan_rows.get(self.session, case_id, for_update=lock)

    async def save(self, case: LoanCase) -> bool:
        """Write a changed case if nobody changed it meanwhile (version - 1)."""
        return await loan_rows.save(self.session, case)


class HolidayScheduleRepository(Repository):
    """The State Council's holiday schedules (调休) staff loaded, by year."""

    async def save(self, schedule: YearSchedule, *, at: datetime, by: str) -> int:
        """Store (or correct) the year's schedule; its version."""
        return await calendar_rows.save_schedule(self.session, schedule, at=at, by=by)

    async def all(self) -> list[YearSchedule]:
        return await calendar_rows.schedules(self.session)

    async def provisional_open_cases(self) -> list[SubsidyCase]:
        """Open cases whose review deadline was counted without an official schedule."""
        return await calendar_rows.provisional_open_cases(self.session)


class PaymentRepository(Repository):
    """Payments of approved cases, the batches they go to the bank in, and the bank's result
    files (docs/money.md)."""

    async def add(self, payment: Payment) -> None:
        await money_rows.add_payment(self.session, payment)

    async def save(self, payment: Payment) -> None:
        await money_rows.save_payment(self.session, payment)

    async def of_case(self, case_id: uuid.UUID) -> list[Payment]:
        """The case's payment attempts, oldest first."""
        return await money_rows.payments_of_case(self.session, case_id)

    async def queued(self, payer_account: str) -> list[Payment]:
        """The queued payments of this payer account, locked (others' locked ones skipped)."""
        return await money_rows.queued_payments(self.session, payer_account)

    async def of_batch(self, batch_id: uuid.UUID, *, lock: bool = False) -> list[Payment]:
        return await money_rows.payments_of_batch(self.session, batch_id, for_update=lock)

    async def add_batch(self, **values: Any) -> None:
        await money_rows.add_batch(self.session, **values)

    async def batch(self, batch_id: uuid.UUID, *, lock: bool = False) -> dict | None:
        return await money_rows.get_batch(self.session, batch_id, for_update=lock)

    async def update_batch(self, batch_id: uuid.UUID, **values: Any) -> None:
        await money_rows.update_batch(self.session, batch_id, **values)

    async def batches_on(self, payer_account: str, day: date) -> int:
        """How many batches this payer account made on ``day``."""
        return await money_rows.batches_on(self.session, payer_account, day)

    async def add_result_file(self, **values: Any) -> bool:
        """Keep a result file; False if this batch already has exactly this file."""
        return await money_rows.add_result_file(self.session, **values)

    async def result_file_summary(self, batch_id: uuid.UUID, sha256: str) -> dict | None:
        """What this very file did when it was applied, if it was."""
        return await money_rows.result_file_summary(self.session, batch_id, sha256)


class AppealRepository(Repository):
    """复核: appeals against a case's decision, with their attachments."""

    async def add(self, appeal: Appeal, attachments: list[Attachment]) -> bool:
        """Insert; False if the case has an open appeal already."""
        return await money_rows.add_appeal(self.session, appeal, attachments)

    async def get(self, appeal_id: uuid.UUID, *, lock: bool = False) -> Appeal | None:
        return await money_rows.get_appeal(self.session, appeal_id, for_update=lock)

    async def save(self, appeal: Appeal) -> None:
        await money_rows.save_appeal(self.session, appeal)


class SubsidyTableRepository(Repository):
    """Versions of an occupation's subsidy table (补贴标准), in force once approved."""

    async def propose(
        self, occupation: Occupation, *, effective_from: date, by: str, at: datetime
    ) -> int:
        """Insert a proposed version (the next number for the code); its number."""
        return await money_rows.add_occupation_version(
            self.session, occupation, effective_from=effective_from, by=by, at=at
        )

    async def set_status(
        self,
        code: str,
        version: int,
        status: str,
        *,
        approval_id: uuid.UUID,
        approved_by: str | None,
    ) -> None:
        await money_rows.set_version_status(
            self.session, code, version, status, approval_id=approval_id, approved_by=approved_by
        )


class Repositories:
    """What ``uow.repos`` holds in training-vouchers (``build_service_app(repositories=...)``)."""

    def __init__(self, uow: UnitOfWork[Any]) -> None:
        self.facts = FactRepository(uow)
        self.hire_claims = HireClaimRepository(uow)
        self.contributions = ContributionRepository(uow)
        self.employment = EmploymentRepository(uow)
        self.cases = CaseRepository(uow)
        self.vouchers = VoucherRepository(uow)
        self.loans = LoanRepository(uow)
        self.holiday_schedules = HolidayScheduleRepository(uow)
        self.payments = PaymentRepository(uow)
        self.appeals = AppealRepository(uow)
        self.subsidy_tables = SubsidyTableRepository(uow)


# What a training-vouchers handler receives.
Uow = Work[Repositories]
