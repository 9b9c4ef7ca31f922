"""Recording a hire (录用), through the in-memory unit of work: what is refused, what is
published and audited. The statements themselves are covered by the integration tests."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from job_matching import handlers
from job_matching.domain import commands
from job_matching.domain.model import (
    Actor,
    ContractType,
    HireConfirmation,
    PostStatus,
    SeparationReason,
)
from suxin_common.auth import Principal, Role, Tenant
from suxin_common.errors import Conflict, NotFound, RuleViolation

from .fakes import ACME, application_row, fake_uow, hire_row, post, seeker_row

TODAY = date(2026, 11, 24)
ENTERPRISE = Actor(uscc=ACME.uscc)
PRINCIPAL = Principal("acme-hr", frozenset({Role.ENTERPRISE}), Tenant(uscc=ACME.uscc))


def hire_of(seeker, job_post, **changes) -> commands.RecordHire:
    cmd = commands.RecordHire(
        enterprise_uscc=ACME.uscc,
        seeker_id=seeker.id,
        job_post_id=job_post.id,
        start_date=TODAY,
        contract_type=ContractType.FIXED_TERM,
        contract_months=36,
        monthly_wage_fen=750000,
    )
    return replace(cmd, **changes)


async def record(uow, cmd, actor=ENTERPRISE):
    return await handlers.record_hire(uow, cmd, actor, PRINCIPAL, today=TODAY)


async def test_a_hire_is_recorded_counted_published_and_audited():
    seeker, job_post = seeker_row(), post(headcount=2)
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post])

    hire = await record(uow, hire_of(seeker, job_post))

    assert (hire.seeker_id, hire.job_post_id, hire.confirmed_by) == (seeker.id, job_post.id, None)
    assert uow.commits == 1
    [recorded] = uow.events_named("HireRecorded")
    assert (recorded.hire_id, recorded.person_key) == (str(hire.id), seeker.person_key)
    # Born 2001-12-31, starting 2026-11-24: 24 to the day (the year alone would say 25).
    assert (recorded.birth_year, recorded.age_at_start) == (2001, 24)
    assert [e.type_name for e in uow.published] == ["HireRecorded"]
    [entry] = uow.audit_entries
    assert (entry["action"], entry["object_id"], entry["actor"]) == (
        handlers.RECORD_HIRE,
        str(hire.id),
        "acme-hr",
    )
    assert entry["details"]["job_post_id"] == str(job_post.id)
    assert uow.repos.store.posts[job_post.id].hired == 1


async def test_the_last_place_fills_the_post_and_closes_it():
    seeker, job_post = seeker_row(), post(headcount=1)
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post])

    await record(uow, hire_of(seeker, job_post))

    assert [e.type_name for e in uow.published] == ["HireRecorded", "JobPostClosed"]
    assert uow.repos.store.posts[job_post.id].status is PostStatus.FILLED


async def test_a_hire_the_rules_refuse_writes_nothing():
    seeker, job_post = seeker_row(), post()
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post])

    with pytest.raises(RuleViolation) as refused:
        await record(uow, hire_of(seeker, job_post, contract_type=ContractType.OPEN_ENDED))

    assert refused.value.field == "contract_months"
    assert (uow.commits, uow.published, uow.audit_entries) == (0, [], [])
    assert uow.repos.store.hires == {}


async def test_a_full_post_takes_no_more_hires():
    seeker, job_post = seeker_row(), post(headcount=1, hired=1)
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post])

    with pytest.raises(RuleViolation) as refused:
        await record(uow, hire_of(seeker, job_post))

    assert refused.value.field == "job_post_id"
    assert (uow.commits, uow.published) == (0, [])


async def test_the_same_hire_twice_is_a_conflict():
    seeker, job_post = seeker_row(), post(headcount=5)
    earlier = hire_row(
        id=uuid.uuid4(),
        enterprise_uscc=ACME.uscc,
        seeker_id=seeker.id,
        job_post_id=job_post.id,
        start_date=TODAY,
        contract_type="fixed_term",
        contract_months=36,
        monthly_wage_fen=750000,
        snapshot={"job_kind": "full_time"},
    )
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post], hires=[earlier])

    with pytest.raises(Conflict, match="already hired"):
        await record(uow, hire_of(seeker, job_post))

    assert (uow.commits, uow.published, uow.audit_entries) == (0, [], [])


async def test_an_accepted_offer_confirms_the_hire_at_once():
    seeker, job_post = seeker_row(), post()
    offer = application_row(seeker, job_post, "accepted")
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post], applications=[offer])

    hire = await record(uow, hire_of(seeker, job_post, application_id=offer.id))

    assert hire.confirmed_by is HireConfirmation.OFFER_ACCEPTED
    assert [e.type_name for e in uow.published] == ["HireRecorded", "HireConfirmed"]
    [confirmed] = uow.events_named("HireConfirmed")
    assert (confirmed.hire_id, confirmed.person_key) == (str(hire.id), seeker.person_key)
    assert uow.repos.store.applications[offer.id].status == "hired"


async def test_a_person_employed_full_time_elsewhere_is_not_hired_full_time():
    seeker, job_post = seeker_row(), post()
    elsewhere = hire_row(
        id=uuid.uuid4(),
        enterprise_uscc="91320100000000001X",
        seeker_id=seeker.id,
        job_post_id=uuid.uuid4(),
        start_date=date(2025, 1, 1),
        contract_type="open_ended",
        contract_months=0,
        monthly_wage_fen=600000,
        snapshot={"job_kind": "full_time"},
    )
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post], hires=[elsewhere])

    with pytest.raises(Conflict) as refused:
        await record(uow, hire_of(seeker, job_post))

    assert refused.value.code == "already-employed-full-time"
    assert uow.published == []


async def test_another_enterprises_post_is_not_found():
    seeker, job_post = seeker_row(), post()
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post])
    stranger = Actor(uscc="91320100000000001X")

    with pytest.raises(NotFound):
        await record(uow, hire_of(seeker, job_post), actor=stranger)


async def test_a_separation_publishes_employment_ended_and_is_audited():
    seeker, job_post = seeker_row(), post()
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post])
    hire = await record(uow, hire_of(seeker, job_post))

    version = await handlers.record_separation(
        uow,
        commands.RecordSeparation(hire.id, TODAY, SeparationReason.RESIGNATION),
        ENTERPRISE,
        PRINCIPAL,
        today=TODAY,
    )

    assert version == 2
    assert [e.type_name for e in uow.published][-1] == "EmploymentEnded"
    assert uow.audit_entries[-1]["action"] == handlers.RECORD_SEPARATION
    with pytest.raises(Conflict, match="already ended"):
        await handlers.record_separation(
            uow,
            commands.RecordSeparation(hire.id, TODAY, SeparationReason.RESIGNATION),
            ENTERPRISE,
            PRINCIPAL,
            today=TODAY,
        )
