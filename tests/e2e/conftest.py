"""End-to-end harness: the services with their own databases on the shared infra, either
in this process (for traces) or as real uvicorn processes (for restarts and crashes)."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest

from e2e.scenario import SERVICES, staff_headers
from suxin_devkit.devstack._proc import free_port, spawn, stop_process, tail
from suxin_devkit.testing import fresh_streams

# Fast loops for tests: short fetches and polls, tiny backoff.
FAST = {
    "consumer_fetch_timeout_s": 0.5,
    "outbox_poll_interval_s": 0.5,
    "consumer_backoff_s": [0.1, 0.2, 0.5],
}


@pytest.fixture
async def databases(infra):
    """A fresh database per service, migrated by its owner role, and empty streams; the URLs
    are the services' runtime roles' (DML only), as the services connect in production. The
    databases are dropped after the test."""
    await fresh_streams(infra.nats_url)
    made = {svc: await infra.service_database(svc) for svc in SERVICES}
    yield {svc: db.runtime_url for svc, db in made.items()}
    for db in made.values():
        await infra.drop_database(db.database)


class InProcessPlatform:
    def __init__(self, infra, databases: dict[str, str]) -> None:
        self._infra = infra
        self._databases = databases
        self._stack = contextlib.AsyncExitStack()
        self.apps = {}
        self.clients: dict[str, httpx.AsyncClient] = {}

    async def __aenter__(self) -> InProcessPlatform:
        for svc in SERVICES:
            settings_cls = importlib.import_module(f"{svc}.settings").Settings
            create_app = importlib.import_module(f"{svc}.app").create_app
            settings = settings_cls(
                environment="test",
                database_url=self._databases[svc],
                nats_url=self._infra.nats_url_for(svc),
                **FAST,
            )
            app = create_app(settings)
            await self._stack.enter_async_context(app.router.lifespan_context(app))
            self.apps[svc] = app
            self.clients[svc] = await self._stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app),
                    base_url=f"http://{svc}",
                    headers=staff_headers(),
                )
            )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()


@pytest.fixture
async def in_process(infra, databases):
    async with InProcessPlatform(infra, databases) as platform:
        yield platform


class ServiceProcess:
    """One service as a real uvicorn process, as `make run` starts it."""

    def __init__(
        self, svc: str, database_url: str, nats_url: str, log_dir: Path, **env: str
    ) -> None:
        self.svc = svc
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"{svc}.log"
        self.env = {
            **os.environ,
            "ENVIRONMENT": "test",
            "DATABASE_URL": database_url,
            "NATS_URL": nats_url,
            "CONSUMER_FETCH_TIMEOUT_S": "0.5",
            "OUTBOX_POLL_INTERVAL_S": "0.5",
            "CONSUMER_BACKOFF_S": "[0.1, 0.2, 0.5]",
            **env,
        }
        self.proc = None

    async def start(self) -> None:
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
        ]
        self.proc = spawn(argv, log_file=self.log, env=self.env)
        # Up to two minutes: a loaded machine starts a service slowly (a readiness wait,
        # not a speed check; a process that exits fails at once).
        deadline = asyncio.get_running_loop().time() + 120
        async with httpx.AsyncClient() as client:
            while asyncio.get_running_loop().time() < deadline:
                if self.proc.poll() is not None:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.url}/readyz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise AssertionError(f"{self.svc} did not become ready:\n{tail(self.log)}")

    def kill(self) -> None:
        """A crash: SIGKILL, no shutdown path runs."""
        stop_process(self.proc, ((signal.SIGKILL, 5.0),))

    def stop(self) -> None:
        stop_process(self.proc)


@pytest.fixture
async def processes(infra, databases, tmp_path):
    started: list[ServiceProcess] = []

    async def start(svc: str, **env: str) -> ServiceProcess:
        p = ServiceProcess(svc, databases[svc], infra.nats_url_for(svc), tmp_path, **env)
        await p.start()
        started.append(p)
        return p

    yield start
    for p in started:
        p.stop()
