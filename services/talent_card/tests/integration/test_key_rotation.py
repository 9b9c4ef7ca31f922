"""Key rotation: a new key signs new cards; the old one stays published, so the cards it
signed keep verifying until they expire."""

from __future__ import annotations

import base64
import json
import time
from datetime import date, datetime, timedelta

import pytest

from suxin_common.auth import Role
from suxin_devkit.testing import api_client, make_resident_id
from talent_card.app import create_app
from talent_card.credential import CHINA, new_key_spec

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated"),
]


async def card_and_token(c, as_, n: int) -> tuple[dict, str]:
    staff = as_(Role.HRSS_STAFF)
    body = {"resident_id": make_resident_id(n), "level": "C", "city_code": "3205"}
    card = (await c.post("/v1/cards", json=body, headers=staff)).json()
    token = (await c.get(f"/v1/cards/{card['id']}/credential", headers=staff)).json()
    return card, token["credential"]


async def published(c) -> tuple[str, list[str]]:
    jwks = (await c.get("/.well-known/jwks.json")).text
    lists = [(await c.get(f"/v1/status-lists/{p}/0")).text for p in ("revocation", "suspension")]
    return jwks, lists


def kid_of(token: str) -> str:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"]


def at(day: date, hour: int = 12) -> int:
    return int(datetime(day.year, day.month, day.day, hour, tzinfo=CHINA).timestamp())


async def test_rotation_keeps_old_cards_verifiable_until_they_expire(runtime, as_, verifier):
    old_key, new_key = new_key_spec("2026-a"), new_key_spec("2026-b")
    before = runtime.settings.model_copy(update={"card_signing_keys": old_key})
    after = runtime.settings.model_copy(update={"card_signing_keys": f"{new_key},{old_key}"})
    async with api_client(create_app(before), runtime) as c:
        old_card, old_token = await card_and_token(c, as_, 1)

    async with api_client(create_app(after), runtime) as c:
        new_card, new_token = await card_and_token(c, as_, 2)
        jwks, lists = await published(c)
        keys = (await c.get("/v1/signing-keys", headers=as_(Role.HRSS_STAFF))).json()

    assert (kid_of(old_token), kid_of(new_token)) == ("2026-a", "2026-b")
    assert [k["kid"] for k in json.loads(jwks)["keys"]] == ["2026-b", "2026-a"]
    issuer = runtime.settings.card_issuer
    last_day = date.fromisoformat(old_card["valid_until"])
    # Status lists are short-lived and fetched fresh; the card alone is checked on its last
    # day and the day after.
    assert verifier.verify(old_token, jwks, lists, issuer, int(time.time()))["valid"]
    assert verifier.verify(new_token, jwks, lists, issuer, int(time.time()))["valid"]
    card_only = verifier.verified_claims
    keyset = verifier.KeySet.import_key_set(json.loads(jwks))
    assert card_only(old_token, keyset, issuer, at(last_day))["jti"].endswith(old_card["id"])
    with pytest.raises(verifier.Invalid):
        card_only(old_token, keyset, issuer, at(last_day + timedelta(days=1), hour=1))
    # Operators see how long the old key must stay published.
    by_kid = {k["kid"]: k for k in keys}
    assert by_kid["2026-a"] == {
        "kid": "2026-a",
        "signs_new_cards": False,
        "unrevoked_cards": 1,
        "keep_until": old_card["valid_until"],
    }
    assert by_kid["2026-b"]["signs_new_cards"] is True
    assert new_card["valid_until"] == old_card["valid_until"]


async def test_a_key_removed_too_early_breaks_its_cards(runtime, as_, verifier):
    old_key, new_key = new_key_spec("2026-a"), new_key_spec("2026-b")
    async with api_client(
        create_app(runtime.settings.model_copy(update={"card_signing_keys": old_key})), runtime
    ) as c:
        _, old_token = await card_and_token(c, as_, 1)
    async with api_client(
        create_app(runtime.settings.model_copy(update={"card_signing_keys": new_key})), runtime
    ) as c:
        jwks, lists = await published(c)

    with pytest.raises(verifier.Invalid):
        verifier.verify(old_token, jwks, lists, runtime.settings.card_issuer, int(time.time()))
