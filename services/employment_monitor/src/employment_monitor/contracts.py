"""The one place that maps proto events to employment-monitor's domain facts."""

from __future__ import annotations

import uuid

from employment_monitor.domain.model import HireFact, month_of
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.protodates import from_proto_date


def hire_fact(e: hiring.HireRecorded) -> HireFact:
    return HireFact(
        hire_id=uuid.UUID(e.hire_id),
        enterprise_uscc=e.enterprise_uscc,
        city_code=e.city_code,
        district_code=e.district_code,
        industry_code=e.industry_code,
        month=month_of(from_proto_date(e.start_date, "HireRecorded.start_date")),
        specialized_sme=e.specialized_sme,
        key_monitored=e.key_monitored,
        key_groups=tuple(
            hiring.KeyGroup.Name(g).removeprefix("KEY_GROUP_").lower() for g in e.key_groups
        ),
        education=hiring.Education.Name(e.education).removeprefix("EDUCATION_").lower(),
        gender=hiring.Gender.Name(e.gender).removeprefix("GENDER_").lower(),
    )
