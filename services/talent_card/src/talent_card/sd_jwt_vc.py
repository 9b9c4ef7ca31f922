"""The 苏畅卡 as an SD-JWT VC (IETF draft-ietf-oauth-sd-jwt-vc on RFC 9901 SD-JWT): holder-bound,
with selective disclosure.

The card's compact JWS (credential.py) stays for the verifiers that read it today; it is a
bearer token: whoever holds the string can show it. The SD-JWT VC differs in two ways:

- **Key binding.** The app generates a P-256 key pair and keeps the private key (in the phone's
  keystore); the credential carries the public key in `cnf.jwk`. To present it, the app signs a
  key-binding JWT (`typ: kb+jwt`) over the verifier's `nonce`, the verifier's identity as `aud`,
  the time `iat` and a hash of exactly what it presents (`sd_hash`). Without the private key a
  copied credential cannot be presented; a presentation recorded by one verifier cannot be
  replayed to another (aud) or later (nonce, iat).
- **Selective disclosure.** The level, city, employer and validity dates are each a salted
  disclosure; the signed part holds only their digests (plus decoy digests, so even how many
  claims a card has is hidden). The holder sends the disclosures a verifier needs, e.g. only
  `level`; the verifier learns nothing of the others, not even their values' hashes in a form
  it could test guesses against (the salt is 128 random bits).

Always visible (signed, not disclosable): `iss`, `iat`, `nbf`, `exp`, `vct`, `cnf` and `status`
(the card's entries in the revocation and suspension lists, so a verifier can check them).
`status` and `cnf` are the same in every presentation of one credential: verifiers who pool
their logs can link two presentations of it, as with the JWS. A holder who wants unlinkable
presentations asks for a fresh credential (a new key) per verifier; issuance is cheap.

Library: `sd-jwt` (OpenWallet Foundation Labs, the reference implementation of the draft by its
editors) for disclosures, digests, the holder's selection and the key-binding JWT with its
`sd_hash`; on jwcrypto. What it leaves to the caller is done here: the issuer key is chosen by
`kid` from our key ring and its algorithm pinned (EdDSA), the header `typ` checked, the key
binding required (the library skips it without an expected nonce), `vct`, `nbf`/`exp` of the
credential and the freshness of the key-binding JWT's `iat` checked, and the library's error
messages (which can quote claim values) never passed on.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from jwcrypto.jwk import JWK
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from talent_card.credential import (
    ALGORITHM,
    PURPOSES,
    STATUS_LIST_SIZE,
    KeyRing,
    end_of_day,
    start_of_day,
    status_list_url,
)
from talent_card.domain.model import Card

VCT = "urn:suxin:vct:suchang-talent-card:1"
SD_JWT_TYP = "dc+sd-jwt"
# Accepted on the way in too: the media type's earlier name in the draft.
ACCEPTED_TYPS = frozenset({SD_JWT_TYP, "vc+sd-jwt"})
HOLDER_ALGORITHM = "ES256"  # the key-binding JWT; P-256 is what phone keystores hold
DISCLOSABLE = ("level", "city_code", "employer_uscc", "valid_from", "valid_until")
MAX_PRESENTATION_AGE_S = 300
LEEWAY_S = 60
MAX_PRESENTATION_LENGTH = 16_000


class PresentationError(ValueError):
    """A presentation that must not be trusted; the message says why, never what it held."""


# --- issuing --------------------------------------------------------------------------------


def holder_key(jwk: Mapping[str, Any]) -> JWK:
    """The app's public key as given (a P-256 JWK without private parts); ValueError if not."""
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ValueError("the holder key must be an EC P-256 public key")
    if "d" in jwk:
        raise ValueError("send the public key only: the private key stays in the app")
    try:
        key = JWK(kty="EC", crv="P-256", x=str(jwk["x"]), y=str(jwk["y"]))
    except Exception:
        raise ValueError("the holder key is not a valid P-256 point") from None
    return key


def status_claim(card: Card, base_url: str) -> dict[str, Any]:
    assert card.status_index is not None
    list_no, bit = divmod(card.status_index, STATUS_LIST_SIZE)
    return {
        purpose: {"idx": bit, "uri": status_list_url(base_url, purpose, list_no)}
        for purpose in PURPOSES
    }


def issue(
    card: Card,
    holder_jwk: Mapping[str, Any],
    *,
    keys: KeyRing,
    issuer: str,
    base_url: str,
    now: datetime,
) -> str:
    """The SD-JWT VC of a card, bound to the holder's key, with every disclosure attached
    (`<issuer-signed JWT>~<disclosure>~…~`): the app keeps it and presents a subset."""
    assert card.valid_from is not None and card.valid_until is not None
    values = {
        "level": card.level.value,
        "city_code": card.position.city_code,
        "employer_uscc": card.position.employer_uscc,
        "valid_from": card.valid_from.isoformat(),
        "valid_until": card.valid_until.isoformat(),
    }
    claims: dict[Any, Any] = {
        "iss": issuer,
        "iat": int(now.timestamp()),
        "nbf": int(start_of_day(card.valid_from).timestamp()),
        "exp": int(end_of_day(card.valid_until).timestamp()),
        "vct": VCT,
        "status": status_claim(card, base_url),
    }
    for name in DISCLOSABLE:
        if values[name] is not None:
            claims[SDObj(name)] = values[name]
    signing = keys.active
    made = SDJWTIssuer(
        claims,
        JWK.from_pyca(signing.private_key),
        holder_key=holder_key(holder_jwk),
        sign_alg=ALGORITHM,
        add_decoy_claims=True,
        extra_header_parameters={"typ": SD_JWT_TYP, "kid": signing.kid},
    )
    return made.sd_jwt_issuance


