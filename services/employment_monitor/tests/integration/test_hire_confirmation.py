"""A hire counts in the statistics only once it is real (HireConfirmed): an enterprise hiring a
stranger who never confirms, and whom 社保 does not show, counts in no statistic, while the
insurance cover started for that hire is counted (it protects from day one)."""

from __future__ import annotations

from datetime import date

import pytest
from em_scenario import build

from suxin.hiring.v1 import events_pb2 as hiring

pytestmark = pytest.mark.integration


async def test_a_stranger_hire_counts_nowhere_until_confirmed_and_its_cover_counts(
    client, staff, project
):
    s = build(seed=11, enterprises=2, hires=1)
    [stranger] = s.declared_only[:1]
    events = [e for e in s.events if getattr(e, "hire_id", None) == stranger.hire_id]
    await project(events)
    params = {"as_of": "2026-06-30", "limit": 200}

    total = (await client.get("/v1/stats/employment", headers=staff)).json()["rows"]
    assert total == [] or total[0]["new_jobs"] == 0
    groups = await client.get("/v1/stats/hires", params={"group_by": "group"}, headers=staff)
    assert groups.json()["total"] == 0
    [ent] = [
        e
        for e in (await client.get("/v1/enterprises", params=params, headers=staff)).json()["items"]
        if e["enterprise_uscc"] == stranger.ent.uscc
    ]
    assert (ent["headcount"], ent["insured"]) == (0, 1)

    # The person confirms: now the job counts, once, for this one person.
    confirmed = hiring.HireConfirmed(
        hire_id=stranger.hire_id,
        version=2,
        enterprise_uscc=stranger.ent.uscc,
        person_key="pk_x",
        job_kind=hiring.JOB_KIND_FULL_TIME,
        confirmed_by=hiring.HIRE_CONFIRMATION_PERSON,
    )
    confirmed.start_date.year, confirmed.start_date.month, confirmed.start_date.day = (
        stranger.start.year, stranger.start.month, stranger.start.day,
    )  # fmt: skip
    await project([confirmed, confirmed])

    [row] = (await client.get("/v1/stats/employment", headers=staff)).json()["rows"]
    assert (row["hires"], row["new_jobs"], row["reemployed"]) == (1, 1, 1)
    assert stranger.start < date(2026, 6, 30)
