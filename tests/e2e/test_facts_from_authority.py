"""Facts from authority (部门数据比对), end to end: a hire the enterprise filed and the person's
own declarations open a subsidy case that waits ("awaiting verification"), insurance cover
starts at once, and the hire counts in no statistic; then data-exchange's FactVerified events
(学历 from the education department, 社保 enrolment and a month of contributions) arrive on
NATS and, with no one calling anything, the case moves on to review, listing each fact with
its source, and the monitor counts the job."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import nats
import pytest

from e2e.scenario import ENTERPRISE, hire_graduate, open_enterprise
from suxin_common.facts import FACT_VERIFIED_SUBJECT
from suxin_common.messaging.cloudevents import build_headers
from suxin_common.privacy import PersonalData
from suxin_common.settings import ServiceSettings
from suxin_devkit import factfeed
from suxin_devkit.testing import eventually, make_resident_id

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

N = 7  # the graduate of e2e.scenario.hire_graduate


async def publish_facts(nats_url: str, *events) -> None:
    """Publish as data-exchange does: protobuf body, CloudEvents binary-mode headers."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for e in events:
            event_id = str(uuid.uuid4())
            headers = build_headers(
                event_id=event_id,
                ce_type=FACT_VERIFIED_SUBJECT,
                source="/suxin/data-exchange",
                subject=e.fact_key,
                time=datetime.now(UTC),
                trace_headers={},
            )
            await js.publish(FACT_VERIFIED_SUBJECT, e.SerializeToString(), headers=headers)
    finally:
        await nc.close()


async def test_authority_facts_move_a_waiting_case_on_by_themselves(infra, in_process):
    c = in_process.clients
    post_id = await open_enterprise(c["job_matching"], 2)
    hire_id = await hire_graduate(c["job_matching"], c["talent_card"], post_id, N, confirm=False)
    person_key = PersonalData.from_settings(ServiceSettings()).person_key(make_resident_id(N))

    async def case() -> dict | None:
        r = await c["training_vouchers"].get("/v1/subsidy-cases", params={"hire_id": hire_id})
        items = r.json()["items"]
        return items[0] if items else None

    async def covered() -> bool:
        r = await c["injury_insurance"].get("/v1/coverages", params={"hire_id": hire_id})
        return len(r.json()["items"]) == 1

    async def new_jobs() -> int:
        r = await c["employment_monitor"].get("/v1/stats/employment")
        rows = r.json()["rows"]
        return rows[0]["new_jobs"] if rows else 0

    # The enterprise's word and the person's declarations: the case waits, cover starts.
    await eventually(lambda: case(), within=30)
    await eventually(covered, within=30)
    waiting = await case()
    assert waiting["status"] == "awaiting_data" and waiting["review_deadline"] is None
    needs = {w["fact"]: w["accepted_sources"] for w in waiting["waiting_for"]}
    assert needs["education"] == ["education"]
    assert needs["contract_type"] == ["confirmed_hire"], needs
    assert waiting["sources"]["education"]["source"] == "declared"
    assert waiting["sources"]["education"]["declared"] == "master"
    assert await new_jobs() == 0

    # data-exchange's feeds: 学历, 社保 enrolment with the employer, a month of contributions.
    today = date.today()
    await publish_facts(
        infra.nats_url,
        factfeed.education(
            person_key, "master", today - timedelta(days=150), evidence_ref="edu-batch-1#3"
        ),
        factfeed.enrolment(person_key, ENTERPRISE, today, evidence_ref="si-batch-9#12"),
        factfeed.contribution(
            person_key,
            ENTERPRISE,
            today,
            {"pension": 128000, "medical": 64000, "unemployment": 4000},
            84000,
            evidence_ref="si-batch-10#12",
        ),
    )

    async def reviewed() -> bool:
        current = await case()
        return current["status"] == "under_review"

    await eventually(reviewed, within=60)
    done = await case()
    assert done["waiting_for"] == [] and done["review_deadline"] is not None
    assert done["amount_fen"] > 0
    sources = done["sources"]
    assert (sources["education"]["source"], sources["education"]["evidence_ref"]) == (
        "education",
        "edu-batch-1#3",
    )
    assert sources["contract_type"]["source"] == "confirmed_hire"
    assert sources["unemployment_insurance_months"]["source"] == "social_insurance"
    assert done["inputs"]["education"] == "master"
    await eventually(lambda: _equals(new_jobs, 1), within=30)


async def _equals(probe, want) -> bool:
    return await probe() == want
