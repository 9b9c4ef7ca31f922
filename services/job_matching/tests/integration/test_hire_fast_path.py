"""The hire's fast path (adapters/hire_writes.py) under concurrency: hires racing into one post
keep to its headcount, each counted hire has exactly one HireRecorded and one audit entry (also
when the post moved between the read and the count and the event takes the general path), and
the audit chains verify."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching.app import create_app
from job_matching.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.security import audit
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_resident_id, make_uscc

pytestmark = pytest.mark.integration
USCC = make_uscc(4711)
STAFF = {"Authorization": f"Bearer {mint_dev_token(ServiceSettings(), 't', ['hrss_staff'])}"}


@pytest.fixture
async def api(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching_fast", Settings, create_app
    ) as client:
        yield client


async def test_racing_hires_keep_headcount_and_write_one_event_and_entry_each(api):
    r = await api.post(
        "/v1/enterprises",
        headers=STAFF,
        json={"uscc": USCC, "name": "常州精工", "city_code": "3204",
              "district_code": "320402", "industry_code": "C", "size": "small"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    r = await api.post(
        "/v1/job-posts",
        headers=STAFF,
        json={"enterprise_uscc": USCC, "title": "钳工", "occupation_code": "6-18-01-01",
              "district_code": "320402", "kind": "full_time", "headcount": 3,
              "wage_min_fen": 500000, "wage_max_fen": 700000},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    post_id = r.json()["id"]
    seekers = []
    for n in range(6):
        r = await api.post(
            "/v1/seekers",
            headers=STAFF,
            json={"resident_id": make_resident_id(7100 + n), "education": "bachelor"},
        )
        assert r.status_code == 201, r.text
        seekers.append(r.json()["id"])

    async def hire(seeker_id: str) -> int:
        r = await api.post(
            "/v1/hires",
            headers=STAFF,
            json={"enterprise_uscc": USCC, "seeker_id": seeker_id, "job_post_id": post_id,
                  "start_date": str(date.today()), "contract_type": "fixed_term",
                  "contract_months": 12, "monthly_wage_fen": 600000},
        )  # fmt: skip
        assert r.status_code in (201, 409, 422), r.text
        return r.status_code

    codes = await asyncio.gather(*(hire(s) for s in seekers))
    assert codes.count(201) == 3
    engine = create_async_engine(api.database_url)
    try:
        async with engine.connect() as conn:
            hired = (
                await conn.execute(
                    text("SELECT hired, status FROM job_posts WHERE id = :p"), {"p": post_id}
                )
            ).one()
            hires = {
                r[0]
                for r in await conn.execute(
                    text("SELECT id::text FROM hires WHERE job_post_id = :p"), {"p": post_id}
                )
            }
            events = (
                await conn.execute(
                    text("SELECT subject, ce_subject FROM outbox WHERE subject LIKE '%hire%'")
                )
            ).all()
            closed = await conn.scalar(
                text("SELECT count(*) FROM outbox WHERE subject LIKE '%job_post_closed%'")
            )
            entries = (
                await conn.execute(
                    text("SELECT object_id FROM audit_log WHERE action = 'record_hire'")
                )
            ).all()
            report = await audit.verify_chain(conn)
    finally:
        await engine.dispose()
    assert tuple(hired) == (3, "filled")
    assert len(hires) == 3
    assert sorted(e.ce_subject for e in events) == sorted(hires)
    assert {e.subject for e in events} == {"suxin.hiring.hire_recorded.v1"}
    assert closed == 1
    assert sorted(e.object_id for e in entries) == sorted(hires)
    assert report.ok
