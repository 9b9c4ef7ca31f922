"""Gig-market API on real PostgreSQL and NATS."""

import httpx
import pytest

from gig_market.app import create_app
from gig_market.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.migrate import upgrade_async
from suxin_common.settings import ServiceSettings

pytestmark = pytest.mark.integration


def bearer(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(ServiceSettings(), 't', [role])}"}


async def test_markets_are_registered_by_staff_listed_by_city_and_unique_by_name(infra):
    url = await infra.create_database("gig_market")
    await upgrade_async("gig_market", url)
    app = create_app(
        Settings(
            environment="test",
            database_url=url,
            nats_url=infra.nats_url,
            run_background_workers=False,
        )
    )
    market = {
        "name": "扬州市零工市场",
        "level": "provincial",
        "city_code": "3210",
        "opened_on": "2023-05-01",
    }
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gm") as api,
    ):
        assert (
            await api.post("/v1/gig-markets", json=market, headers=bearer("seeker"))
        ).status_code == 403
        r = await api.post("/v1/gig-markets", json=market, headers=bearer("hrss_staff"))
        assert r.status_code == 201, r.text
        again = await api.post("/v1/gig-markets", json=market, headers=bearer("hrss_staff"))
        assert again.status_code == 409
        county = {**market, "name": "邗江区零工市场", "level": "county"}
        r = await api.post("/v1/gig-markets", json=county, headers=bearer("hrss_staff"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "district_code"
        r = await api.get("/v1/gig-markets", params={"city_code": "3210"}, headers=bearer("seeker"))
        assert [m["name"] for m in r.json()] == ["扬州市零工市场"]
        r = await api.get("/v1/gig-markets", params={"city_code": "9999"}, headers=bearer("seeker"))
        assert r.status_code == 422
