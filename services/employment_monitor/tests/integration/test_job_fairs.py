"""招聘会 held (JobFairHeld from job-matching) count toward the 专精特新 fair target: only
专精特新 专场 of that year, each fair once however often its event is delivered."""

from __future__ import annotations

import pytest

from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring

pytestmark = pytest.mark.integration


def held(n: int, theme: int, year: int = 2024) -> hiring.JobFairHeld:
    return hiring.JobFairHeld(
        job_fair_id=f"00000000-0000-0000-0000-{n:012d}",
        name=f"招聘会{n}",
        mode=hiring.JOB_FAIR_MODE_ONSITE,
        theme=theme,
        city_code="3210",
        district_code="321002",
        starts_on=Date(year=year, month=5, day=n),
        ends_on=Date(year=year, month=5, day=n),
        booths=10,
        job_posts=30,
        positions=90,
        registrations=200,
        check_ins=150,
    )


async def test_specialized_fairs_held_count_toward_the_target(client, staff, project):
    sme = hiring.JOB_FAIR_THEME_SPECIALIZED_SME
    events = [
        held(1, sme),
        held(2, sme),
        held(2, sme),  # delivered twice: one fair
        held(3, hiring.JOB_FAIR_THEME_WOMEN),  # a 女性专场 is not a 专精特新 fair
        held(4, sme, year=2025),
    ]
    await project(events)
    r = await client.get("/v1/targets", params={"year": 2024}, headers=staff)
    items = {i["id"]: i for t in r.json()["targets"] for i in t["items"]}
    fairs = items["sme2024.job_fairs"]
    assert fairs["measured"] is True and fairs["actual"] == 2
