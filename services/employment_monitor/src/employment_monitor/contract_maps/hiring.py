"""Hiring events (job-matching) -> facts: hires, confirmations, separations, job posts,
applications, job fairs.
"""

from __future__ import annotations

from datetime import datetime

from employment_monitor.adapters import tables as t
from employment_monitor.adapters.projection import Fact, Upsert
from employment_monitor.contract_maps.common import (
    CLOSE_REASON,
    EDUCATION,
    FAIR_MODE,
    FAIR_THEME,
    GENDER,
    JOB_KIND,
    KEY_GROUPS,
    SEPARATION,
    _date,
    _instant,
    _month,
    _required,
    _uuid,
    cst_date,
)
from suxin.hiring.v1 import events_pb2 as hiring

HIRE = Upsert(
    t.hire_facts,
    (
        "hire_id", "version", "enterprise_uscc", "enterprise_name", "city_code", "district_code",
        "industry_code", "month", "start_date", "specialized_sme", "little_giant", "key_monitored",
        "key_groups", "education", "gender", "job_kind", "skill_level", "professional_title",
        "previously_unemployed", "monthly_wage_fen", "recorded_at",
    ),
    key=("hire_id",),
    mode="update",
    newer="version",
)  # fmt: skip
CONFIRMATION = Upsert(
    t.hire_confirmations,
    ("hire_id", "confirmed_by", "confirmed_on"),
    key=("hire_id",),
    mode="insert",
)
SEPARATION_FACT = Upsert(
    t.separation_facts,
    (
        "hire_id", "version", "enterprise_uscc", "city_code", "district_code", "industry_code",
        "month", "end_date", "reason", "job_kind", "specialized_sme", "little_giant",
        "key_monitored", "key_groups", "skill_level", "professional_title",
    ),
    key=("hire_id",),
    mode="update",
    newer="version",
)  # fmt: skip
POST_OPENED = Upsert(
    t.job_post_facts,
    (
        "job_post_id", "version", "enterprise_uscc", "city_code", "district_code",
        "industry_code", "occupation_code", "job_kind", "headcount", "specialized_zone",
        "opened_month",
    ),
    key=("job_post_id",),
    mode="update",
    newer="version",
)  # fmt: skip
POST_CLOSED = Upsert(
    t.job_post_facts,
    (
        "job_post_id", "closed_version", "enterprise_uscc", "city_code", "district_code",
        "occupation_code", "closed_on", "close_reason", "hires_made",
    ),
    key=("job_post_id",),
    mode="update",
    newer="closed_version",
)  # fmt: skip
APPLICATION = Upsert(
    t.application_facts,
    (
        "application_id", "job_post_id", "enterprise_uscc", "city_code", "district_code",
        "occupation_code", "job_kind", "key_groups", "month", "person_key",
    ),
    key=("application_id",),
    mode="insert",
)  # fmt: skip


def hire_recorded(e: hiring.HireRecorded, at: datetime) -> list[Fact]:
    start = _date(e.start_date, "HireRecorded.start_date", fallback=cst_date(e.recorded_at, at))
    return [
        (
            HIRE,
            (
                _uuid(e.hire_id, "HireRecorded.hire_id"),
                e.version,
                _required(e.enterprise_uscc, "HireRecorded.enterprise_uscc"),
                e.enterprise_name,
                e.city_code,
                e.district_code,
                e.industry_code,
                _month(start),
                start,
                e.specialized_sme,
                e.little_giant,
                e.key_monitored,
                [KEY_GROUPS.get(g, "unspecified") for g in e.key_groups],
                EDUCATION.get(e.education, "unspecified"),
                GENDER.get(e.gender, "unspecified"),
                JOB_KIND.get(e.job_kind, "unspecified"),
                int(e.skill_level),
                int(e.professional_title),
                e.previously_unemployed,
                e.monthly_wage_fen,
                _instant(e.recorded_at, at),
            ),
        )
    ]


