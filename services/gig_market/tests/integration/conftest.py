"""A migrated gig-market database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import pytest

from gig_market.app import create_app
from gig_market.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_devkit.testing import api_client, make_resident_id, make_uscc, service_runtime

PLATFORM_A = make_uscc(101, region="320100")
PLATFORM_B = make_uscc(202, region="321000")


# Every scope a platform's machine token may hold for gig-market.
PLATFORM_SCOPES = ("platforms:read", "workers:read", "workers:write", "orders:read", "orders:write")


def bearer(role: str, scopes: tuple[str, ...] = (), **tenant: str) -> dict[str, str]:
    token = mint_dev_token(Settings(environment="test"), "t", [role], scopes=scopes, **tenant)
    return {"Authorization": f"Bearer {token}"}


STAFF = bearer("hrss_staff")
AS_A = bearer("platform", PLATFORM_SCOPES, platform_id="client-a")
AS_B = bearer("platform", PLATFORM_SCOPES, platform_id="client-b")


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "gig-market", Settings) as rt:
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c


async def register_platform(client, uscc: str, client_id: str, **changes) -> dict:
    body = {
        "uscc": uscc,
        "name": f"平台{client_id}",
        "client_id": client_id,
        "pilot": True,
        "industries": ["instant_delivery", "ride_hailing"],
        "city_code": "3201",
    } | changes
    r = await client.post("/v1/platforms", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def register_worker(client, uscc: str, worker_id: str, n: int, headers) -> dict:
    body = {
        "worker_id": worker_id,
        "resident_id": make_resident_id(n),
        "name": "张三",
        "city_code": "3201",
    }
    r = await client.post(f"/v1/platforms/{uscc}/workers", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
async def two_platforms(client):
    """Platform A (client-a) with workers a1, a2; platform B (client-b) with worker b1."""
    await register_platform(client, PLATFORM_A, "client-a")
    await register_platform(client, PLATFORM_B, "client-b", industries=["intra_city_freight"])
    await register_worker(client, PLATFORM_A, "a1", 1, AS_A)
    await register_worker(client, PLATFORM_A, "a2", 2, AS_A)
    await register_worker(client, PLATFORM_B, "b1", 3, AS_B)
