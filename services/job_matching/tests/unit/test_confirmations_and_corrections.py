"""录用确认 and 更正请求 handlers through the in-memory unit of work: a hire made real by the
person or by 社保, the enterprise flags the lists set, and a person's correction request with
staff's decision. The statements themselves are covered by the integration tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from job_matching.domain.corrections import CorrectionStatus
from job_matching.handlers import confirmations, corrections
from suxin_common.auth import Principal, Role, Tenant
from suxin_common.errors import Conflict, NotFound, RuleViolation
from suxin_common.facts import Fact, Source

from .fakes import ACME, fake_uow, hire_row, seeker_row

START = date(2026, 11, 24)
AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
PERSON = Principal("person-1", frozenset({Role.SEEKER}), person_key="pk_person_1")
STAFF = Principal("staff-1", frozenset({Role.HRSS_STAFF}), Tenant(district="321002"))


def declared_hire(seeker, **changes):
    values = {
        "id": uuid.uuid4(),
        "enterprise_uscc": ACME.uscc,
        "seeker_id": seeker.id,
        "job_post_id": uuid.uuid4(),
        "start_date": START,
        "contract_type": "fixed_term",
        "contract_months": 36,
        "monthly_wage_fen": 750000,
        "snapshot": {"job_kind": "full_time"},
    }
    return hire_row(**(values | changes))


def enrolment(person_key: str, uscc: str = ACME.uscc, *, version: int = 1, **value) -> Fact:
    return Fact(
        fact_key=f"si:{person_key}:{uscc}",
        version=version,
        kind="social_insurance_enrolment",
        source=Source.SOCIAL_INSURANCE,
        as_of=START,
        person_key=person_key,
        enterprise_uscc=uscc,
        evidence_ref="si-2026-11-0001",
        value=value,
    )


async def test_the_person_confirms_a_hire_it_is_announced_and_audited():
    seeker = seeker_row(account_subject=PERSON.subject)
    hire = declared_hire(seeker)
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], hires=[hire])

    await confirmations.answer_hire(
        uow, hire.id, confirmed=True, account_subject=PERSON.subject, principal=PERSON
    )

    assert uow.commits == 1
    [confirmed] = uow.events_named("HireConfirmed")
    assert (confirmed.hire_id, confirmed.person_key) == (str(hire.id), seeker.person_key)
    assert uow.repos.store.hires[hire.id].confirmed_by == "person"
    [entry] = uow.audit_entries
    assert (entry["action"], entry["object_id"], entry["details"]) == (
        confirmations.ANSWER_HIRE,
        str(hire.id),
        {"enterprise_uscc": ACME.uscc, "confirmed": True},
    )


async def test_a_denied_hire_is_marked_audited_and_not_announced():
    seeker = seeker_row(account_subject=PERSON.subject)
    hire = declared_hire(seeker)
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], hires=[hire])

    await confirmations.answer_hire(
        uow, hire.id, confirmed=False, account_subject=PERSON.subject, principal=PERSON
    )

    assert uow.published == []
    assert uow.repos.store.hires[hire.id].denied_at is not None
    assert [e["details"]["confirmed"] for e in uow.audit_entries] == [False]


async def test_only_the_person_answers_and_only_once():
    seeker = seeker_row(account_subject=PERSON.subject)
    hire = declared_hire(seeker, confirmed_by="offer_accepted")
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], hires=[hire])

    with pytest.raises(NotFound):
        await confirmations.answer_hire(
            uow, hire.id, confirmed=True, account_subject="someone-else", principal=PERSON
        )
    with pytest.raises(Conflict) as refused:
        await confirmations.answer_hire(
            uow, hire.id, confirmed=True, account_subject=PERSON.subject, principal=PERSON
        )

    assert refused.value.extra == {"confirmation": "confirmed"}
    assert uow.published == [] and uow.audit_entries == [] and uow.commits == 0


async def test_social_insurance_enrolment_confirms_the_open_hires_with_that_employer_once():
    seeker = seeker_row()
    here, elsewhere = declared_hire(seeker), declared_hire(seeker, enterprise_uscc="91320100X")
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], hires=[here, elsewhere])
    fact = enrolment(seeker.person_key)

    for _ in range(2):  # the same fact delivered again changes nothing
        async with uow:
            await confirmations.on_fact_verified(uow, fact, clock=lambda: AT)
            await uow.commit()

    [confirmed] = uow.events_named("HireConfirmed")
    assert confirmed.hire_id == str(here.id) and confirmed.evidence_ref == "si-2026-11-0001"
    assert uow.repos.store.hires[here.id].confirmed_by == "social_insurance"
    assert uow.repos.store.hires[elsewhere.id].confirmed_by is None
    assert uow.repos.store.locked == [seeker.person_key, seeker.person_key]


async def test_an_enrolment_that_ended_before_the_hire_does_not_confirm_it():
    seeker = seeker_row()
    hire = declared_hire(seeker)
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], hires=[hire])

    async with uow:
        fact = enrolment(seeker.person_key, ended_on="2026-10-31")
        await confirmations.on_fact_verified(uow, fact, clock=lambda: AT)
        await uow.commit()

    assert uow.published == [] and uow.repos.store.hires[hire.id].confirmed_by is None


async def test_the_industry_list_sets_an_enterprise_flag_and_a_revocation_clears_it():
    uow = fake_uow(enterprises=[ACME])
    listed = Fact(
        fact_key=f"gx:{ACME.uscc}",
        version=1,
        kind="little_giant",
        source=Source.INDUSTRY,
        as_of=START,
        enterprise_uscc=ACME.uscc,
    )

    async with uow:
        await confirmations.on_fact_verified(uow, listed, clock=lambda: AT)
        await uow.commit()
    assert uow.repos.store.enterprises[ACME.uscc].little_giant is True

    revoked = Fact(**(vars(listed) | {"version": 2, "revoked": True}))
    async with uow:
        await confirmations.on_fact_verified(uow, revoked, clock=lambda: AT)
        await uow.commit()
    assert uow.repos.store.enterprises[ACME.uscc].little_giant is False
    assert uow.published == []


# --- 更正请求 ---------------------------------------------------------------------------------


async def test_a_correction_request_is_stored_pending_and_audited():
    seeker = seeker_row(person_key=PERSON.person_key)
    uow = fake_uow(seekers=[seeker])

    row = await corrections.request(
        uow, PERSON, PERSON.person_key, "education", "master", "毕业证书已更新"
    )

    assert (row.field, row.requested_value, row.status) == ("education", "master", "pending")
    assert row.district_code == seeker.district_code
    [entry] = uow.audit_entries
    assert (entry["action"], entry["object_id"]) == (corrections.REQUEST_CORRECTION, str(seeker.id))
    assert entry["details"] == {"correction_id": str(row.id), "field": "education"}
    assert uow.commits == 1 and uow.published == []


async def test_a_request_needs_a_correctable_field_a_valid_value_and_a_profile():
    uow = fake_uow()
    with pytest.raises(RuleViolation) as refused:
        await corrections.request(uow, PERSON, PERSON.person_key, "person_key", "x", "因为")
    assert refused.value.field == "field"
    with pytest.raises(RuleViolation) as refused:
        await corrections.request(uow, PERSON, PERSON.person_key, "education", "phd?", "因为")
    assert refused.value.field == "requested_value"
    with pytest.raises(Conflict) as refused:
        await corrections.request(uow, PERSON, PERSON.person_key, "education", "master", "因为")
    assert refused.value.code == "seeker-profile-missing"
    assert uow.audit_entries == [] and uow.repos.store.corrections == {}


async def test_an_accepted_correction_changes_the_profile_once():
    seeker = seeker_row(person_key=PERSON.person_key, education="bachelor")
    uow = fake_uow(seekers=[seeker])
    asked = await corrections.request(
        uow, PERSON, PERSON.person_key, "education", "master", "毕业证书已更新"
    )

    decided = await corrections.decide(uow, STAFF, asked.id, True, "已核实")

    assert (decided.status, decided.decided_by, decided.decision_note) == (
        CorrectionStatus.ACCEPTED.value,
        STAFF.subject,
        "已核实",
    )
    assert uow.repos.store.seekers[seeker.id].education == "master"
    assert [e["action"] for e in uow.audit_entries] == [
        corrections.REQUEST_CORRECTION,
        corrections.DECIDE_CORRECTION,
    ]
    assert uow.audit_entries[-1]["details"]["outcome"] == "accepted"
    with pytest.raises(Conflict) as refused:
        await corrections.decide(uow, STAFF, asked.id, False, "")
    assert refused.value.code == "already-decided"
    with pytest.raises(NotFound):
        await corrections.decide(uow, STAFF, uuid.uuid4(), True, "")
    assert len(uow.audit_entries) == 2


async def test_a_rejected_correction_leaves_the_profile_as_it_was():
    seeker = seeker_row(person_key=PERSON.person_key, education="bachelor")
    uow = fake_uow(seekers=[seeker])
    asked = await corrections.request(
        uow, PERSON, PERSON.person_key, "education", "master", "毕业证书已更新"
    )

    decided = await corrections.decide(uow, STAFF, asked.id, False, "证书无法核实")

    assert decided.status == CorrectionStatus.REJECTED.value
    assert uow.repos.store.seekers[seeker.id].education == "bachelor"