# --- presenting (what the app does; here for tests, examples and the app team) -------------------


def present(
    issuance: str, private_jwk: Mapping[str, Any], disclose: Iterable[str], *, nonce: str, aud: str
) -> str:
    """A presentation of `issuance` disclosing only `disclose`, key-bound to `nonce` and `aud`
    with the holder's private key."""
    holder = SDJWTHolder(issuance)
    holder.create_presentation(
        {name: True for name in disclose},
        nonce=nonce,
        aud=aud,
        holder_key=JWK(**dict(private_jwk)),
        sign_alg=HOLDER_ALGORITHM,
    )
    return holder.sd_jwt_presentation


# --- verifying ------------------------------------------------------------------------------


def verify(
    presentation: str,
    *,
    keys: KeyRing,
    issuer: str,
    audience: str,
    nonce: str,
    now: datetime,
) -> dict[str, Any]:
    """The claims a key-bound presentation discloses (plus the always-visible ones), after
    checking the issuer's signature, the holder's key-binding JWT (nonce, aud, iat, sd_hash),
    `vct` and the credential's validity window; PresentationError otherwise."""
    if len(presentation) > MAX_PRESENTATION_LENGTH or "~" not in presentation:
        raise PresentationError("not an SD-JWT presentation")
    if presentation.endswith("~"):
        raise PresentationError("the presentation has no key-binding JWT (holder's proof)")
    kb_payload = _unverified_payload(presentation.rsplit("~", 1)[1])

    def issuer_key(claimed_issuer: str | None, header: Mapping[str, Any]) -> JWK:
        if claimed_issuer != issuer:
            raise PresentationError("the credential comes from another issuer")
        if header.get("typ") not in ACCEPTED_TYPS or header.get("alg") != ALGORITHM:
            raise PresentationError("the credential is not an SD-JWT VC of this issuer")
        kid = header.get("kid")
        key = next((k for k in keys.keys if k.kid == kid), None)
        if key is None:
            raise PresentationError("the credential was not signed with a key of this issuer")
        return JWK.from_pyca(key.private_key.public_key())

    try:
        verifier = SDJWTVerifier(
            presentation, issuer_key, expected_aud=audience, expected_nonce=nonce
        )
        claims = verifier.get_verified_payload()
    except PresentationError:
        raise
    except ValueError as exc:
        raise PresentationError(_reason(str(exc))) from None
    except Exception:  # jwcrypto's signature and format errors, malformed JSON or base64
        raise PresentationError(
            "a signature does not verify (issuer's or holder's key), or it is malformed"
        ) from None
    stamp = now.timestamp()
    issued = kb_payload.get("iat")
    if not isinstance(issued, int | float):
        raise PresentationError("the key-binding JWT has no iat")
    if issued > stamp + LEEWAY_S or issued < stamp - MAX_PRESENTATION_AGE_S:
        raise PresentationError("the key-binding JWT is not fresh (iat)")
    if claims.get("vct") != VCT:
        raise PresentationError("the credential is not a 苏畅卡 (vct)")
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= stamp - LEEWAY_S:
        raise PresentationError("the card has expired")
    if not isinstance(claims.get("nbf"), int) or claims["nbf"] > stamp + LEEWAY_S:
        raise PresentationError("the card is not valid yet")
    claims.pop("cnf", None)
    return claims


def disclosed(claims: Mapping[str, Any]) -> dict[str, Any]:
    """Only the selectively disclosed claims the holder chose to show."""
    return {name: claims[name] for name in DISCLOSABLE if name in claims}


_KNOWN_REASONS = {
    "Invalid nonce in KB-JWT": "the key-binding JWT is for another nonce",
    "Invalid audience in KB-JWT": "the key-binding JWT is for another verifier (aud)",
    "Invalid digest in KB-JWT": "the key-binding JWT does not cover what is presented (sd_hash)",
    "Invalid header typ": "the key-binding JWT has the wrong typ",
    "No holder public key in SD-JWT": "the credential names no holder key",
}


def _reason(message: str) -> str:
    return _KNOWN_REASONS.get(message, "the presentation is malformed")


def _unverified_payload(compact_jwt: str) -> dict[str, Any]:
    try:
        body = compact_jwt.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except Exception:
        raise PresentationError("the key-binding JWT is malformed") from None
    if not isinstance(payload, dict):
        raise PresentationError("the key-binding JWT is malformed")
    return payload
