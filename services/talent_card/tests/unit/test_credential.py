"""The card credential: signed with PyJWT, verified with joserfc (another JOSE library)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest
from joserfc import jwt as jose_jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from talent_card.credential import (
    STATUS_LIST_SIZE,
    CredentialError,
    KeyRing,
    bit_is_set,
    card_claims,
    decode_bitstring,
    derived_key,
    encode_bitstring,
    new_key_spec,
)

ISSUER = "https://talent.example/issuer"
NOW = datetime(2026, 11, 24, 8, tzinfo=UTC)
# joserfc prefers RFC 9864's "Ed25519" name for the same algorithm.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def token_for(ring: KeyRing, *, status_index: int = 7, until: date = date(2029, 11, 23)) -> str:
    return ring.sign(
        card_claims(
            card_id="0b7a3c1e-0000-4000-8000-000000000001",
            level="B",
            holder_subject="urn:suxin:talent-card-holder:abc",
            valid_from=date(2026, 11, 24),
            valid_until=until,
            status_index=status_index,
            issuer=ISSUER,
            base_url="https://talent.example",
            issued_at=NOW,
        )
    )


def verify_elsewhere(token: str, jwks: dict, at: datetime) -> dict:
    keys = KeySet.import_key_set(jwks)
    claims = jose_jwt.decode(token, keys, algorithms=["EdDSA"]).claims
    registry = jose_jwt.JWTClaimsRegistry(
        now=int(at.timestamp()), iss={"essential": True, "value": ISSUER}
    )
    registry.validate(claims)
    return claims


def test_a_card_signed_here_verifies_with_another_library_from_the_jwks_alone() -> None:
    ring = KeyRing([derived_key("k1", "secret")])

    claims = verify_elsewhere(token_for(ring), ring.jwks(), NOW)

    assert claims["vc"]["credentialSubject"]["level"] == "B"
    assert claims["sub"].startswith("urn:suxin:talent-card-holder:")
    assert [s["statusPurpose"] for s in claims["vc"]["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    assert all(s["statusListIndex"] == "7" for s in claims["vc"]["credentialStatus"])
    assert "d" not in ring.jwks()["keys"][0]  # no private part is published


def test_a_tampered_token_fails_in_both_libraries() -> None:
    ring = KeyRing([derived_key("k1", "secret")])
    header, payload, signature = token_for(ring).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["vc"]["credentialSubject"]["level"] = "A"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{header}.{forged_payload}.{signature}"

    with pytest.raises(JoseError):
        verify_elsewhere(forged, ring.jwks(), NOW)
    with pytest.raises(CredentialError):
        ring.verify(forged, issuer=ISSUER)


def test_a_card_signed_by_another_key_fails() -> None:
    ours, theirs = KeyRing([derived_key("k1", "ours")]), KeyRing([derived_key("k1", "theirs")])

    with pytest.raises(JoseError):
        verify_elsewhere(token_for(theirs), ours.jwks(), NOW)


def test_after_rotation_old_cards_verify_until_they_expire() -> None:
    old = derived_key("2026-a", "s")
    before = KeyRing([old])
    old_card = token_for(before, until=date(2027, 6, 30))
    after = KeyRing([derived_key("2026-b", "s"), old])  # new key first: it signs; old verifies
    new_card = token_for(after)

    assert [k["kid"] for k in after.jwks()["keys"]] == ["2026-b", "2026-a"]
    assert json.loads(base64.urlsafe_b64decode(new_card.split(".")[0] + "=="))["kid"] == "2026-b"
    verify_elsewhere(old_card, after.jwks(), NOW)
    verify_elsewhere(new_card, after.jwks(), NOW)
    with pytest.raises(JoseError):  # past its last day (China time), the old card is refused
        verify_elsewhere(old_card, after.jwks(), datetime(2027, 7, 1, 0, 5, tzinfo=UTC))


def test_key_specs_round_trip_and_bad_ones_are_refused() -> None:
    ring = KeyRing.from_spec(new_key_spec("a") + "," + new_key_spec("b"))
    assert [k.kid for k in ring.keys] == ["a", "b"]
    with pytest.raises(ValueError):
        KeyRing.from_spec("a:not-a-key")
    with pytest.raises(ValueError):
        KeyRing.from_spec(new_key_spec("a") + "," + new_key_spec("a"))


def test_the_bitstring_sets_exactly_the_given_positions() -> None:
    bits = decode_bitstring(encode_bitstring([0, 9, STATUS_LIST_SIZE - 1]))

    assert len(bits) * 8 == STATUS_LIST_SIZE
    assert [i for i in (0, 1, 8, 9, 10, STATUS_LIST_SIZE - 1) if bit_is_set(bits, i)] == [
        0,
        9,
        STATUS_LIST_SIZE - 1,
    ]
    assert bits[0] == 0x80  # bit 0 is the most significant bit of the first byte
    with pytest.raises(ValueError):
        encode_bitstring([STATUS_LIST_SIZE])
