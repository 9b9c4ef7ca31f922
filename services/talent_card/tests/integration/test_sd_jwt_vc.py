"""The 苏畅卡 as a holder-bound SD-JWT VC: the app gets one bound to its key, presents only what a
verifier needs, and a presentation without the key, for another nonce or verifier, or stale is
refused. The JWS stays for existing verifiers."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from jwcrypto.jwk import JWK

from suxin_common.auth import Role, mint_dev_token
from suxin_devkit.testing import make_resident_id
from talent_card import sd_jwt_vc
from talent_card.credential import KeyRing

pytestmark = pytest.mark.integration

NONCE = "nonce-7d1c0e9a4b2f"


async def holder_card(client, as_, n: int = 31) -> tuple[dict, dict]:
    """A card issued by staff and claimed by its holder's account; the holder's headers."""
    resident_id = make_resident_id(n)
    r = await client.post(
        "/v1/cards",
        json={"resident_id": resident_id, "level": "A", "city_code": "3210"},
        headers=as_(Role.HRSS_STAFF),
    )
    assert r.status_code == 201, r.text
    me = as_(Role.SEEKER, "app-user-1", person=resident_id)
    claimed = await client.post("/v1/me/cards/claim", json={"resident_id": resident_id}, headers=me)
    assert claimed.status_code == 200, claimed.text
    return r.json(), me


def verifier_headers(runtime, client_id: str = "hospital-1") -> dict:
    token = mint_dev_token(runtime.settings, client_id, [Role.VERIFIER])
    return {"Authorization": f"Bearer {token}"}


async def test_a_holder_bound_card_discloses_only_what_the_holder_chose(runtime, client, as_):
    card, me = await holder_card(client, as_)
    app_key = JWK.generate(kty="EC", crv="P-256")
    issued = await client.post(
        f"/v1/cards/{card['id']}/sd-jwt-vc",
        json={"holder_jwk": app_key.export_public(as_dict=True)},
        headers=me,
    )
    assert issued.status_code == 200, issued.text
    credential = issued.json()["credential"]
    assert issued.json()["vct"] == sd_jwt_vc.VCT

    shown = sd_jwt_vc.present(
        credential, app_key.export_private(as_dict=True), ["level"], nonce=NONCE, aud="hospital-1"
    )
    answer = await client.post(
        "/v1/card-presentations/verify",
        json={"presentation": shown, "nonce": NONCE},
        headers=verifier_headers(runtime),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["valid"] is True and answer.json()["card_status"] == "active"
    assert answer.json()["disclosed"] == {"level": "A"}
    # The city is in no readable form in what the verifier received: not in the signed part,
    # not in the disclosures sent (only the level's), not in the key-binding JWT.
    decoded = " ".join(_decoded_parts(shown))
    assert "3210" not in decoded and "city_code" not in decoded
    assert "3210" in " ".join(_decoded_parts(credential))  # the app itself holds it

    # The JWS stays for existing verifiers.
    jws = await client.get(f"/v1/cards/{card['id']}/credential", headers=me)
    assert jws.status_code == 200 and jws.json()["credential"].count(".") == 2


async def test_presentations_without_the_key_or_for_another_nonce_verifier_or_time_are_refused(
    runtime, client, as_
):
    card, me = await holder_card(client, as_, n=32)
    app_key = JWK.generate(kty="EC", crv="P-256")
    credential = (
        await client.post(
            f"/v1/cards/{card['id']}/sd-jwt-vc",
            json={"holder_jwk": app_key.export_public(as_dict=True)},
            headers=me,
        )
    ).json()["credential"]
    thief_key = JWK.generate(kty="EC", crv="P-256").export_private(as_dict=True)
    private = app_key.export_private(as_dict=True)
    attempts = {
        "copied string, no key binding": credential,
        "signed with another key": sd_jwt_vc.present(
            credential, thief_key, ["level"], nonce=NONCE, aud="hospital-1"
        ),
        "another nonce": sd_jwt_vc.present(
            credential, private, ["level"], nonce="nonce-of-yesterday-01", aud="hospital-1"
        ),
        "made for another verifier": sd_jwt_vc.present(
            credential, private, ["level"], nonce=NONCE, aud="bank-9"
        ),
    }
    verifier = verifier_headers(runtime)
    for what, presentation in attempts.items():
        r = await client.post(
            "/v1/card-presentations/verify",
            json={"presentation": presentation, "nonce": NONCE},
            headers=verifier,
        )
        assert r.status_code == 422, (what, r.text)
        assert r.json()["code"] == "presentation-refused", what

    # A fresh presentation is accepted; the same one five minutes later is not (iat).
    fresh = sd_jwt_vc.present(credential, private, ["level"], nonce=NONCE, aud="hospital-1")
    keys = KeyRing.from_settings(runtime.settings)
    later = datetime.now(UTC) + timedelta(seconds=sd_jwt_vc.MAX_PRESENTATION_AGE_S + 5)
    with pytest.raises(sd_jwt_vc.PresentationError, match="fresh"):
        sd_jwt_vc.verify(
            fresh,
            keys=keys,
            issuer=runtime.settings.card_issuer,
            audience="hospital-1",
            nonce=NONCE,
            now=later,
        )


async def test_only_the_holder_gets_one_and_only_for_a_public_key(runtime, client, as_):
    card, me = await holder_card(client, as_, n=33)
    key = JWK.generate(kty="EC", crv="P-256")
    with_private = await client.post(
        f"/v1/cards/{card['id']}/sd-jwt-vc",
        json={"holder_jwk": key.export_private(as_dict=True)},
        headers=me,
    )
    someone_else = await client.post(
        f"/v1/cards/{card['id']}/sd-jwt-vc",
        json={"holder_jwk": key.export_public(as_dict=True)},
        headers=as_(Role.SEEKER, "app-user-2"),
    )
    assert with_private.status_code == 422
    assert someone_else.status_code == 404


def _decoded_parts(sd_jwt: str) -> list[str]:
    out = []
    for part in sd_jwt.split("~"):
        for piece in part.split("."):
            try:
                out.append(base64.urlsafe_b64decode(piece + "=" * (-len(piece) % 4)).decode())
            except (ValueError, UnicodeDecodeError):
                continue
    return [json.dumps(p, ensure_ascii=False) if not isinstance(p, str) else p for p in out]
