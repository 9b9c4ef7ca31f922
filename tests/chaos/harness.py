"""The chaos suite's own platform: PostgreSQL, NATS and the services as processes it may kill.

Everything runs in a temporary directory on free 127.0.0.1 ports: an embedded PostgreSQL, an
embedded NATS (one server, or a three-node cluster), and job_matching plus the four hire
consumers as uvicorn processes with known pids. A supervisor restarts a service process that
died (as Kubernetes would), so crash faults injected inside a service heal on their own.
Invariants are checked by querying every service's database through the reconciliation
(:mod:`suxin_common.reconcile`): published hires vs each consumer's inbox and effect rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import nats
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common.migrate import upgrade_async
from suxin_common.reconcile import FlowReport, reconcile
from suxin_devkit.devstack._proc import free_port, spawn, stop_process, tail
from suxin_devkit.devstack.nats import EmbeddedNats, NatsCluster
from suxin_devkit.devstack.postgres import EmbeddedPostgres, create_database

CONSUMERS = ("training_vouchers", "injury_insurance", "talent_card", "employment_monitor")
SERVICES = ("job_matching", *CONSUMERS)
HIRE_SUBJECT = "suxin.hiring.hire_recorded.v1"

# Fast loops for tests (short fetches, polls and backoff); production keeps the defaults.
FAST_ENV = {
    "ENVIRONMENT": "test",
    "LOG_LEVEL": "warning",
    "CONSUMER_FETCH_TIMEOUT_S": "1.0",
    "OUTBOX_POLL_INTERVAL_S": "0.5",
    "CONSUMER_BACKOFF_S": "[0.2, 0.5, 1.0]",
    "RATE_LIMIT_ENABLED": "false",
    "DB_POOL_SIZE": "4",
    "DB_MAX_OVERFLOW": "4",
}


class ServiceProcess:
    """One replica of a service: ``python -m uvicorn --factory <svc>.app:create_app``."""

    def __init__(self, svc: str, replica: int, log_dir: Path, env: Mapping[str, str]) -> None:
        self.svc = svc
        self.replica = replica
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"{svc}-{replica}.log"
        self.env = dict(env)
        self.proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.expected_down = False

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def launch(self) -> None:
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            f"{self.svc}.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            "--timeout-graceful-shutdown",
            "10",
        ]
        self.proc = spawn(argv, log_file=self.log, env=self.env)
        self.expected_down = False

    async def wait_ready(self, within_s: float = 120.0, *, supervised: bool = False) -> None:
        """Until ``/readyz`` answers 200. ``supervised``: the stack's supervisor relaunches this
        replica if it dies (a scenario's armed fault may fire on the backlog it consumes while
        starting), so a death is waited out instead of failing at once."""
        deadline = time.monotonic() + within_s
        async with httpx.AsyncClient(trust_env=False) as client:
            while time.monotonic() < deadline:
                if not self.alive and not supervised:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.url}/readyz", timeout=2)).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise AssertionError(f"{self.svc}#{self.replica} not ready:\n{tail(self.log, 40)}")

    def send(self, sig: int) -> None:
        if self.alive:
            os.kill(self.proc.pid, sig)

    def stop(self, steps=((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0))) -> None:  # noqa: ANN001
        self.expected_down = True
        if self.proc is not None:
            stop_process(self.proc, steps)


@dataclass
class Figures:
    """One scenario's figure line."""

    scenario: str
    events_sent: int
    effects_found: int
    lost: int
    duplicated: int
    recover_s: float
    notes: str = ""
    extra: dict = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"{self.scenario}: events sent {self.events_sent}, effects found {self.effects_found}"
            f" ({len(CONSUMERS)} consumers), lost {self.lost}, duplicated {self.duplicated}, "
            f"recovered in {self.recover_s:.1f}s{'; ' + self.notes if self.notes else ''}"
        )


