"""A migrated injury-insurance database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from injury_insurance.app import create_app
from injury_insurance.settings import Settings
from suxin_common.db import session_factory
from suxin_common.migrate import upgrade_async
from suxin_common.privacy import PersonalData
from suxin_common.service import Runtime


@pytest.fixture
async def runtime(infra):
    url = await infra.create_database("injury_insurance")
    await upgrade_async("injury-insurance", url)
    settings = Settings(environment="test", database_url=url, nats_url=infra.nats_url)
    engine = create_async_engine(url)
    try:
        yield Runtime(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            personal_data=PersonalData.from_settings(settings),
            source="/suxin/injury-insurance",
        )
    finally:
        await engine.dispose()


@pytest.fixture
async def client(runtime):
    app = create_app(runtime.settings)
    app.state.runtime = runtime  # what the lifespan would set, without NATS or workers
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://injury-insurance") as c:
        yield c
