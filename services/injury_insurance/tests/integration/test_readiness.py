"""The whole app, lifespan included, on real PostgreSQL and NATS: /readyz answers 200 once its
consumers are bound on both streams it reads (hiring and gig)."""

from __future__ import annotations

import httpx
import pytest

from injury_insurance.app import create_app
from suxin_devkit.testing import eventually, fresh_streams

pytestmark = pytest.mark.integration


async def test_the_service_becomes_ready_reading_two_streams(runtime, infra) -> None:
    await fresh_streams(infra.nats_url)
    settings = runtime.settings.model_copy(update={"consumer_fetch_timeout_s": 0.5})
    app = create_app(settings)

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ii") as client:

            async def ready() -> bool:
                return (await client.get("/readyz")).status_code == 200

            await eventually(ready, within=15)
            body = (await client.get("/readyz")).json()

    assert body["checks"] == {"database": "ok", "nats": "ok", "consumers": "ok"}
