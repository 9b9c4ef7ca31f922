#!/usr/bin/env python3
"""Verify a 苏畅卡 talent card offline, as a partner (hospital, school, bank) would.

Needs only what a partner caches: the issuer's JWKS and the status lists the card points to.
Uses joserfc, a JOSE library independent of the one Suxin signs with; any JOSE library that
supports EdDSA (Ed25519) will do.

    python verify_card.py --jwks jwks.json --status-list revocation-0.jwt \\
        --status-list suspension-0.jwt --issuer https://talent.suxin.dev/issuer "$CARD_TOKEN"

``--jwks`` and ``--status-list`` take a file or an http(s) URL (fetch them, cache them for the
max-age their responses give, verify from the cache). Prints a JSON verdict; exits 0 if the
card is valid, 1 if not.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import sys
import time
import urllib.request
import warnings
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# joserfc flags "EdDSA" in favour of RFC 9864's "Ed25519" name; both mean Ed25519 here.
warnings.filterwarnings("ignore", message=".*EdDSA.*")

CARD_TYPE = "SuchangTalentCard"


class Invalid(Exception):
    """The card must not be trusted; the message says why."""


def load(source: str) -> str:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=10) as response:  # noqa: S310 (partner's choice)
            return response.read().decode()
    return Path(source).read_text(encoding="utf-8")


def verified_claims(token: str, keys: KeySet, issuer: str | None, now: int) -> dict[str, Any]:
    """Signature (key chosen by kid), then iss, nbf and exp."""
    try:
        decoded = jwt.decode(token.strip(), keys, algorithms=["EdDSA"])
    except JoseError as exc:
        raise Invalid(f"bad signature or token: {exc.error}") from None
    options: dict[str, Any] = {"exp": {"essential": True}, "nbf": {"essential": True}}
    if issuer:
        options["iss"] = {"essential": True, "value": issuer}
    try:
        jwt.JWTClaimsRegistry(now=now, leeway=60, **options).validate(decoded.claims)
    except JoseError as exc:
        raise Invalid(f"claims refused: {exc.error} {exc.description or ''}".strip()) from None
    return decoded.claims


def status_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise Invalid("status list is not multibase base64url")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def check_status(card: dict[str, Any], lists: dict[str, dict[str, Any]]) -> None:
    """Every status entry of the card must point to a list we hold whose bit is clear."""
    for entry in card["vc"].get("credentialStatus", []):
        url = entry["statusListCredential"]
        status_list = lists.get(url)
        if status_list is None:
            raise Invalid(f"no status list for {url}: fetch it and try again")
        subject = status_list["vc"]["credentialSubject"]
        if subject["statusPurpose"] != entry["statusPurpose"]:
            raise Invalid(f"status list {url} has the wrong purpose")
        bits = status_bits(subject["encodedList"])
        index = int(entry["statusListIndex"])
        if bits[index // 8] & (0x80 >> (index % 8)):
            state = "revoked" if entry["statusPurpose"] == "revocation" else "suspended"
            raise Invalid(f"the card is {state}")


def verify(token: str, jwks: str, status_lists: list[str], issuer: str | None, now: int):
    keys = KeySet.import_key_set(json.loads(jwks))
    card = verified_claims(token, keys, issuer, now)
    if CARD_TYPE not in card.get("vc", {}).get("type", []):
        raise Invalid("not a talent card credential")
    lists = {}
    for raw in status_lists:
        claims = verified_claims(raw, keys, issuer or card["iss"], now)
        lists[claims["sub"]] = claims
    check_status(card, lists)
    return {
        "valid": True,
        "card_id": card["jti"].removeprefix("urn:uuid:"),
        "level": card["vc"]["credentialSubject"]["level"],
        "holder": card["sub"],
        "valid_until": time.strftime("%Y-%m-%d", time.gmtime(card["exp"] - 1 + 8 * 3600)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("token", help="the card token (the QR code's content)")
    parser.add_argument("--jwks", required=True, help="JWKS file or URL")
    parser.add_argument("--status-list", action="append", default=[], help="file or URL")
    parser.add_argument("--issuer", help="the issuer you trust (iss); strongly recommended")
    parser.add_argument("--at", type=int, help="verify as of this Unix time (default: now)")
    args = parser.parse_args(argv)
    now = args.at if args.at is not None else int(time.time())
    try:
        verdict = verify(
            args.token, load(args.jwks), [load(s) for s in args.status_list], args.issuer, now
        )
    except Invalid as exc:
        verdict = {"valid": False, "reason": str(exc)}
    print(json.dumps(verdict, ensure_ascii=False))
    return 0 if verdict["valid"] else 1


if __name__ == "__main__":
    sys.exit(main())