def hire_confirmed(e: hiring.HireConfirmed, at: datetime) -> list[Fact]:
    by = hiring.HireConfirmation.Name(e.confirmed_by).removeprefix("HIRE_CONFIRMATION_")
    return [
        (
            CONFIRMATION,
            (
                _uuid(e.hire_id, "HireConfirmed.hire_id"),
                by.lower(),
                cst_date(e.confirmed_at, at),
            ),
        )
    ]


def employment_ended(e: hiring.EmploymentEnded, at: datetime) -> list[Fact]:
    end = _date(e.end_date, "EmploymentEnded.end_date", fallback=cst_date(e.recorded_at, at))
    return [
        (
            SEPARATION_FACT,
            (
                _uuid(e.hire_id, "EmploymentEnded.hire_id"),
                e.version,
                _required(e.enterprise_uscc, "EmploymentEnded.enterprise_uscc"),
                e.city_code,
                e.district_code,
                e.industry_code,
                _month(end),
                end,
                SEPARATION.get(e.reason, "unspecified"),
                JOB_KIND.get(e.job_kind, "unspecified"),
                e.specialized_sme,
                e.little_giant,
                e.key_monitored,
                [KEY_GROUPS.get(g, "unspecified") for g in e.key_groups],
                int(e.skill_level),
                int(e.professional_title),
            ),
        )
    ]


def job_post_opened(e: hiring.JobPostOpened, at: datetime) -> list[Fact]:
    opened = cst_date(e.opened_at, at)
    row = (
        _required(e.job_post_id, "JobPostOpened.job_post_id"),
        e.version,
        e.enterprise_uscc,
        e.city_code,
        e.district_code,
        e.industry_code,
        e.occupation_code,
        JOB_KIND.get(e.job_kind, "unspecified"),
        max(e.headcount, 0),
        e.specialized_zone,
        _month(opened),
    )
    return [(POST_OPENED, row)]


def job_post_closed(e: hiring.JobPostClosed, at: datetime) -> list[Fact]:
    row = (
        _required(e.job_post_id, "JobPostClosed.job_post_id"),
        e.version,
        e.enterprise_uscc or None,
        e.city_code or None,
        e.district_code or None,
        e.occupation_code or None,
        cst_date(e.closed_at, at),
        CLOSE_REASON.get(e.reason, "unspecified"),
        e.hires_made,
    )
    return [(POST_CLOSED, row)]


def application_submitted(e: hiring.ApplicationSubmitted, at: datetime) -> list[Fact]:
    row = (
        _required(e.application_id, "ApplicationSubmitted.application_id"),
        e.job_post_id,
        e.enterprise_uscc,
        e.city_code,
        e.district_code,
        e.occupation_code,
        JOB_KIND.get(e.job_kind, "unspecified"),
        [KEY_GROUPS.get(g, "unspecified") for g in e.key_groups],
        _month(cst_date(e.submitted_at, at)),
        e.person_key or None,
    )
    return [(APPLICATION, row)]


JOB_FAIR = Upsert(
    t.job_fair_facts,
    (
        "job_fair_id", "mode", "theme", "city_code", "district_code", "ends_on", "booths",
        "job_posts", "positions", "registrations", "check_ins",
    ),
    key=("job_fair_id",),
    mode="insert",
)  # fmt: skip


def job_fair_held(e: hiring.JobFairHeld, at: datetime) -> list[Fact]:
    """A fair is held once (JobFairHeld is published once per fair); a repeat changes nothing."""
    row = (
        _required(e.job_fair_id, "JobFairHeld.job_fair_id"),
        FAIR_MODE.get(e.mode, "unspecified"),
        FAIR_THEME.get(e.theme, "unspecified"),
        e.city_code or None,
        e.district_code or None,
        _date(e.ends_on, "JobFairHeld.ends_on"),
        max(e.booths, 0),
        max(e.job_posts, 0),
        max(e.positions, 0),
        max(e.registrations, 0),
        max(e.check_ins, 0),
    )
    return [(JOB_FAIR, row)]
