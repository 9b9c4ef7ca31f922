"""HireRecorded throughput through talent-card's consumer, for ``make bench``.

:func:`measure_hire_consumer` publishes HireRecorded events to JetStream, runs this service's
subscriptions with the real consumer runner on a fresh, migrated database, and times until
every hire's inbox row is committed (in the same transaction as its effects). Every hire is
into a 专精特新 enterprise, so each is looked at for an offer (政策找人); one in ten has a
senior professional title and gets one (offer row and audit entry).

    python -m bench.perf.talent_card   # on an embedded PostgreSQL and NATS; prints JSON
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from suxin.common.v1 import common_pb2 as common
from suxin.hiring.v1 import events_pb2 as hiring
from talent_card.settings import Settings

HIRE_SUBJECT = "suxin.hiring.hire_recorded.v1"


def hire_payloads(hires: int, *, offer_every: int = 10) -> list[bytes]:
    payloads = []
    for i in range(hires):
        payloads.append(
            hiring.HireRecorded(
                hire_id=str(uuid.uuid4()),
                version=1,
                enterprise_uscc="91320505MA1XXXXX18",
                city_code="3205",
                district_code="320505",
                industry_code="C",
                specialized_sme=True,
                person_key=f"pk_{uuid.uuid4().hex}",
                job_kind=hiring.JOB_KIND_FULL_TIME,
                professional_title=common.PROFESSIONAL_TITLE_SENIOR
                if offer_every and i % offer_every == 0
                else common.PROFESSIONAL_TITLE_INTERMEDIATE,
                start_date=common.Date(year=2026, month=11, day=1 + i % 28),
            ).SerializeToString()
        )
    return payloads


async def measure_hire_consumer(
    infra, hires: int = 1000, *, offer_every: int = 10
) -> dict[str, Any]:
    """Hires/s from HireRecorded published to every hire's effects committed."""
    from suxin_devkit.benchmarks import consumer_throughput
    from talent_card.consumers import SUBSCRIPTIONS

    elapsed, offers = await consumer_throughput(
        infra,
        "talent-card",
        Settings,
        SUBSCRIPTIONS,
        HIRE_SUBJECT,
        hire_payloads(hires, offer_every=offer_every),
        count_sql="SELECT count(*) FROM card_offers",
    )
    return {
        "name": "talent_card_hire_consumer",
        "what": "hires/s through the HireRecorded consumer (inbox, flow check, offers, audit)",
        "median_per_s": round(hires / elapsed),
        "hires": hires,
        "offers": offers,
    }


async def _main() -> None:
    from suxin_devkit.devstack import testinfra

    infra = await asyncio.to_thread(testinfra.start, testinfra.choose())
    try:
        print(json.dumps(await measure_hire_consumer(infra), ensure_ascii=False))
    finally:
        await asyncio.to_thread(infra.close)


if __name__ == "__main__":
    asyncio.run(_main())
