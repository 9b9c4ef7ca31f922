"""A migrated employment-monitor database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from employment_monitor import contracts, handlers
from employment_monitor.app import create_app
from employment_monitor.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.messaging.catalog import event_type_of
from suxin_common.messaging.cloudevents import EventMeta
from suxin_devkit.testing import api_client, service_runtime


def auth(*roles: str, district: str | None = None) -> dict[str, str]:
    token = mint_dev_token(Settings(environment="test"), "tester", list(roles), district=district)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def staff():
    return auth("hrss_staff")


@pytest.fixture
def ops():
    return auth("ops")


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "employment-monitor", Settings) as rt:
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c


@pytest.fixture
def project(runtime):
    """Run the live handler on each event, one transaction per event, as the consumer does."""
    return lambda events: project_events(runtime, events)


async def project_events(runtime, events) -> None:
    for event in events:
        meta = EventMeta(
            id=str(uuid.uuid4()),
            type=event_type_of(event).subject,
            source="/test",
            subject="",
            time=datetime(2026, 6, 1, tzinfo=UTC),
            headers={},
        )
        async with runtime.uow() as uow:
            await handlers.project(uow, contracts.event_facts(event, meta))
            await uow.commit()
