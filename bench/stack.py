"""The benchmarks' own stack: embedded PostgreSQL and NATS, services as uvicorn processes.

The same :class:`suxin_devkit.devstack.stack.Stack` that ``make run`` uses, in a temporary
directory, on ports of its own (so a running dev stack is not disturbed), without demo data.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from suxin_common.auth import mint_dev_token
from suxin_common.settings import ServiceSettings
from suxin_devkit.devstack._proc import http_get, spawn, stop_process
from suxin_devkit.devstack.stack import SERVICES, Stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def bench_stack(services: Sequence[str] = SERVICES, **env: str) -> AsyncIterator[Stack]:
    """Started and stopped in a worker thread: the stack runs event loops of its own."""
    with tempfile.TemporaryDirectory(prefix="suxin-bench-") as tmp:
        os.chmod(tmp, 0o755)  # the embedded PostgreSQL may run as another OS user
        stack = Stack(
            tmp,
            services={svc: free_port() for svc in services},
            load_demo=False,
            ready_timeout=120.0,
            extra_env={"LOG_LEVEL": "warning", **env},
        )
        await asyncio.to_thread(stack.start)
        try:
            yield stack
        finally:
            await asyncio.to_thread(stack.stop)


def engine_for(stack: Stack, service: str) -> AsyncEngine:
    return create_async_engine(stack.database_urls[service], pool_size=4)


def headers(roles: list[str], **claims) -> dict[str, str]:  # noqa: ANN003
    token = mint_dev_token(ServiceSettings(), "bench", roles, **claims)
    return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def replicas(stack: Stack, services: Sequence[str], count: int) -> AsyncIterator[dict]:
    """``count - 1`` more processes of each service, with the same settings (same database,
    same NATS, same durable consumers) on ports of their own: svc -> [pids of all replicas]
    and svc -> [urls of all replicas]. The stack's own process is the first replica."""
    pids = {svc: [stack.procs[svc].pid] for svc in services}
    urls = {svc: [stack.urls[svc]] for svc in services}
    extra = []
    try:
        for svc in services:
            for n in range(1, count):
                port = free_port()
                argv = [sys.executable, "-m", "uvicorn", "--factory", f"{svc}.app:create_app"]
                argv += ["--host", "127.0.0.1", "--port", str(port)]
                proc = spawn(
                    argv,
                    log_file=stack.log_dir / f"{svc}.replica{n}.log",
                    env=stack._service_env(svc),  # noqa: SLF001 - the very same settings
                )
                extra.append(proc)
                pids[svc].append(proc.pid)
                urls[svc].append(f"http://127.0.0.1:{port}")
        for svc in services:
            for url in urls[svc][1:]:
                for _ in range(600):
                    if (await asyncio.to_thread(http_get, f"{url}/readyz"))[0] == 200:
                        break
                    await asyncio.sleep(0.2)
                else:
                    raise RuntimeError(f"replica {url} of {svc} never became ready")
        yield {"pids": pids, "urls": urls}
    finally:
        for proc in extra:
            await asyncio.to_thread(stop_process, proc)
