"""Injury cover (工伤保障) that follows a hire.

Two schemes exist side by side. An employee, hired under a labour contract, is insured in
work-injury insurance (工伤保险) through the employer from the first working day. A gig or
platform worker, on a service agreement, has no employer to insure them; the platform enrols
them in occupational-injury protection (新就业形态就业人员职业伤害保障), under which each
order they take is covered. That enrolment comes from the platform's order flow (first accepted
order of a worker registered with a pilot platform, see ``orders``), never from a hire: a gig
hire recorded by an enterprise starts no cover here, since the enterprise is not the platform.

Pure code: no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum


class Scheme(StrEnum):
    WORK_INJURY_INSURANCE = "work_injury_insurance"  # 工伤保险
    OCCUPATIONAL_INJURY_PROTECTION = "occupational_injury_protection"  # 职业伤害保障


class CoverageStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


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
    """A person's injury cover (参保) under one scheme: started by a hire (工伤保险) or by a
    platform worker's first order (职业伤害保障)."""

    id: uuid.UUID
    hire_id: uuid.UUID | None  # None for platform work
    person_key: str
    masked_resident_id: str
    enterprise_uscc: str  # the employer, or the platform enterprise
    scheme: Scheme
    status: CoverageStatus
    start_date: date
    city_code: str  # where the cover is held (参保地): the workplace's city
    district_code: str | None  # None for platform work (the platform reports cities only)
    started_at: datetime
    worker_id: str | None = None  # the platform's id of the worker, for platform work
    end_date: date | None = None
    ended_at: datetime | None = None


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


class NotAnEmployment(ValueError):
    """The hire is platform work: its cover comes per order from the platform, not the hire."""


def start_coverage(hire: Hire, *, coverage_id: uuid.UUID, started_at: datetime) -> Coverage:
    """The cover a hire starts: work-injury insurance through the employer, from the first day.

    Raises NotAnEmployment for platform work (gig kind or service agreement): the hiring
    enterprise is not the platform, so it cannot be the one that enrols the worker.
    """
    scheme = scheme_for(hire.job_kind, hire.contract_type)
    if scheme is Scheme.OCCUPATIONAL_INJURY_PROTECTION:
        raise NotAnEmployment("platform work is covered per order through the platform")
    return Coverage(
        id=coverage_id,
        hire_id=hire.hire_id,
        person_key=hire.person_key,
        masked_resident_id=hire.masked_resident_id,
        enterprise_uscc=hire.enterprise_uscc,
        scheme=scheme,
        status=CoverageStatus.ACTIVE,
        start_date=hire.start_date,
        city_code=hire.city_code,
        district_code=hire.district_code,
        started_at=started_at,
    )


def end_coverage(coverage: Coverage, *, end_date: date, ended_at: datetime) -> Coverage | None:
    """The cover ended on ``end_date`` (the last working day); None if it had already ended."""
    if coverage.status is CoverageStatus.ENDED:
        return None
    return replace(coverage, status=CoverageStatus.ENDED, end_date=end_date, ended_at=ended_at)


def enrol_platform_worker(
    *,
    coverage_id: uuid.UUID,
    platform_uscc: str,
    worker_id: str,
    person_key: str,
    masked_resident_id: str,
    city_code: str,
    start_date: date,
    started_at: datetime,
) -> Coverage:
    """A pilot platform's worker, enrolled in occupational-injury protection at their first
    order (注册并接单): the platform is the enterprise of the cover."""
    return Coverage(
        id=coverage_id,
        hire_id=None,
        person_key=person_key,
        masked_resident_id=masked_resident_id,
        enterprise_uscc=platform_uscc,
        scheme=Scheme.OCCUPATIONAL_INJURY_PROTECTION,
        status=CoverageStatus.ACTIVE,
        start_date=start_date,
        city_code=city_code,
        district_code=None,
        started_at=started_at,
        worker_id=worker_id,
    )
