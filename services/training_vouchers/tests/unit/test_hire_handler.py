"""The HireRecorded handler through the in-memory unit of work: the cases a hire opens, what is
announced and audited, and the hires that open nothing (a redelivery, a hire no rule covers);
then how a waiting case moves on (a verified contribution, a confirmation)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from suxin_common.facts import fact_from_event
from suxin_devkit import factfeed
from training_vouchers import contracts, handlers
from training_vouchers.domain.model import CaseStatus, ContractType, KeyGroup
from training_vouchers.domain.training import (
    Eligibility,
    SkillLevel,
    TrainingKind,
    Voucher,
    VoucherStatus,
)

from .conftest import graduate_hire, paid_months
from .fakes import fake_uow

OPENED_AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def deliver(uow, hire, book, *, at=OPENED_AT) -> None:
    """What the subscription runner does: the handler in the unit of work, then commit."""
    async with uow:
        await handlers.on_hire_recorded(uow, hire, book=book, window_days=180, clock=lambda: at)
        await uow.commit()


async def test_a_graduate_hire_opens_its_case_announces_and_audits_it(book):
    hire = graduate_hire()
    uow = fake_uow()

    await deliver(uow, hire, book)

    [case] = uow.repos.store.cases.values()
    assert (case.rule_family, case.rule_id) == ("hiring_absorption", "job_expansion_youth")
    assert case.status is CaseStatus.AWAITING_DATA  # no contributions yet
    assert (case.hire_id, case.subject_key, case.occasion) == (
        hire.hire_id,
        hire.person_key,
        "once",
    )
    [opened] = uow.events_named("SubsidyCaseOpened")
    assert opened.case_id == str(case.id) and opened.awaiting_data
    [entry] = uow.audit_entries
    assert (entry["actor"], entry["action"], entry["object_id"]) == (
        "consumer:training-vouchers",
        "decide_subsidy",
        str(case.id),
    )
    assert entry["details"]["decision"] == "opened"
    assert entry["details"]["amount_fen"] == case.amount_fen
    assert hire.person_key not in str(entry)  # codes and amounts, no person key
    # The declared hire is kept, under the person's lock.
    assert uow.repos.store.claims[hire.hire_id].hire == hire
    assert uow.repos.store.locked == [hire.person_key]


async def test_a_redelivered_hire_opens_nothing_again(book):
    hire = graduate_hire()
    uow = fake_uow()
    await deliver(uow, hire, book)

    await deliver(uow, hire, book, at=datetime(2026, 3, 9, 2, tzinfo=UTC))
    # Another enterprise hiring the same person: the family is taken too.
    await deliver(
        uow, graduate_hire(hire_id=uuid.uuid4(), enterprise_uscc="91321000MA1YYYYY1X"), book
    )

    assert len(uow.repos.store.cases) == 1
    assert [e.type_name for e in uow.published] == ["SubsidyCaseOpened"]
    assert len(uow.audit_entries) == 1


async def test_a_hire_no_rule_covers_leaves_no_case_no_event_no_audit(book):
    hire = graduate_hire(key_groups=frozenset(), contract_type=ContractType.PART_TIME)
    uow = fake_uow()

    await deliver(uow, hire, book)

    assert uow.repos.store.cases == {}
    assert uow.published == [] and uow.audit_entries == []


async def test_a_hire_before_any_policy_version_is_kept_and_opens_nothing(book):
    hire = graduate_hire(start_date=date(2025, 3, 1))
    uow = fake_uow()

    await deliver(uow, hire, book)

    assert uow.repos.store.cases == {} and uow.published == []
    assert hire.hire_id in uow.repos.store.claims


async def test_contributions_on_record_take_the_general_path_with_the_same_effects(book):
    hire = graduate_hire()
    paid = {(hire.enterprise_uscc, hire.person_key): paid_months("2026-03")}
    uow = fake_uow(contributions=paid)

    await deliver(uow, hire, book)

    [case] = uow.repos.store.cases.values()
    assert case.inputs["unemployment_insurance_months"] == 1  # the month counted
    assert [e.type_name for e in uow.published] == ["SubsidyCaseOpened"]
    [entry] = uow.audit_entries
    assert (entry["object_id"], entry["details"]["decision"]) == (str(case.id), "opened")


async def test_a_certified_trainee_hired_within_the_window_has_the_outcome_employed(book):
    hire = graduate_hire()
    voucher = Voucher(
        id=uuid.uuid4(),
        person_key=hire.person_key,
        masked_resident_id="3210**********123X",
        occupation_code="4-04-05-04",
        training_kind=TrainingKind.EMPLOYMENT_SKILLS,
        target_level=SkillLevel.JUNIOR_WORKER,
        eligibility=Eligibility.COLLEGE_GRADUATE,
        amount_fen=150_000,
        valid_until=date(2026, 12, 31),
        city_code="3210",
        status=VoucherStatus.CERTIFIED,
        issued_at=datetime(2025, 9, 1, tzinfo=UTC),
        certified_on=date(2026, 1, 15),
        version=4,
    )
    uow = fake_uow(vouchers=[voucher])

    await deliver(uow, hire, book)

    stored = uow.repos.store.vouchers[voucher.id]
    assert (stored.outcome, stored.outcome_hire_id, stored.version) == ("employed", hire.hire_id, 5)
    assert sorted(e.type_name for e in uow.published) == [
        "SubsidyCaseOpened",
        "TrainingOutcomeRecorded",
    ]


# --- the hire's cases move on: facts from authority and confirmations ------------------------

EMPLOYER = {"pension": 128000, "medical": 64000, "unemployment": 4000, "work_injury": 3200}


async def verify(uow, book, *events, at=OPENED_AT) -> None:
    """What the FactVerified subscription does with each event: translate, handle, commit."""
    for event in events:
        async with uow:
            await handlers.on_fact_verified(
                uow, fact_from_event(event), book=book, clock=lambda: at
            )
            await uow.commit()


async def test_a_verified_contribution_starts_the_review_of_a_waiting_case(book):
    hire = graduate_hire(
        key_groups=frozenset({KeyGroup.COLLEGE_GRADUATE, KeyGroup.EMPLOYMENT_DIFFICULTY})
    )
    uow = fake_uow()
    await verify(uow, book, factfeed.education(hire.person_key, "bachelor", date(2025, 6, 30)))
    await deliver(uow, hire, book)
    [waiting] = uow.repos.store.cases.values()
    assert waiting.status is CaseStatus.AWAITING_DATA

    arrived = datetime(2026, 4, 10, 2, tzinfo=UTC)
    paid = factfeed.contribution(
        hire.person_key, hire.enterprise_uscc, date(2026, 3, 1), EMPLOYER, 84000
    )
    await verify(uow, book, paid, paid, at=arrived)  # the second delivery changes nothing

    [case] = uow.repos.store.cases.values()
    assert (case.id, case.status, case.review_started_at) == (
        waiting.id,
        CaseStatus.UNDER_REVIEW,
        arrived,
    )
    assert case.amount_fen == 150_000 and case.version == waiting.version + 1
    [started] = uow.events_named("SubsidyCaseReviewStarted")
    assert started.case_id == str(case.id) and started.amount_fen == 150_000
    assert [e["details"]["decision"] for e in uow.audit_entries] == ["opened", "re-evaluated"]
    assert uow.repos.store.contributions[(hire.enterprise_uscc, hire.person_key)][0].month == (
        "2026-03"
    )


async def test_a_hire_is_confirmed_once(book):
    hire = graduate_hire()
    uow = fake_uow()
    await deliver(uow, hire, book)
    confirmed = contracts.HireConfirmation(
        hire_id=hire.hire_id,
        enterprise_uscc=hire.enterprise_uscc,
        person_key=hire.person_key,
        start_date=hire.start_date,
        confirmed_by="person",
    )

    for _ in range(2):
        async with uow:
            await handlers.on_hire_confirmed(uow, confirmed, book=book, clock=lambda: OPENED_AT)
            await uow.commit()

    claim = uow.repos.store.claims[hire.hire_id]
    assert (claim.hire, claim.confirmed_by, claim.confirmed_at) == (hire, "person", OPENED_AT)
    assert uow.repos.store.locked == [hire.person_key, hire.person_key, hire.person_key]
