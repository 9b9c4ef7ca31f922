"""Job-matching handlers: one function per command; the only place that changes state.

One module per aggregate: :mod:`.enterprises`, :mod:`.seekers`, :mod:`.job_posts`,
:mod:`.applications`, :mod:`.hires` (hires and separations), :mod:`.confirmations` (录用确认 and
the facts from authority), :mod:`.employment_services` (the "131" / "1+3" programmes),
:mod:`.job_fairs` (招聘会), :mod:`.corrections` (更正请求), :mod:`.inbox` (站内消息 and 单位消息
from events) and :mod:`.reminders` (到期提醒). Each takes ``uow: Uow``
(``adapters.repositories``): the unit of work with job-matching's repositories, so a unit test
passes the in-memory fake. They refuse with the kit's domain errors (``suxin_common.errors``),
never HTTP's.
"""

from job_matching.handlers.applications import review_application, submit_application
from job_matching.handlers.employment_services import record_service_delivered
from job_matching.handlers.enterprises import register_enterprise
from job_matching.handlers.hires import (
    RECORD_HIRE,
    RECORD_SEPARATION,
    record_hire,
    record_separation,
    snapshot_from_json,
    snapshot_to_json,
)
from job_matching.handlers.job_posts import change_post_status, publish_job_post
from job_matching.handlers.seekers import (
    CLAIM_SEEKER_PROFILE,
    RESIDENT_ID_AAD,
    Registration,
    claim_seeker,
    home_district,
    profile_values,
    register_seeker,
    update_seeker_profile,
)

__all__ = [
    "CLAIM_SEEKER_PROFILE",
    "RECORD_HIRE",
    "RECORD_SEPARATION",
    "RESIDENT_ID_AAD",
    "Registration",
    "change_post_status",
    "claim_seeker",
    "home_district",
    "profile_values",
    "publish_job_post",
    "record_hire",
    "record_separation",
    "record_service_delivered",
    "register_enterprise",
    "register_seeker",
    "review_application",
    "snapshot_from_json",
    "snapshot_to_json",
    "submit_application",
    "update_seeker_profile",
]
