"""Webhooks: a partner subscribes to the events that concern it and receives them signed per
Standard Webhooks, once per (subscription, event), retried with backoff through failures and
timeouts, disabled with a notice when retries run out, and redelivered on request."""

from __future__ import annotations

import json
import uuid

import pytest
from partners_kit import OTHER_USCC, PLATFORM_USCC, PartnerKey, publish, staff_headers
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from suxin.insurance.v1 import events_pb2 as insurance
from suxin_devkit.testing import eventually

pytestmark = pytest.mark.integration

CLAIMS = "suxin.insurance.claim_stage_changed.v1"


def claim_decided(uscc: str = PLATFORM_USCC, **changes) -> insurance.ClaimStageChanged:
    return insurance.ClaimStageChanged(
        claim_id=str(uuid.uuid4()),
        person_key="pk_" + uuid.uuid4().hex,
        platform_uscc=uscc,
        stage=insurance.CLAIM_STAGE_APPROVED,
        amount_fen=1_500_000,
        city_code="3201",
        version=3,
        **changes,
    )


async def subscribed(partners, receiver, types=(CLAIMS,)) -> tuple[dict, dict, dict]:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks())
    auth = await partners.bearer(key, client["client_id"])
    r = await partners.http.post(
        "/v1/webhooks/subscriptions",
        json={"url": receiver.url, "event_types": list(types)},
        headers=auth,
    )
    assert r.status_code == 201, r.text
    return client, auth, r.json()


async def deliveries(partners, auth, subscription_id) -> list[dict]:
    r = await partners.http.get(
        f"/v1/webhooks/subscriptions/{subscription_id}/deliveries", headers=auth
    )
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def test_a_claim_decision_arrives_signed_and_once(partners, receiver) -> None:
    _, auth, sub = await subscribed(partners, receiver)
    event = claim_decided()

    event_id = await publish(partners.nats_url, event)
    # The same event again under another broker message id: the inbox absorbs it.
    await publish(partners.nats_url, event, event_id, **{"Nats-Msg-Id": "again-" + event_id})

    async def arrived() -> bool:
        return len(receiver.received) >= 1

    await eventually(arrived, within=20)
    await eventually(lambda: _delivered(partners, auth, sub["id"]), within=10)
    headers, body = receiver.received[0]
    payload = Webhook(sub["secret"]).verify(body, headers)
    assert headers["webhook-id"].startswith("msg_")
    assert payload["type"] == CLAIMS
    assert payload["event_id"] == event_id
    assert payload["data"]["claim_id"] == event.claim_id
    assert payload["data"]["stage"] == "CLAIM_STAGE_APPROVED"
    assert payload["data"]["amount_fen"] == "1500000"
    assert len(receiver.received) == 1
    log = await deliveries(partners, auth, sub["id"])
    assert [(d["status"], d["attempts"]) for d in log] == [("delivered", 1)]
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43).verify(body, headers)


async def _delivered(partners, auth, subscription_id) -> bool:
    log = await deliveries(partners, auth, subscription_id)
    return bool(log) and all(d["status"] == "delivered" for d in log)


async def test_events_of_another_organisation_or_type_are_not_sent(partners, receiver) -> None:
    _, auth, sub = await subscribed(partners, receiver)
    other = await publish(partners.nats_url, claim_decided(OTHER_USCC))
    covered = insurance.CoverageStarted(
        coverage_id=str(uuid.uuid4()), enterprise_uscc=PLATFORM_USCC, city_code="3201"
    )
    await publish(partners.nats_url, covered)
    mine = await publish(partners.nats_url, claim_decided())

    await eventually(lambda: _delivered(partners, auth, sub["id"]), within=20)

    log = await deliveries(partners, auth, sub["id"])
    assert [d["event_id"] for d in log] == [mine]
    assert other not in {json.loads(b)["event_id"] for _, b in receiver.received}


async def test_failures_and_timeouts_are_retried_until_the_receiver_recovers(
    partners, receiver
) -> None:
    receiver.plan = [500, "timeout", 503]
    _, auth, sub = await subscribed(partners, receiver)

    await publish(partners.nats_url, claim_decided())
    await eventually(lambda: _delivered(partners, auth, sub["id"]), within=30)

    (delivery,) = await deliveries(partners, auth, sub["id"])
    codes = [a["status_code"] for a in delivery["attempt_log"]]
    errors = [a["error"] for a in delivery["attempt_log"]]
    assert codes == [500, None, 503, 200]
    assert errors == ["HTTP 500", "timeout", "HTTP 503", None]
    ids = {h["webhook-id"] for h, _ in receiver.received}
    assert ids == {delivery["id"]}, "every retry carries the same webhook-id"


