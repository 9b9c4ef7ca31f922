"""A migrated talent-card database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common.db import session_factory
from suxin_common.migrate import upgrade_async
from suxin_common.privacy import PersonalData
from suxin_common.service import Runtime
from talent_card.app import create_app
from talent_card.settings import Settings


@pytest.fixture
async def runtime(infra):
    url = await infra.create_database("talent_card")
    await upgrade_async("talent-card", url)
    settings = Settings(environment="test", database_url=url, nats_url=infra.nats_url)
    engine = create_async_engine(url)
    try:
        yield Runtime(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            personal_data=PersonalData.from_settings(settings),
            source="/suxin/talent-card",
        )
    finally:
        await engine.dispose()


@pytest.fixture
async def client(runtime):
    app = create_app(runtime.settings)
    app.state.runtime = runtime  # what the lifespan would set, without NATS or workers
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://talent-card") as c:
        yield c
