"""Partners tests: the shared kit module importable, and the servers as fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent.parent))

from partners_kit import Partners, Receiver, partners_settings, serve  # noqa: E402

from partners.app import create_app  # noqa: E402
from suxin_common.migrate import upgrade_async  # noqa: E402
from suxin_devkit.devstack._proc import free_port  # noqa: E402
from suxin_devkit.testing import fresh_streams  # noqa: E402


@pytest.fixture
async def partners(infra):
    await fresh_streams(infra.nats_url)
    url = await infra.create_database("partners")
    await upgrade_async("partners", url)
    port = free_port()
    settings = partners_settings(url, infra.nats_url, port)
    async with serve(create_app(settings), port) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            yield Partners(base, http, settings, url, infra.nats_url)


@pytest.fixture
async def receiver():
    r = Receiver()
    async with serve(r.app(), free_port()) as base:
        r.url = f"{base}/hook"
        yield r
