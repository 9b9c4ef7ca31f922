"""The one place that maps proto events to employment-monitor's domain facts."""

from __future__ import annotations

import uuid
from datetime import date

from employment_monitor.domain.model import HireFact, month_of
from suxin.hiring.v1 import events_pb2 as hiring


def _date(d) -> date:
    return date(d.year, d.month, d.day)


def hire_fact(e: hiring.HireRecorded) -> HireFact:
    return HireFact(
        hire_id=uuid.UUID(e.hire_id),
        enterprise_uscc=e.enterprise_uscc,
        city_code=e.city_code,
        district_code=e.district_code,
        industry_code=e.industry_code,
        month=month_of(_date(e.start_date)),
        specialized_sme=e.specialized_sme,
        key_monitored=e.key_monitored,
        key_groups=tuple(
            hiring.KeyGroup.Name(g).removeprefix("KEY_GROUP_").lower() for g in e.key_groups
        ),
        education=hiring.Education.Name(e.education).removeprefix("EDUCATION_").lower(),
        gender=hiring.Gender.Name(e.gender).removeprefix("GENDER_").lower(),
    )
