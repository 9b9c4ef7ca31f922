"""A migrated talent-card database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import pytest

from suxin_common.testing import api_client, service_runtime
from talent_card.app import create_app
from talent_card.settings import Settings


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "talent-card", Settings) as rt:
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c
