"""Training vouchers (培训券) through the in-memory unit of work: issued, redeemed at enrolment,
completed and certified (the subsidy released), each step announced and the money decisions
audited; a step the voucher's state forbids, or another institution's voucher, is refused."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from suxin_common.errors import Conflict, NotFound
from training_vouchers import handlers
from training_vouchers.domain.training import (
    Eligibility,
    Institution,
    Occupation,
    SkillLevel,
    TrainingKind,
    Voucher,
    VoucherProblem,
    VoucherStatus,
)

from .fakes import fake_uow

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
WELDER = Occupation(
    "6-18-02-04", "焊工", {"junior_worker": 150_000, "intermediate_worker": 200_000}
)
SCHOOL = Institution(uuid.uuid4(), "52321000MJ1234567A", "扬州技工学校", "3210", "321002")


def voucher(**changes) -> Voucher:
    values = {
        "id": uuid.uuid4(),
        "person_key": "pk_" + "1" * 32,
        "masked_resident_id": "3210**********123X",
        "occupation_code": WELDER.code,
        "training_kind": TrainingKind.EMPLOYMENT_SKILLS,
        "target_level": SkillLevel.INTERMEDIATE_WORKER,
        "eligibility": Eligibility.COLLEGE_GRADUATE,
        "amount_fen": 200_000,
        "valid_until": date(2026, 12, 31),
        "city_code": "3210",
        "district_code": "321002",
        "status": VoucherStatus.ISSUED,
        "issued_at": AT,
    }
    return Voucher(**(values | changes))


async def step(uow, handler, *args, **kwargs):
    """One route's unit of work: the handler, then commit."""
    async with uow:
        result = await handler(uow, *args, **kwargs)
        await uow.commit()
    return result


async def test_a_voucher_from_issue_to_certification_releases_the_subsidy_once():
    v = voucher()
    uow = fake_uow(occupations=[WELDER])

    assert await step(uow, handlers.issue_voucher, v, "ciphertext") == v
    assert await step(uow, handlers.issue_voucher, voucher(), "ciphertext") is None  # held
    await step(uow, handlers.enrol_voucher, v.id, SCHOOL, at=AT)
    on = date(2026, 5, 29)
    await step(uow, handlers.complete_training, v.id, SCHOOL, completed_on=on, passed=True, at=AT)
    certified = await step(
        uow,
        handlers.certify_training,
        v.id,
        SCHOOL,
        certified_on=on,
        level=SkillLevel.JUNIOR_WORKER,
        at=AT,
    )

    assert (certified.status, certified.subsidy_fen) == (VoucherStatus.CERTIFIED, 150_000)
    assert uow.repos.store.vouchers[v.id] == certified
    assert [e.type_name for e in uow.published] == [
        "VoucherIssued",
        "VoucherRedeemed",
        "TrainingCompleted",
        "TrainingCertified",
    ]
    assert [(e["object_id"], e["details"]["decision"]) for e in uow.audit_entries] == [
        (str(v.id), "voucher_issued"),
        (str(v.id), "voucher_redeemed"),
        (str(v.id), "training_subsidy_released"),
    ]
    assert uow.audit_entries[-1]["details"]["subsidy_fen"] == 150_000
    assert "pk_" not in str(uow.audit_entries)  # codes and amounts, no person key


async def test_a_step_the_state_forbids_is_a_conflict_and_changes_nothing():
    v = voucher(status=VoucherStatus.ENROLLED, institution_id=SCHOOL.id, version=2)
    uow = fake_uow(vouchers=[v])

    with pytest.raises(VoucherProblem) as refused:
        await step(uow, handlers.enrol_voucher, v.id, SCHOOL, at=AT)

    assert isinstance(refused.value, Conflict)
    assert str(refused.value) == "a voucher enrolled cannot be redeemed"
    assert uow.repos.store.vouchers[v.id] == v
    assert uow.published == [] and uow.audit_entries == []


async def test_another_institutions_voucher_does_not_exist_for_the_caller():
    v = voucher(status=VoucherStatus.ENROLLED, institution_id=uuid.uuid4(), version=2)
    uow = fake_uow(vouchers=[v])

    with pytest.raises(NotFound):
        await step(
            uow,
            handlers.complete_training,
            v.id,
            SCHOOL,
            completed_on=AT.date(),
            passed=True,
            at=AT,
        )
    assert uow.published == []
