"""The benchmarks' own stack: embedded PostgreSQL and NATS, services as uvicorn processes.

The same :class:`suxin_devkit.devstack.stack.Stack` that ``make run`` uses, in a temporary
directory, on ports of its own (so a running dev stack is not disturbed), without demo data.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import tempfile
from collections.abc import AsyncIterator, Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from suxin_common.auth import mint_dev_token
from suxin_common.settings import ServiceSettings
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