class ChaosStack:
    """PostgreSQL + NATS + services, all killable, in ``root``."""

    def __init__(self, root: Path, *, cluster: bool = False) -> None:
        self.root = root
        self.log_dir = root / "logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.cluster_mode = cluster
        self.pg: EmbeddedPostgres | None = None
        self.nats: EmbeddedNats | None = None
        self.cluster: NatsCluster | None = None
        self.database_urls: dict[str, str] = {}
        self.replicas: dict[str, list[ServiceProcess]] = {}
        self.env: dict[str, dict[str, str]] = {}
        self._supervisor: asyncio.Task | None = None
        self.restarts = 0

    # -- infrastructure ----------------------------------------------------------------------

    @property
    def nats_url(self) -> str:
        if self.cluster is not None:
            return self.cluster.url
        assert self.nats is not None
        return f"nats://127.0.0.1:{self.nats.port}"

    @property
    def wal_archive(self) -> Path:
        return self.root / "wal-archive"

    async def start(self) -> None:
        # Servers are started from the main thread (see restart_nats).
        self.wal_archive.mkdir(exist_ok=True)
        self.wal_archive.chmod(0o777)  # written by the server's OS user
        self.pg = EmbeddedPostgres(
            self.root / "pg",
            log_file=self.log_dir / "postgres.log",
            # Production durability: the devstack's fast settings (synchronous_commit=off)
            # lose the last commits on `pg_ctl stop -m immediate`, acknowledged ones too.
            settings={
                "max_connections": "200",
                "fsync": "on",
                "synchronous_commit": "on",
                "full_page_writes": "on",
                # Continuous archiving for the restore drill (tests/chaos/backup.py): every
                # finished WAL segment is copied to the archive, as CNPG's barman does in prod.
                "archive_mode": "on",
                "archive_command": (
                    f"test ! -f {self.wal_archive}/%f && cp %p {self.wal_archive}/%f"
                ),
            },
        ).start()
        self.pg.requested_port = self.pg.port  # restarts come back on the same port
        if self.cluster_mode:
            self.cluster = NatsCluster(self.root / "nats", log_dir=self.log_dir)
            self.cluster.start()
        else:
            self.nats = EmbeddedNats(
                self.root / "nats",
                port=free_port(),
                monitor_port=free_port(),
                log_file=self.log_dir / "nats.log",
            )
            self.nats.start()
        for svc in SERVICES:
            url = await create_database(self.pg.admin_url, f"chaos_{svc}")
            await upgrade_async(svc, url)
            self.database_urls[svc] = url

    def service_env(self, svc: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FAULT_", "STREAM_"))}
        env.update(FAST_ENV)
        env.update(
            DATABASE_URL=self.database_urls[svc],
            NATS_URL=self.nats_url,
            SERVICE_NAME=svc.replace("_", "-"),
            PYTHONUNBUFFERED="1",
        )
        if self.cluster is not None:
            env["STREAM_REPLICAS"] = "3"
        env.update(extra or {})
        return env

    async def start_services(
        self,
        env: Mapping[str, Mapping[str, str]] | None = None,
        replicas: Mapping[str, int] | None = None,
    ) -> None:
        """(Re)start every service; ``env`` per service adds settings (faults, short windows)."""
        await self.stop_services()
        env = env or {}
        replicas = replicas or {}
        for svc in SERVICES:
            self.env[svc] = self.service_env(svc, {**env.get("*", {}), **env.get(svc, {})})
            self.replicas[svc] = [
                ServiceProcess(svc, i, self.log_dir, self.env[svc])
                for i in range(replicas.get(svc, 1))
            ]
        # The publisher first: it provisions the stream the consumers bind to.
        for p in self.replicas["job_matching"]:
            p.launch()
        await asyncio.gather(*(p.wait_ready() for p in self.replicas["job_matching"]))
        others = [p for svc in CONSUMERS for p in self.replicas[svc]]
        for p in others:
            p.launch()
        # Supervised from here: a consumer whose armed fault fires before it is ready (scenario
        # 3 once crashed employment-monitor on its first batch) is relaunched, as later on.
        self._supervisor = asyncio.create_task(self._supervise())
        await asyncio.gather(*(p.wait_ready(supervised=True) for p in others))

    async def stop_services(self, steps=((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0))) -> None:  # noqa: ANN001
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
            self._supervisor = None
        procs = [p for ps in self.replicas.values() for p in ps]
        await asyncio.gather(*(asyncio.to_thread(p.stop, steps) for p in procs))

    async def _supervise(self) -> None:
        """Restart a replica that died unexpectedly, as an orchestrator would."""
        while True:
            await asyncio.sleep(0.5)
            for ps in self.replicas.values():
                for p in ps:
                    if not p.alive and not p.expected_down:
                        p.restarts += 1
                        self.restarts += 1
                        p.launch()

    def urls(self, svc: str) -> list[str]:
        return [p.url for p in self.replicas[svc]]

    async def close(self) -> None:
        await self.stop_services(((signal.SIGKILL, 5.0),))
        if self.cluster is not None:
            await asyncio.to_thread(self.cluster.stop)
        if self.nats is not None:
            await asyncio.to_thread(self.nats.stop)
        if self.pg is not None:
            await asyncio.to_thread(self.pg.stop)

    # -- faults ------------------------------------------------------------------------------

    def kill_nats(self) -> None:
        """``kill -9`` the NATS server (its store dir and port are kept for the restart)."""
        assert self.nats is not None and self.nats._proc is not None
        os.kill(self.nats.pid, signal.SIGKILL)
        self.nats._proc.wait(10)

    async def restart_nats(self) -> None:
        # In the main thread on purpose: only children forked there get a parent-death signal,
        # so a killed test run leaves no server behind.
        assert self.nats is not None
        self.nats.start()

    def stop_postgres_immediate(self) -> None:
        """``pg_ctl stop -m immediate``: no checkpoint, crash recovery on the next start."""
        pg = self.pg
        assert pg is not None and pg.bin_dir is not None
        subprocess.run(
            [str(pg.bin_dir / "pg_ctl"), "stop", "-D", str(pg.data_dir), "-m", "immediate"],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            cwd="/",
            env=pg._env(),
            **pg._as_user(),
        )
        assert pg._proc is not None
        pg._proc.wait(30)

    async def start_postgres(self) -> None:
        assert self.pg is not None
        self.pg.stop()  # only tidies: the process is gone
        self.pg.start()  # main thread: see restart_nats

    # -- observation -------------------------------------------------------------------------

    async def scalar(self, svc: str, sql: str, **params) -> int:
        engine = create_async_engine(self.database_urls[svc], pool_size=1)
        try:
            async with engine.connect() as conn:
                return (await conn.execute(text(sql), params)).scalar_one()
        finally:
            await engine.dispose()

    async def published_hires(self) -> int:
        return await self.scalar(
            "job_matching", "SELECT count(*) FROM outbox WHERE subject = :s", s=HIRE_SUBJECT
        )

    async def reconcile(self) -> list[FlowReport]:
        return await reconcile(self.database_urls)

    async def quiesce(
        self, stall_s: float = 120.0, cap_s: float = 1800.0
    ) -> tuple[FlowReport, float]:
        """Wait until the outbox is drained and every consumer handled every hire event.

        Waits as long as the backlog keeps shrinking: a run whose faults cost a process
        restart per hundred messages (scenario 3 at full size) needs minutes, a small one
        seconds. Raises with the last report if nothing moved for ``stall_s`` seconds, or
        after ``cap_s`` in all. Returns the hire flow's report and the seconds it took.
        """
        t0 = time.monotonic()
        moved_at = t0
        last_progress: tuple[int, int] | None = None
        while True:
            unsent = await self.scalar(
                "job_matching", "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            reports = await self.reconcile()
            report = next(r for r in reports if r.subject == HIRE_SUBJECT)
            if not unsent and all(not c.lost for c in report.consumers):
                # Settle: a late redelivery would show up as a duplicate now.
                await asyncio.sleep(2.0)
                reports = await self.reconcile()
                report = next(r for r in reports if r.subject == HIRE_SUBJECT)
                return report, time.monotonic() - t0
            progress = (unsent, sum(len(c.lost) for c in report.consumers))
            now = time.monotonic()
            if progress != last_progress:
                last_progress, moved_at = progress, now
            stalled = now - moved_at > stall_s
            if stalled or now - t0 > cap_s:
                from suxin_common.reconcile import summary

                why = f"no progress for {stall_s:.0f}s" if stalled else f"over {cap_s:.0f}s in all"
                raise AssertionError(f"{why} ({unsent} unsent):\n{summary(reports)}")
            await asyncio.sleep(1.0)

    async def consumer_lag(self) -> dict[str, int]:
        """Per durable consumer on SUXIN_HIRING: messages not yet delivered + not yet acked."""
        nc = await nats.connect(self.nats_url, allow_reconnect=False)
        try:
            js = nc.jetstream()
            lag = {}
            for svc in CONSUMERS:
                info = await js.consumer_info("SUXIN_HIRING", svc.replace("_", "-"))
                lag[svc] = info.num_pending + info.num_ack_pending
            return lag
        finally:
            await nc.close()


def figures_of(scenario: str, report: FlowReport, sent: int, recover_s: float, **kw) -> Figures:
    return Figures(
        scenario=scenario,
        events_sent=sent,
        effects_found=sum(c.effects or 0 for c in report.consumers),
        lost=sum(len(c.lost) + len(c.without_effect) for c in report.consumers),
        duplicated=sum(len(c.duplicated) for c in report.consumers),
        recover_s=recover_s,
        **kw,
    )


async def _setup_post(client: httpx.AsyncClient, path: str, body: dict) -> httpx.Response:
    """A setup request, retried while the service is down: a scenario may already have armed
    its fault (a relay that exits after PubAck takes job-matching's process down, once even
    before it answered the setup's own request). A retried job post may add a second post;
    posts are only the hires' capacity, so that changes nothing a scenario checks."""
    deadline = time.monotonic() + 60
    while True:
        try:
            r = await client.post(path, json=body)
            if r.status_code < 500 or time.monotonic() > deadline:
                return r
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.5)


class HireDriver:
    """Records hires through the public API (tests/e2e/scenario.py's flow), retrying through
    outages: a step answered 503 or not answered at all starts again with a fresh person."""

    def __init__(self, stack: ChaosStack, concurrency: int = 4) -> None:
        from suxin_common.auth import mint_dev_token
        from suxin_common.settings import ServiceSettings

        self.stack = stack
        self.concurrency = concurrency
        token = mint_dev_token(ServiceSettings(), "chaos", ["hrss_staff", "ops"])
        self.headers = {"Authorization": f"Bearer {token}"}
        self.acknowledged: list[str] = []
        self.statuses: dict[int, int] = {}
        self.bad_responses: list[str] = []  # 5xx that are not problem+json 503
        self._numbers = itertools.count(int(time.time() * 1000) % 10_000_000)
        self._rr = itertools.count()
        self.post_ids: list[str] = []

    def _url(self, svc: str) -> str:
        urls = self.stack.urls(svc)
        return urls[next(self._rr) % len(urls)]

    async def _post(self, client: httpx.AsyncClient, svc: str, path: str, body: dict):  # noqa: ANN202
        try:
            r = await client.post(self._url(svc) + path, json=body, timeout=30)
        except httpx.HTTPError:
            self.statuses[0] = self.statuses.get(0, 0) + 1
            return None
        self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
        if r.status_code >= 500 and not (
            r.status_code == 503
            and r.headers.get("content-type", "").startswith("application/problem+json")
        ):
            self.bad_responses.append(f"{r.status_code} {path}: {r.text[:200]}")
        return r

    async def open(self, hires: int = 1000) -> None:
        """The enterprise (once per stack) and enough job posts for ``hires`` hires."""
        from e2e.scenario import ENTERPRISE

        async with httpx.AsyncClient(
            base_url=self.stack.urls("job_matching")[0],
            headers=self.headers,
            trust_env=False,
            timeout=30,
        ) as jm:
            r = await _setup_post(
                jm,
                "/v1/enterprises",
                {
                    "uscc": ENTERPRISE,
                    "name": "扬州智造科技有限公司",
                    "city_code": "3210",
                    "district_code": "321002",
                    "industry_code": "C",
                    "size": "medium",
                    "specialized_sme": True,
                },
            )
            assert r.status_code in (201, 409), r.text
            self.post_ids = []
            for _ in range(hires // 5000 + 1):
                r = await _setup_post(
                    jm,
                    "/v1/job-posts",
                    {
                        "enterprise_uscc": ENTERPRISE,
                        "title": "数控设备运维工程师",
                        "occupation_code": "6-18-01-01",
                        "district_code": "321002",
                        "kind": "full_time",
                        "headcount": 10_000,
                        "wage_min_fen": 600000,
                        "wage_max_fen": 900000,
                    },
                )
                assert r.status_code == 201, r.text
                self.post_ids.append(r.json()["id"])

    async def hire_one(self, client: httpx.AsyncClient) -> str:
        from datetime import date, timedelta

        from e2e.scenario import ENTERPRISE
        from suxin_devkit.testing import make_resident_id

        while True:
            n = next(self._numbers)
            resident_id = make_resident_id(n)
            r = await self._post(
                client,
                "job_matching",
                "/v1/seekers",
                {
                    "resident_id": resident_id,
                    "education": "master",
                    "graduation_date": str(date.today() - timedelta(days=150)),
                    "key_groups": ["college_graduate"],
                },
            )
            if r is None or r.status_code != 201:
                await self._pause(r)
                continue
            seeker_id = r.json()["id"]
            r = await self._post(
                client,
                "talent_card",
                "/v1/cards",
                {"resident_id": resident_id, "level": "C", "city_code": "3201"},
            )
            if r is None or r.status_code != 201:
                await self._pause(r)
                continue
            r = await self._post(
                client,
                "job_matching",
                "/v1/hires",
                {
                    "enterprise_uscc": ENTERPRISE,
                    "seeker_id": seeker_id,
                    "job_post_id": self.post_ids[n % len(self.post_ids)],
                    "start_date": str(date.today()),
                    "contract_type": "fixed_term",
                    "contract_months": 36,
                    "monthly_wage_fen": 750000,
                },
            )
            if r is None or r.status_code != 201:
                await self._pause(r)
                continue
            hire_id = r.json()["id"]
            self.acknowledged.append(hire_id)
            return hire_id

    async def _pause(self, r: httpx.Response | None) -> None:
        if r is not None and r.status_code not in (409, 429, 503) and r.status_code < 500:
            raise AssertionError(f"unexpected answer {r.status_code}: {r.text[:300]}")
        await asyncio.sleep(0.5)

    async def run(self, count: int) -> None:
        """Record ``count`` hires with ``concurrency`` workers."""
        if not self.post_ids:
            await self.open(count)
        remaining = itertools.count()
        async with httpx.AsyncClient(headers=self.headers, trust_env=False) as client:

            async def worker() -> None:
                while next(remaining) < count:
                    await self.hire_one(client)

            await asyncio.gather(*(worker() for _ in range(self.concurrency)))
