"""A delivery platform integrates the way a partner would: staff register it, it gets its own
token with a signed JWT (private_key_jwt) at the partners service, registers a worker and
reports orders to gig-market, subscribes to claim decisions, reports its worker's injury to
injury-insurance, and receives a correctly signed webhook when staff decide the claim."""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from e2e.conftest import FAST
from e2e.scenario import staff_headers
from gig_market.app import create_app as gig_app
from gig_market.settings import Settings as GigSettings
from injury_insurance.app import create_app as injury_app
from injury_insurance.settings import Settings as InjurySettings
from partners.app import create_app as partners_app
from partners.settings import Settings as PartnersSettings
from suxin_common.migrate import upgrade_async
from suxin_devkit.devstack._proc import free_port
from suxin_devkit.partnerkit import ASSERTION_TYPE, PartnerKey, Receiver, serve
from suxin_devkit.testing import eventually, fresh_streams, make_resident_id, make_uscc

pytestmark = pytest.mark.integration

PLATFORM = make_uscc(640, region="320100")
CLAIMS = "suxin.insurance.claim_stage_changed.v1"


@pytest.fixture
async def platform(infra):
    """partners under a real server (its JWKS is fetched by URL); gig-market and
    injury-insurance in this process, trusting that JWKS; and a real webhook receiver."""
    await fresh_streams(infra.nats_url)
    urls = {}
    for svc in ("partners", "gig_market", "injury_insurance"):
        urls[svc] = await infra.create_database(svc)
        await upgrade_async(svc, urls[svc])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    trust = {"auth_jwks_url": f"{base}/.well-known/jwks.json", "auth_jwks_min_refresh_s": 0.0}
    common = {"environment": "test", "nats_url": infra.nats_url} | FAST | trust
    partners = partners_app(
        PartnersSettings(
            database_url=urls["partners"],
            token_endpoint_url=f"{base}/oauth2/token",
            webhook_poll_s=0.1,
            **common,
        )
    )
    receiver = Receiver()
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(serve(partners, port))
        receiver_base = await stack.enter_async_context(serve(receiver.app(), free_port()))
        receiver.url = f"{receiver_base}/hook"
        clients = {"partners": await stack.enter_async_context(httpx.AsyncClient(base_url=base))}
        for svc, create, settings_cls in (
            ("gig_market", gig_app, GigSettings),
            ("injury_insurance", injury_app, InjurySettings),
        ):
            app = create(settings_cls(database_url=urls[svc], **common))
            await stack.enter_async_context(app.router.lifespan_context(app))
            clients[svc] = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=f"http://{svc}")
            )
        yield clients, receiver, base


async def test_a_partner_receives_the_signed_decision_on_its_workers_claim(platform) -> None:
    clients, receiver, base = platform
    partners, gig, injury = clients["partners"], clients["gig_market"], clients["injury_insurance"]
    staff = staff_headers()
    key = PartnerKey.new()

    # Staff register the platform as a partner client and in the gig market.
    registered = await partners.post(
        "/v1/clients",
        json={
            "name": "速达即时配送",
            "kind": "platform",
            "uscc": PLATFORM,
            "scopes": [
                "workers:write",
                "orders:write",
                "claims:write",
                "claims:read",
                "cover:read",
                "webhooks:manage",
            ],
            "jwks": key.jwks(),
        },
        headers=staff,
    )
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]
    r = await gig.post(
        "/v1/platforms",
        json={
            "uscc": PLATFORM,
            "name": "速达即时配送",
            "client_id": client_id,
            "pilot": True,
            "industries": ["instant_delivery"],
            "city_code": "3201",
        },
        headers=staff,
    )
    assert r.status_code == 201, r.text

    # The platform's own token, from a JWT it signed with its key.
    token = await partners.post(
        "/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": key.assertion(client_id, f"{base}/oauth2/token"),
        },
    )
    assert token.status_code == 200, token.text
    me = {"Authorization": f"Bearer {token.json()['access_token']}"}

    # Worker and orders to gig-market with that token; subscription to claim decisions.
    r = await gig.post(
        f"/v1/platforms/{PLATFORM}/workers",
        json={
            "worker_id": "w-1",
            "resident_id": make_resident_id(640),
            "name": "李四",
            "city_code": "3201",
        },
        headers=me,
    )
    assert r.status_code == 201, r.text
    accepted = datetime.now(UTC) - timedelta(hours=2)
    r = await gig.post(
        f"/v1/platforms/{PLATFORM}/order-reports",
        json={
            "orders": [
                {
                    "order_id": "o-1",
                    "worker_id": "w-1",
                    "industry": "instant_delivery",
                    "status": "completed",
                    "accepted_at": accepted.isoformat(),
                    "completed_at": (accepted + timedelta(minutes=40)).isoformat(),
                }
            ]
        },
        headers=me,
    )
    assert r.status_code == 200, r.text
    sub = await partners.post(
        "/v1/webhooks/subscriptions",
        json={"url": receiver.url, "event_types": [CLAIMS]},
        headers=me,
    )
    assert sub.status_code == 201, sub.text
    secret = sub.json()["secret"]

    # Once injury-insurance has the worker's order cover, the platform reports an injury (once:
    # a report before the cover arrived would be a claim of its own, refused as uncovered).
    injured_at = (accepted + timedelta(minutes=20)).isoformat()

    async def covered() -> bool:
        r = await injury.get(
            f"/v1/platforms/{PLATFORM}/workers/w-1/cover", params={"at": injured_at}, headers=me
        )
        return r.status_code == 200 and r.json()["covered"]

    await eventually(covered, within=30)
    r = await injury.post(
        "/v1/claims",
        json={
            "platform_uscc": PLATFORM,
            "worker_id": "w-1",
            "injured_at": injured_at,
            "place": "南京市鼓楼区中山北路",
            "city_code": "3201",
            "order_id": "o-1",
            "description": "送餐途中摔伤",
        },
        headers=me,
    )
    assert r.status_code == 201 and r.json()["stage"] == "under_review", r.text
    claim_id = r.json()["id"]

    # Staff decide it; the decision reaches the platform as a signed webhook.
    decided = await injury.post(
        f"/v1/claims/{claim_id}/decision",
        json={"decision": "rejected", "reason": "非工作原因"},
        headers=staff,
    )
    assert decided.status_code == 200, decided.text

    def stages() -> list[str]:
        return [json.loads(body)["data"]["stage"] for _, body in receiver.received]

    async def decision_arrived() -> bool:
        return "CLAIM_STAGE_REJECTED" in stages()

    await eventually(decision_arrived, within=30)
    for headers, body in receiver.received:
        payload = Webhook(secret).verify(body, headers)
        assert payload["type"] == CLAIMS
        assert payload["data"]["claim_id"] == claim_id
        assert payload["data"]["platform_uscc"] == PLATFORM
        assert "resident_id" not in body.decode()
    # Deliveries are not ordered (they are sent concurrently and retried independently): a
    # receiver orders a claim's notices by `version`, and the rejection is the newest.
    versions = {
        json.loads(body)["data"]["stage"]: int(json.loads(body)["data"]["version"])
        for _, body in receiver.received
    }
    assert versions["CLAIM_STAGE_REJECTED"] == max(versions.values())
    assert len({h["webhook-id"] for h, _ in receiver.received}) == len(receiver.received)
    assert uuid.UUID(claim_id)