async def test_exhausted_retries_disable_the_subscription_until_reenabled(
    partners, receiver
) -> None:
    receiver.then = 500
    _, auth, sub = await subscribed(partners, receiver)
    await publish(partners.nats_url, claim_decided())

    async def disabled() -> bool:
        r = await partners.http.get(f"/v1/webhooks/subscriptions/{sub['id']}", headers=auth)
        return r.json()["status"] == "disabled"

    await eventually(disabled, within=30)
    state = (
        await partners.http.get(f"/v1/webhooks/subscriptions/{sub['id']}", headers=auth)
    ).json()
    (failed,) = await deliveries(partners, auth, sub["id"])
    assert failed["status"] == "failed"
    assert failed["attempts"] == 4  # the first try and the three retries of the schedule
    assert "已停用" in state["disabled_reason"] and "HTTP 500" in state["disabled_reason"]

    # While disabled, new events wait; once re-enabled and redelivered, everything arrives.
    waiting = await publish(partners.nats_url, claim_decided())
    receiver.then = 200
    enabled = await partners.http.post(
        f"/v1/webhooks/subscriptions/{sub['id']}/enable", headers=auth
    )
    redelivered = await partners.http.post(
        f"/v1/webhooks/deliveries/{failed['id']}/redeliver", headers=auth
    )
    await eventually(lambda: _delivered(partners, auth, sub["id"]), within=30)

    assert enabled.json()["status"] == "active"
    assert redelivered.status_code == 200
    log = await deliveries(partners, auth, sub["id"])
    assert {d["event_id"] for d in log} >= {waiting}
    assert all(d["status"] == "delivered" for d in log)


async def test_secret_rotation_signs_with_both_secrets_during_the_overlap(
    partners, receiver
) -> None:
    _, auth, sub = await subscribed(partners, receiver)
    rotated = await partners.http.post(
        f"/v1/webhooks/subscriptions/{sub['id']}/rotate-secret", headers=auth
    )
    new_secret = rotated.json()["secret"]

    await publish(partners.nats_url, claim_decided())
    await eventually(lambda: _delivered(partners, auth, sub["id"]), within=20)

    headers, body = receiver.received[-1]
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new_secret).verify(body, headers)["type"] == CLAIMS
    assert Webhook(sub["secret"]).verify(body, headers)["type"] == CLAIMS


async def test_a_partner_sees_only_its_own_subscriptions_and_deliveries(partners, receiver) -> None:
    _, auth_a, sub_a = await subscribed(partners, receiver)
    _, auth_b, _ = await subscribed(partners, receiver)
    await publish(partners.nats_url, claim_decided())
    await eventually(lambda: _delivered(partners, auth_a, sub_a["id"]), within=20)
    delivery = (await deliveries(partners, auth_a, sub_a["id"]))[0]

    foreign_sub = await partners.http.get(
        f"/v1/webhooks/subscriptions/{sub_a['id']}", headers=auth_b
    )
    foreign_log = await partners.http.get(
        f"/v1/webhooks/subscriptions/{sub_a['id']}/deliveries", headers=auth_b
    )
    foreign_redeliver = await partners.http.post(
        f"/v1/webhooks/deliveries/{delivery['id']}/redeliver", headers=auth_b
    )
    staff_view = await partners.http.get(
        f"/v1/webhooks/subscriptions/{sub_a['id']}", headers=staff_headers()
    )
    mine = await partners.http.get("/v1/webhooks/subscriptions", headers=auth_b)

    assert foreign_sub.status_code == 404
    assert foreign_log.status_code == 404
    assert foreign_redeliver.status_code == 404
    assert staff_view.status_code == 200
    assert [s["id"] for s in mine.json()] != [sub_a["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"event_types": ["suxin.hiring.hire_recorded.v1"]}, "event_types"),
        ({"event_types": []}, "event_types"),
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "https://user:pw@example.com/x"}, "url"),
    ],
)
async def test_subscriptions_refuse_what_cannot_be_delivered(
    partners, receiver, body, field
) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks())
    auth = await partners.bearer(key, client["client_id"])
    r = await partners.http.post(
        "/v1/webhooks/subscriptions",
        json={"url": receiver.url, "event_types": [CLAIMS]} | body,
        headers=auth,
    )
    assert r.status_code == 422, r.text
    assert field in r.text


async def test_managing_webhooks_needs_the_scope(partners, receiver) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks(), scopes=["orders:write"])
    auth = await partners.bearer(key, client["client_id"])
    r = await partners.http.post(
        "/v1/webhooks/subscriptions",
        json={"url": receiver.url, "event_types": [CLAIMS]},
        headers=auth,
    )
    assert r.status_code == 403
    assert "webhooks:manage" in r.text
