"""Policy-evaluation throughput, for ``make bench``: hires evaluated per second against every
rule a hire triggers.

- :func:`measure_evaluation` — pure: facts built from a hire, every hire rule of the policy in
  force evaluated, one rule chosen per family and its reasons built (what a case stores; the
  other rules' reasons are built only when read). No I/O; the engine's own cost.
- :func:`measure_consumer` — through the consumer: HireRecorded published to JetStream, the
  service's subscription run by the real consumer runner (inbox, facts from the database, cases
  and outbox rows committed), timed until every hire has its case.

``python -m bench.perf.training_vouchers`` runs both (the second on an embedded PostgreSQL and NATS)
and prints JSON.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
import uuid
from datetime import date, timedelta
from typing import Any

from training_vouchers.domain.facts import hire_facts
from training_vouchers.domain.model import (
    ContractType,
    Education,
    EnterpriseSize,
    HireFacts,
    JobKind,
    KeyGroup,
)
from training_vouchers.domain.policy import Trigger, choose_per_family
from training_vouchers.policies import load_book

DISTRICTS = ["320102", "320205", "320311", "321002", "321003", "321302"]


def sample_hires(n: int, *, seed: int = 7) -> list[HireFacts]:
    """A varied, reproducible mix: graduates, key groups, internships, short contracts."""
    rng = random.Random(seed)
    hires = []
    for i in range(n):
        start = date(2026, 1, 5) + timedelta(days=rng.randrange(300))
        kind = rng.choice([JobKind.FULL_TIME] * 6 + [JobKind.INTERNSHIP, JobKind.PART_TIME])
        district = rng.choice(DISTRICTS)
        hires.append(
            HireFacts(
                hire_id=uuid.UUID(int=i),
                enterprise_uscc="91321000MA1XXXXX18",
                person_key=f"pk_{i:032x}",
                start_date=start,
                education=rng.choice(list(Education)),
                graduation_date=start - timedelta(days=rng.randrange(30, 1200)),
                key_groups=frozenset(rng.sample(list(KeyGroup), rng.randrange(3))),
                job_kind=kind,
                contract_type=ContractType.INTERNSHIP_AGREEMENT
                if kind is JobKind.INTERNSHIP
                else rng.choice([ContractType.FIXED_TERM, ContractType.OPEN_ENDED]),
                contract_months=rng.choice([0, 3, 6, 12, 24, 36]),
                city_code=district[:4],
                district_code=district,
                enterprise_size=rng.choice(list(EnterpriseSize)),
                birth_year=rng.randrange(1970, 2006),
                previously_unemployed=rng.random() < 0.2,
            )
        )
    return hires


def measure_evaluation(hires: int = 20_000, runs: int = 5) -> dict[str, Any]:
    """Hires per second through facts + every hire rule + the family choice (median of runs)."""
    book = load_book()
    sample = sample_hires(hires)
    rates, cpu_rates, granted = [], [], 0
    for _ in range(runs):
        granted = 0
        t0, c0 = time.perf_counter(), time.process_time()
        for hire in sample:
            policy = book.in_force(hire.start_date)
            assert policy is not None
            chosen = choose_per_family(policy, policy.evaluate(hire_facts(hire), Trigger.HIRE))
            granted += len(chosen)
            for choice in chosen.values():  # the chosen rules' reasons go into the cases
                choice.decision.reasons  # noqa: B018
        rates.append(hires / (time.perf_counter() - t0))
        # per CPU-second of this process: what one core of its own would do (on a shared
        # machine the wall-clock rate is the share of a core the process was given)
        cpu_rates.append(hires / max(time.process_time() - c0, 1e-9))
    rules = [r.id for r in book.latest.rules if r.trigger is Trigger.HIRE]
    return {
        "name": "policy_evaluation",
        "what": f"hires/s evaluated against {len(rules)} hire rules (pure, one core)",
        "median_per_s": round(statistics.median(rates)),
        "runs_per_s": [round(r) for r in rates],
        "median_per_cpu_s": round(statistics.median(cpu_rates)),
        "runs_per_cpu_s": [round(r) for r in cpu_rates],
        "hires": hires,
        "cases_or_waits_per_hire": round(granted / hires, 3),
    }


async def measure_consumer(infra, hires: int = 1000) -> dict[str, Any]:
    """Hires per second through the real consumer runner (JetStream in, PostgreSQL out)."""
    import nats

    from suxin.common.v1.common_pb2 import Date
    from suxin.hiring.v1 import events_pb2 as hiring
    from suxin_common.messaging.catalog import event_type_for_subject
    from suxin_devkit.testing import (
        eventually,
        headers_for,
        running_consumers,
        scalar,
        service_runtime,
    )
    from training_vouchers.consumers import subscriptions
    from training_vouchers.settings import Settings

    subject = event_type_for_subject("suxin.hiring.hire_recorded.v1").subject
    book = load_book()
    async with service_runtime(infra, "training-vouchers", Settings) as runtime:
        async with running_consumers(runtime, subscriptions(book), infra.nats_url):
            nc = await nats.connect(infra.nats_url)
            js = nc.jetstream()
            try:
                payloads = []
                for i in range(hires):
                    e = hiring.HireRecorded(
                        hire_id=str(uuid.uuid4()),
                        version=1,
                        enterprise_uscc="91321000MA1XXXXX18",
                        city_code="3210",
                        district_code="321002",
                        person_key=f"pk_{uuid.uuid4().hex}",
                        education=hiring.EDUCATION_BACHELOR,
                        graduation_date=Date(year=2025, month=6, day=30),
                        key_groups=[hiring.KEY_GROUP_COLLEGE_GRADUATE],
                        job_kind=hiring.JOB_KIND_FULL_TIME,
                        contract_type=hiring.CONTRACT_TYPE_FIXED_TERM,
                        contract_months=36,
                        start_date=Date(year=2026, month=3, day=1 + i % 28),
                    )
                    payloads.append(e.SerializeToString())
                t0 = time.perf_counter()
                await asyncio.gather(
                    *(
                        js.publish(subject, p, headers=headers_for(str(uuid.uuid4())))
                        for p in payloads
                    )
                )

                async def all_opened() -> bool:
                    count = await scalar(runtime.engine, "SELECT count(*) FROM subsidy_cases")
                    return count >= hires

                await eventually(all_opened, within=600)
                elapsed = time.perf_counter() - t0
            finally:
                await nc.close()
    return {
        "name": "policy_evaluation_consumer",
        "what": "hires/s through the HireRecorded consumer (inbox, rules, case, outbox)",
        "median_per_s": round(hires / elapsed),
        "hires": hires,
    }


async def bench_entries(infra, *, quick: bool = False) -> list[dict[str, Any]]:
    """Both figures in the shape of ``bench/`` results (value, unit, runs; no baseline)."""
    pure = measure_evaluation(hires=5_000 if quick else 20_000, runs=3 if quick else 5)
    consumer = await measure_consumer(infra, hires=300 if quick else 1000)
    return [
        {
            "name": pure["name"],
            "what": pure["what"],
            "value": pure["median_per_s"],
            "unit": "hires/s",
            "runs": pure["runs_per_s"],
        },
        {
            "name": consumer["name"],
            "what": consumer["what"],
            "value": consumer["median_per_s"],
            "unit": "hires/s",
            "runs": [consumer["median_per_s"]],
        },
    ]


async def _main() -> None:
    from suxin_devkit.devstack import testinfra

    print(json.dumps(measure_evaluation(), ensure_ascii=False))
    infra = await asyncio.to_thread(testinfra.start, testinfra.choose())
    try:
        print(json.dumps(await measure_consumer(infra), ensure_ascii=False))
    finally:
        await asyncio.to_thread(infra.close)


if __name__ == "__main__":
    asyncio.run(_main())
