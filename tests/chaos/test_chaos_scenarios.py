"""Fault-injection scenarios: whatever crashes, every hire takes effect exactly once in each of
the four consumers (reconciliation: published hires vs each consumer's inbox and effect rows).

Each scenario drives hires through the public API while it breaks something, waits for the
system to be quiet, checks the invariants, and records its figure line. Sizes are small under
``make test`` (scenarios marked ``short``) and the issue's under ``make chaos``.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Awaitable, Callable

import httpx
import nats
import pytest
from chaos.conftest import size
from chaos.harness import CONSUMERS, HIRE_SUBJECT, ChaosStack, HireDriver, figures_of

from suxin_common.reconcile import summary

pytestmark = [pytest.mark.chaos, pytest.mark.integration, pytest.mark.timeout(3600)]

Fault = Callable[[], Awaitable[None]]


async def drive(
    stack: ChaosStack, hires: int, faults: list[tuple[float, Fault]], *, concurrency: int = 4
) -> tuple[HireDriver, float]:
    """Record ``hires`` hires; run each fault once that share of them is acknowledged.

    Returns the driver and the monotonic time at which the last fault had healed.
    """
    driver = HireDriver(stack, concurrency=concurrency)
    await driver.open(hires)
    load = asyncio.create_task(driver.run(hires))
    healed = time.monotonic()
    for share, fault in sorted(faults, key=lambda f: f[0]):
        while len(driver.acknowledged) < share * hires and not load.done():  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        await fault()
        healed = time.monotonic()
    await load
    return driver, healed


async def settle_and_check(
    stack: ChaosStack,
    driver: HireDriver,
    healed: float,
    scenario: str,
    record,  # noqa: ANN001
    before: int,
    effects_before: int,
    notes: str = "",
) -> None:
    report, _ = await stack.quiesce()
    recover_s = time.monotonic() - healed
    published = await stack.published_hires()
    # Every hire the API acknowledged was published (nothing lost before the bus).
    keys = await stack.scalar(
        "job_matching",
        "SELECT count(*) FROM outbox WHERE subject = :s AND ce_subject = ANY(:ids)",
        s=HIRE_SUBJECT,
        ids=driver.acknowledged,
    )
    figures = figures_of(scenario, report, published - before, recover_s, notes=notes)
    figures.effects_found -= effects_before
    record(figures)
    assert keys == len(driver.acknowledged), "acknowledged hires missing from the outbox"
    assert report.ok, summary([report])
    assert figures.lost == 0 and figures.duplicated == 0, summary([report])
    assert not driver.bad_responses, driver.bad_responses[:5]


async def baseline(stack: ChaosStack) -> tuple[int, int]:
    report, _ = await stack.quiesce()
    return await stack.published_hires(), sum(c.effects or 0 for c in report.consumers)


# --- 1. NATS kill -9 ---------------------------------------------------------------------------


@pytest.mark.short
async def test_nats_killed_three_times_during_hires(chaos_stack: ChaosStack, record) -> None:
    stack = chaos_stack
    before, effects_before = await baseline(stack)
    hires = size(40, 10_000)
    kills = 3 if size(0, 1) else 1

    async def kill_and_restart() -> None:
        stack.kill_nats()
        await asyncio.sleep(2.0)
        await stack.restart_nats()

    faults = [((i + 1) / (kills + 1), kill_and_restart) for i in range(kills)]
    driver, healed = await drive(stack, hires, faults)
    await settle_and_check(
        stack,
        driver,
        healed,
        "1 NATS kill -9",
        record,
        before,
        effects_before,
        notes=f"{kills} kill(s), 2 s down each",
    )


# --- 2. PostgreSQL immediate stop ---------------------------------------------------------------


async def _probe_during_outage(stack: ChaosStack, driver: HireDriver) -> dict[str, int]:
    """Each service answers 503 problem+json (never 500) while its database is down."""
    from e2e.scenario import ENTERPRISE

    enterprise = {
        "uscc": ENTERPRISE,
        "name": "扬州智造科技有限公司",
        "city_code": "3210",
        "district_code": "321002",
        "industry_code": "C",
        "size": "medium",
        "specialized_sme": True,
    }
    # Endpoints that need the database: the publisher's API and the kit's operator API.
    probes = {"job_matching": ("POST", "/v1/enterprises", enterprise)} | {
        svc: ("GET", "/v1/admin/dead-letters", None) for svc in CONSUMERS
    }
    seen: dict[str, int] = {}
    async with httpx.AsyncClient(headers=driver.headers, trust_env=False, timeout=30) as c:
        for svc, (method, path, body) in probes.items():
            url = stack.urls(svc)[0] + path
            r = await c.request(method, url, json=body) if body else await c.request(method, url)
            seen[svc] = r.status_code
            if r.status_code >= 500:
                assert r.status_code == 503, (svc, r.status_code, r.text[:300])
                assert r.headers["content-type"].startswith("application/problem+json"), svc
    return seen


@pytest.mark.short
async def test_postgres_stopped_immediately_twice(chaos_stack: ChaosStack, record) -> None:
    stack = chaos_stack
    before, effects_before = await baseline(stack)
    hires = size(40, 2_000)
    stops = 2
    answers: list[dict[str, int]] = []

    async def stop_and_start() -> None:
        await asyncio.to_thread(stack.stop_postgres_immediate)
        await asyncio.sleep(1.0)
        answers.append(await _probe_during_outage(stack, driver_ref[0]))
        await asyncio.sleep(2.0)
        await stack.start_postgres()

    driver_ref: list[HireDriver] = []
    driver = HireDriver(stack)
    driver_ref.append(driver)
    await driver.open(hires)
    load = asyncio.create_task(driver.run(hires))
    healed = time.monotonic()
    for i in range(stops):
        target = (i + 1) * hires / (stops + 1)
        while len(driver.acknowledged) < target and not load.done():  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        await stop_and_start()
        healed = time.monotonic()
    await load
    # No service was restarted: the same pids recovered on their own.
    assert all(p.restarts == 0 for ps in stack.replicas.values() for p in ps)
    await settle_and_check(
        stack,
        driver,
        healed,
        "2 PostgreSQL stop -m immediate",
        record,
        before,
        effects_before,
        notes=f"{stops} stops, 3 s down; API during outage: "
        + ", ".join(sorted({str(v) for a in answers for v in a.values()}))
        + f"; driver saw {driver.statuses.get(503, 0)}x503, {driver.statuses.get(500, 0)}x500",
    )
    assert all(s in (503,) for a in answers for s in a.values()), answers
    assert driver.statuses.get(500, 0) == 0


# --- 3. consumer crash after commit, before ack ------------------------------------------------


@pytest.mark.short
async def test_consumer_crashes_after_commit_before_ack(chaos_stack: ChaosStack, record) -> None:
    stack = chaos_stack
    rate = "0.01" if size(0, 1) else "0.05"  # short runs are small: a higher rate still bites
    # A dead consumer's unacked batch comes back after ack_wait: 5 s keeps the run short.
    faults = {"FAULT_CRASH_AFTER_COMMIT_RATE": rate, "CONSUMER_ACK_WAIT_S": "5"}
    try:  # a failed start still ends in the finally's clean restart
        await stack.start_services(env={svc: faults for svc in CONSUMERS})
        before, effects_before = await baseline(stack)
        restarts = stack.restarts
        driver, healed = await drive(stack, size(30, 5_000), [])
        await settle_and_check(
            stack,
            driver,
            healed,
            "3 consumer exit after commit, before ack",
            record,
            before,
            effects_before,
            notes=f"rate {rate} per message, ack_wait 5 s; {stack.restarts - restarts} crashes",
        )
    finally:
        await stack.start_services()


# --- 4. relay crash after PubAck, before marking sent -----------------------------------------


async def test_relay_crashes_after_puback_before_marking_sent(
    chaos_stack: ChaosStack, record
) -> None:
    stack = chaos_stack
    rate = "0.05" if size(0, 1) else "0.1"
    # A short lease so the dead relay's claimed rows are taken over quickly.
    try:  # a failed start still ends in the finally's clean restart
        await stack.start_services(
            env={
                "job_matching": {"FAULT_RELAY_CRASH_AFTER_PUBACK_RATE": rate, "OUTBOX_LEASE_S": "3"}
            }
        )
        before, effects_before = await baseline(stack)
        restarts = stack.restarts
        driver, healed = await drive(stack, size(20, 2_000), [])
        await settle_and_check(
            stack,
            driver,
            healed,
            "4 relay exit after PubAck, before marking sent",
            record,
            before,
            effects_before,
            notes=f"rate {rate} per batch; {stack.restarts - restarts} relay crashes",
        )
    finally:
        await stack.start_services()


# --- 5. four replicas -------------------------------------------------------------------------


async def test_four_replicas_compete(chaos_stack: ChaosStack, record) -> None:
    stack = chaos_stack
    replicas = {"job_matching": 4, "training_vouchers": 4}
    try:  # a failed start still ends in the finally's clean restart
        await stack.start_services(replicas=replicas)
        before, effects_before = await baseline(stack)
        driver, healed = await drive(stack, size(60, 2_000), [], concurrency=8)
        await settle_and_check(
            stack,
            driver,
            healed,
            "5 four replicas (relays + consumers)",
            record,
            before,
            effects_before,
            notes="job_matching x4 (relays), training_vouchers x4 (one durable consumer)",
        )
    finally:
        await stack.start_services()


# --- 6. NATS down longer than the duplicate window, relay resends -----------------------------


async def _stream_messages(stack: ChaosStack) -> int:
    nc = await nats.connect(stack.nats_url, allow_reconnect=False)
    try:
        return (await nc.jetstream().stream_info("SUXIN_HIRING")).state.messages
    finally:
        await nc.close()


async def test_nats_down_longer_than_duplicate_window(chaos_stack: ChaosStack, record) -> None:
    stack = chaos_stack
    window = "2"
    try:  # a failed start still ends in the finally's clean restart
        await stack.start_services(
            env={
                "*": {"STREAM_DUPLICATE_WINDOW_S": window},
                # Resends on purpose: the relay dies after PubAck (so rows stay unsent) and its
                # lease outlives the duplicate window, so JetStream cannot drop the resends.
                "job_matching": {
                    "FAULT_RELAY_CRASH_AFTER_PUBACK_RATE": "0.1",
                    "OUTBOX_LEASE_S": "4",
                },
            }
        )
        before, effects_before = await baseline(stack)
        on_stream = await _stream_messages(stack)

        async def outage() -> None:
            stack.kill_nats()
            await asyncio.sleep(6.0)  # > 2 s duplicate window
            await stack.restart_nats()

        driver, healed = await drive(stack, size(40, 2_000), [(0.5, outage)])
        report, _ = await stack.quiesce()
        copies = await _stream_messages(stack) - on_stream
        published = await stack.published_hires() - before
        await settle_and_check(
            stack,
            driver,
            healed,
            "6 NATS down > duplicate window, relay resends",
            record,
            before,
            effects_before,
            notes=f"window {window} s, 6 s down; stream holds {copies} messages for "
            f"{published} events ({copies - published} resends absorbed by the inboxes)",
        )
    finally:
        await stack.start_services()


# --- 7. pull consumer keeps receiving after a NATS restart ------------------------------------


@pytest.mark.short
async def test_consumers_resume_after_nats_restart(chaos_stack: ChaosStack, record) -> None:
    stack = chaos_stack
    before, effects_before = await baseline(stack)
    stack.kill_nats()
    await asyncio.sleep(1.0)
    await stack.restart_nats()
    back = time.monotonic()
    driver, _ = await drive(stack, size(20, 1_000), [])
    # Lag back to zero within 30 s of the last hire (the recovery bound).
    loaded = time.monotonic()
    while True:
        with contextlib_suppress():
            lag = await stack.consumer_lag()
            if all(v == 0 for v in lag.values()):
                break
        assert time.monotonic() - loaded < 30, f"consumer lag not back to zero: {lag}"
        await asyncio.sleep(0.5)
    lag_s = time.monotonic() - loaded
    await settle_and_check(
        stack,
        driver,
        back,
        "7 pull consumers after NATS restart",
        record,
        before,
        effects_before,
        notes=f"lag 0 on all 4 durables {lag_s:.1f} s after the last hire (bound 30 s)",
    )


def contextlib_suppress():  # noqa: ANN201
    import contextlib

    return contextlib.suppress(Exception)


# --- 8. poison events -------------------------------------------------------------------------


async def _publish_raw(stack: ChaosStack, event_id: str, payload: bytes) -> None:
    nc = await nats.connect(stack.nats_url, allow_reconnect=False)
    try:
        headers = {
            "ce-id": event_id,
            "ce-type": HIRE_SUBJECT,
            "ce-source": "/chaos",
            "ce-specversion": "1.0",
            "ce-subject": event_id,
            "ce-time": "2026-01-01T00:00:00Z",
            "Nats-Msg-Id": event_id,
        }
        await nc.jetstream().publish(HIRE_SUBJECT, payload, headers=headers)
    finally:
        await nc.close()


@pytest.mark.short
async def test_poison_events_are_dead_lettered_and_replayable(
    chaos_stack: ChaosStack, record
) -> None:
    import uuid

    stack = chaos_stack
    max_deliver = 3
    try:  # a failed start still ends in the finally's clean restart
        await stack.start_services(env={"*": {"CONSUMER_MAX_DELIVER": str(max_deliver)}})
        before, effects_before = await baseline(stack)
        driver = HireDriver(stack)
        follow = size(50, 1_000)
        await driver.open(follow + 1)
        # Undecodable bytes, and a payload that decodes but breaks the schema (wrong wire types).
        undecodable = f"poison-undecodable-{uuid.uuid4()}"
        invalid = f"poison-schema-{uuid.uuid4()}"
        await _publish_raw(stack, undecodable, b"\x08\x96\x01\xff garbage")
        await _publish_raw(stack, invalid, b"\x0a\x02\xff\xfe\x12\x01\x00" * 3)
        # A handler that always fails: employment_monitor's table is gone for one hire.
        monitor = stack.database_urls["employment_monitor"]
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(monitor, pool_size=1)
        try:
            async with engine.begin() as conn:
                await conn.execute(text("ALTER TABLE hire_facts RENAME TO hire_facts_broken"))
            async with httpx.AsyncClient(headers=driver.headers, trust_env=False) as c:
                failing_hire = await driver.hire_one(c)
            base = stack.urls("employment_monitor")[0]
            letters = await _wait_dead_letter(base, driver.headers, failing_hire)
            async with engine.begin() as conn:  # "deploy the fix"
                await conn.execute(text("ALTER TABLE hire_facts_broken RENAME TO hire_facts"))
        finally:
            await engine.dispose()
        assert letters["deliveries"] >= max_deliver, letters
        async with httpx.AsyncClient(headers=driver.headers, trust_env=False, timeout=30) as c:
            r = await c.post(f"{base}/v1/admin/dead-letters/{letters['id']}/replay")
            assert r.status_code in (200, 201), r.text
            # The undecodable ones are visible in every consumer; replaying them is refused.
            for svc in CONSUMERS:
                r = await c.get(stack.urls(svc)[0] + "/v1/admin/dead-letters")
                assert r.status_code == 200, r.text
                ids = {d["event_id"] for d in _items(r.json())}
                assert {undecodable, invalid} <= ids or undecodable in ids, (svc, ids)
        # The next events flow.
        t0 = time.monotonic()
        await driver.run(follow)
        await settle_and_check(
            stack,
            driver,
            t0,
            "8 poison events",
            record,
            before,
            effects_before,
            notes=f"undecodable + schema-invalid + always-failing handler dead-lettered after "
            f"{max_deliver} deliveries; replay via admin API ok; next {follow} flowed",
        )
    finally:
        await stack.start_services()


def _items(body) -> list[dict]:  # noqa: ANN001
    return body["items"] if isinstance(body, dict) else body


async def _wait_dead_letter(base: str, headers: dict, hire_id: str) -> dict:
    async with httpx.AsyncClient(headers=headers, trust_env=False, timeout=30) as c:
        for _ in range(120):
            r = await c.get(f"{base}/v1/admin/dead-letters")
            assert r.status_code == 200, r.text
            for d in _items(r.json()):
                if d["error"].startswith("gave up"):
                    return d
            await asyncio.sleep(0.5)
    raise AssertionError(f"hire {hire_id} was not dead-lettered")


# --- 9. handler slower than ack_wait ----------------------------------------------------------


async def test_handler_slower_than_ack_wait(chaos_stack: ChaosStack, record) -> None:
    stack = chaos_stack
    try:  # a failed start still ends in the finally's clean restart
        await stack.start_services(
            env={
                "injury_insurance": {"CONSUMER_ACK_WAIT_S": "2", "FAULT_HANDLER_DELAY_S": "3"},
            },
            replicas={"injury_insurance": 2},
        )
        before, effects_before = await baseline(stack)
        driver, healed = await drive(stack, size(20, 500), [])
        await settle_and_check(
            stack,
            driver,
            healed,
            "9 handler slower than ack_wait",
            record,
            before,
            effects_before,
            notes="injury_insurance x2: ack_wait 2 s, every transaction 3 s",
        )
    finally:
        await stack.start_services()


# --- 10. SIGTERM under load -------------------------------------------------------------------


@pytest.mark.short
async def test_sigterm_under_load_drains(chaos_stack: ChaosStack, record) -> None:
    stack = chaos_stack
    before, effects_before = await baseline(stack)
    grace = 15.0
    took: list[float] = []

    async def sigterm_all() -> None:
        for svc in ("job_matching", *CONSUMERS):
            for p in stack.replicas[svc]:
                p.expected_down = True
                t0 = time.monotonic()
                p.send(signal.SIGTERM)
                code = await asyncio.to_thread(p.proc.wait, grace + 10)
                took.append(time.monotonic() - t0)
                # uvicorn re-raises the signal after its graceful shutdown: -15 is clean.
                assert code in (0, -signal.SIGTERM), (svc, code)
                p.launch()
        for svc in ("job_matching", *CONSUMERS):
            for p in stack.replicas[svc]:
                await p.wait_ready()

    driver, healed = await drive(stack, size(40, 2_000), [(0.5, sigterm_all)])
    await settle_and_check(
        stack,
        driver,
        healed,
        "10 SIGTERM under load",
        record,
        before,
        effects_before,
        notes=f"each service SIGTERMed in turn; exited cleanly in at most {max(took):.1f} s "
        f"(grace {grace:.0f} s)",
    )
    assert max(took) < grace


# --- 11. three-node NATS cluster --------------------------------------------------------------


async def test_cluster_leader_killed_then_paused(cluster_root, record) -> None:  # noqa: ANN001
    stack = ChaosStack(cluster_root, cluster=True)
    try:
        await stack.start()
        await stack.start_services()
        assert stack.cluster is not None
        cluster = stack.cluster
        before, effects_before = await baseline(stack)
        leaders: list[int | None] = []

        async def kill_leader() -> None:
            i = await asyncio.to_thread(cluster.stream_leader, "SUXIN_HIRING")
            leaders.append(i)
            assert i is not None, "no stream leader found"
            cluster.kill(i)
            await asyncio.sleep(3.0)
            cluster.restart(i)  # main thread: parent-death signal

        async def pause_leader() -> None:
            i = await asyncio.to_thread(cluster.stream_leader, "SUXIN_HIRING")
            leaders.append(i)
            assert i is not None, "no stream leader found"
            cluster.kill(i, signal.SIGSTOP)
            await asyncio.sleep(10.0)
            cluster.kill(i, signal.SIGCONT)

        driver, healed = await drive(
            stack, size(60, 2_000), [(1 / 3, kill_leader), (2 / 3, pause_leader)]
        )
        await settle_and_check(
            stack,
            driver,
            healed,
            "11 NATS cluster R3: leader killed, then paused",
            record,
            before,
            effects_before,
            notes=f"3 nodes, R3 streams; killed node {leaders[0]} (3 s), "
            f"SIGSTOP node {leaders[1]} (10 s)",
        )
    finally:
        await stack.close()
