"""A migrated injury-insurance database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import pytest

from injury_insurance.app import create_app
from injury_insurance.settings import Settings
from suxin_common.testing import api_client, service_runtime


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "injury-insurance", Settings) as rt:
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c
