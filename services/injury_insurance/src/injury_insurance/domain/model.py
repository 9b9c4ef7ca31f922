"""Injury cover (工伤保障) that follows a hire.

Two schemes exist side by side. An employee, hired under a labour contract, is insured in
work-injury insurance (工伤保险) through the employer from the first working day. A gig or
platform worker, on a service agreement, has no employer to insure them; the platform enrols
them in occupational-injury protection (新就业形态就业人员职业伤害保障), under which each
order they take is covered (per-order cover comes with the order flow, not here).

Pure code: no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Scheme(StrEnum):
    WORK_INJURY_INSURANCE = "work_injury_insurance"  # 工伤保险
    OCCUPATIONAL_INJURY_PROTECTION = "occupational_injury_protection"  # 职业伤害保障


class CoverageStatus(StrEnum):
    ACTIVE = "active"


class JobKind(StrEnum):
    """The kind of job a hire is into, as job-matching reports it (用工形式)."""

    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    INTERNSHIP = "internship"
    PUBLIC_WELFARE = "public_welfare"
    GIG = "gig"


class ContractType(StrEnum):
    FIXED_TERM = "fixed_term"
    OPEN_ENDED = "open_ended"
    PART_TIME = "part_time"
    INTERNSHIP_AGREEMENT = "internship_agreement"
    SERVICE_AGREEMENT = "service_agreement"  # 劳务协议: no labour relation


class CoverUndecidable(ValueError):
    """The hire says too little to choose a scheme; retrying cannot change that."""


@dataclass(frozen=True)
class Hire:
    """What injury-insurance needs to know about a hire (录用)."""

    hire_id: uuid.UUID
    person_key: str
    masked_resident_id: str
    enterprise_uscc: str
    city_code: str
    district_code: str
    job_kind: JobKind | None  # None: a kind this service does not know
    contract_type: ContractType | None
    start_date: date


@dataclass(frozen=True)
class Coverage:
    """A person's injury cover (参保) under one scheme, started by one hire."""

    id: uuid.UUID
    hire_id: uuid.UUID
    person_key: str
    masked_resident_id: str
    enterprise_uscc: str  # the employer, or the platform enterprise
    scheme: Scheme
    status: CoverageStatus
    start_date: date
    city_code: str  # where the cover is held (参保地): the workplace's city
    district_code: str
    started_at: datetime


_EMPLOYEE_KINDS = frozenset(
    {JobKind.FULL_TIME, JobKind.PART_TIME, JobKind.INTERNSHIP, JobKind.PUBLIC_WELFARE}
)
_LABOUR_CONTRACTS = frozenset(
    {
        ContractType.FIXED_TERM,
        ContractType.OPEN_ENDED,
        ContractType.PART_TIME,
        ContractType.INTERNSHIP_AGREEMENT,
    }
)


def scheme_for(job_kind: JobKind | None, contract_type: ContractType | None) -> Scheme:
    """The scheme that covers a hire.

    Gig work, or any work on a service agreement, is platform work: occupational-injury
    protection. Otherwise the person is an employee: work-injury insurance. A job kind this
    service does not know yet is decided by the contract alone.
    """
    if job_kind is JobKind.GIG or contract_type is ContractType.SERVICE_AGREEMENT:
        return Scheme.OCCUPATIONAL_INJURY_PROTECTION
    if job_kind in _EMPLOYEE_KINDS:
        return Scheme.WORK_INJURY_INSURANCE
    if job_kind is None and contract_type in _LABOUR_CONTRACTS:
        return Scheme.WORK_INJURY_INSURANCE
    raise CoverUndecidable("neither the job kind nor the contract type identifies the scheme")


def start_coverage(hire: Hire, *, coverage_id: uuid.UUID, started_at: datetime) -> Coverage:
    """The cover a hire starts: its scheme, through the hiring enterprise, from the first day."""
    return Coverage(
        id=coverage_id,
        hire_id=hire.hire_id,
        person_key=hire.person_key,
        masked_resident_id=hire.masked_resident_id,
        enterprise_uscc=hire.enterprise_uscc,
        scheme=scheme_for(hire.job_kind, hire.contract_type),
        status=CoverageStatus.ACTIVE,
        start_date=hire.start_date,
        city_code=hire.city_code,
        district_code=hire.district_code,
        started_at=started_at,
    )
