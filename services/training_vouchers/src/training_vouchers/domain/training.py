"""Subsidised training (职业技能培训补贴): the occupation catalogue (工种), training institutions,
and training vouchers (培训券) from issue to certification and the employment outcome.

A voucher is issued to an eligible person for one occupation and target skill level, with a face
value from the catalogue and a validity. A partner institution enrols the holder (the voucher is
redeemed), reports completion (passed or not) and certification; the training subsidy is
released on certification, at the catalogue's level for the certified skill level, never more
than the voucher's face value. A hire of the holder starting within the configured window after
certification makes the outcome "employed" (就业培训上岗率).

Pure code: no I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from suxin_common import errors


class TrainingKind(StrEnum):
    EMPLOYMENT_SKILLS = "employment_skills"  # 就业技能培训
    ENTREPRENEURSHIP = "entrepreneurship"  # 创业培训
    EMPLOYEE_UPSKILLING = "employee_upskilling"  # 岗位技能提升培训


class SkillLevel(StrEnum):
    """The national five levels (五级/初级工 … 一级/高级技师)."""

    JUNIOR_WORKER = "junior_worker"
    INTERMEDIATE_WORKER = "intermediate_worker"
    SENIOR_WORKER = "senior_worker"
    TECHNICIAN = "technician"
    SENIOR_TECHNICIAN = "senior_technician"


class Eligibility(StrEnum):
    """Why a person may hold a voucher."""

    COLLEGE_GRADUATE = "college_graduate"
    EMPLOYMENT_DIFFICULTY = "employment_difficulty"
    POVERTY_ALLEVIATED = "poverty_alleviated"
    VETERAN = "veteran"
    DISABLED = "disabled"
    MIGRANT_WORKER = "migrant_worker"
    DISPLACED_WORKER = "displaced_worker"  # 智改数转分流职工 (seed 001)
    RURAL_LABOUR = "rural_labour"  # 农村劳动力 (seed 001)
    REGISTERED_UNEMPLOYED = "registered_unemployed"
    EMPLOYEE = "employee"  # 企业职工, for employee upskilling


class VoucherStatus(StrEnum):
    ISSUED = "issued"
    ENROLLED = "enrolled"  # redeemed at an institution
    COMPLETED = "completed"  # passed the final assessment
    FAILED = "failed"  # did not pass
    CERTIFIED = "certified"  # certificate obtained, subsidy released


@dataclass(frozen=True)
class Occupation:
    """An occupation (工种) of the subsidised-training catalogue."""

    code: str  # 国家职业分类大典, e.g. 6-18-01-01
    name: str
    subsidy_fen: Mapping[str, int]  # per skill level
    digital_skills: bool = False  # 数字技能类
    shortage: bool = False  # 紧缺型
    specialised_sme_oriented: bool = False  # 面向专精特新企业
    active: bool = True
    # The approved version of the occupation's subsidy table this is (0: not yet approved).
    table_version: int = 0


@dataclass(frozen=True)
class Institution:
    """A partner training institution (培训机构)."""

    id: uuid.UUID
    uscc: str
    name: str
    city_code: str
    district_code: str | None
    active: bool = True


@dataclass(frozen=True)
class Voucher:
    id: uuid.UUID
    person_key: str
    masked_resident_id: str
    occupation_code: str
    training_kind: TrainingKind
    target_level: SkillLevel
    eligibility: Eligibility
    amount_fen: int
    valid_until: date
    city_code: str
    status: VoucherStatus
    issued_at: datetime
    institution_id: uuid.UUID | None = None
    enrolled_at: datetime | None = None
    completed_on: date | None = None
    passed: bool | None = None
    certified_on: date | None = None
    skill_level: SkillLevel | None = None
    subsidy_fen: int | None = None
    outcome: str | None = None
    outcome_hire_id: uuid.UUID | None = None
    version: int = 1
    # The issuing district, if known (HRSS staff are scoped by it, else by the city).
    district_code: str | None = None
    # The occupation-table versions that priced the voucher and the released subsidy.
    table_version: int | None = None
    subsidy_table_version: int | None = None

    @property
    def division_code(self) -> str:
        return self.district_code or self.city_code


class VoucherProblem(errors.Conflict):
    """A move the voucher's state forbids (409)."""


class NotIssuable(errors.RuleViolation, ValueError):
    """The catalogue does not allow this voucher (422 naming ``target_level``)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, field="target_level")


def voucher_amount(occupation: Occupation, level: SkillLevel) -> int:
    if not occupation.active:
        raise NotIssuable(f"occupation {occupation.code} is not in the subsidised catalogue")
    amount = occupation.subsidy_fen.get(level.value)
    if amount is None:
        raise NotIssuable(f"occupation {occupation.code} has no subsidy for {level.value}")
    return amount


def enrol(v: Voucher, institution: Institution, *, today: date, at: datetime) -> Voucher:
    if v.status is not VoucherStatus.ISSUED:
        raise VoucherProblem(f"a voucher {v.status.value} cannot be redeemed")
    if today > v.valid_until:
        raise VoucherProblem(f"the voucher expired on {v.valid_until.isoformat()}")
    if not institution.active:
        raise VoucherProblem("the institution is not an active partner")
    return replace(
        v,
        status=VoucherStatus.ENROLLED,
        institution_id=institution.id,
        enrolled_at=at,
        version=v.version + 1,
    )


def complete(v: Voucher, *, completed_on: date, passed: bool) -> Voucher:
    if v.status is not VoucherStatus.ENROLLED:
        raise VoucherProblem(f"a voucher {v.status.value} cannot be completed")
    if v.enrolled_at is not None and completed_on < v.enrolled_at.date():
        raise VoucherProblem("completion cannot be before enrolment")
    return replace(
        v,
        status=VoucherStatus.COMPLETED if passed else VoucherStatus.FAILED,
        completed_on=completed_on,
        passed=passed,
        version=v.version + 1,
    )


def certify(
    v: Voucher, occupation: Occupation, *, certified_on: date, level: SkillLevel
) -> Voucher:
    """Certification releases the training subsidy: the catalogue's amount for the certified
    level, at most the voucher's face value."""
    if v.status is not VoucherStatus.COMPLETED:
        raise VoucherProblem(f"a voucher {v.status.value} cannot be certified")
    if v.completed_on is not None and certified_on < v.completed_on:
        raise VoucherProblem("certification cannot be before completion")
    subsidy = min(occupation.subsidy_fen.get(level.value, 0), v.amount_fen)
    return replace(
        v,
        status=VoucherStatus.CERTIFIED,
        certified_on=certified_on,
        skill_level=level,
        subsidy_fen=subsidy,
        subsidy_table_version=occupation.table_version,
        version=v.version + 1,
    )


def employed_outcome(
    v: Voucher, hire_id: uuid.UUID, start: date, window_days: int
) -> tuple[Voucher, int] | None:
    """The voucher with outcome "employed" if a hire starting on ``start`` falls within the
    window after certification (and no outcome is recorded yet), and the days in between."""
    if v.status is not VoucherStatus.CERTIFIED or v.outcome is not None or v.certified_on is None:
        return None
    days = (start - v.certified_on).days
    if not 0 <= days <= window_days:
        return None
    updated = replace(v, outcome="employed", outcome_hire_id=hire_id, version=v.version + 1)
    return updated, days
