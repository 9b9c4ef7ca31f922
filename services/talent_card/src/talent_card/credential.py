"""The card as a verifiable credential: Ed25519 keys, the signed card token and status lists.

A card's credential is a compact JWS (``alg: EdDSA``, ``typ: JWT``) in the W3C "VC in JWT"
shape: registered claims (``iss``, ``sub``, ``jti``, ``nbf``, ``exp``) plus a ``vc`` claim
with the level and two status entries (revocation and suspension) that point into W3C
Bitstring Status Lists. The status lists are themselves credentials signed by the same keys,
so a partner needs only our JWKS and the lists (both cacheable) to verify a card offline.

``sub`` is a random identifier drawn for each card, not the person key: the person key is
the same in every Suxin service and on the event bus, so putting it in a QR code shown to
hospitals, schools and banks would let any of them link the holder across partners and with
our data. The per-card subject links only the uses of one card, and a reissued card gets a
new one.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from suxin_common.settings import DEV_PERSON_KEY_SECRET

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
ALGORITHM = "EdDSA"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
CARD_TYPE = "SuchangTalentCard"
# W3C Bitstring Status List: at least 16 KB of bits, so one set bit says little about whom.
STATUS_LIST_SIZE = 131_072
PURPOSES = ("revocation", "suspension")
HOLDER_PREFIX = "urn:suxin:talent-card-holder:"


class CredentialError(ValueError):
    """A card token that cannot be trusted: malformed, tampered, unknown key, not yet or no
    longer valid."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey

    def public_jwk(self) -> dict[str, str]:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": _b64url(raw),
            "kid": self.kid,
            "alg": ALGORITHM,
            "use": "sig",
        }


class KeyRing:
    """The issuer's keys: the first signs, all of them verify and are published."""

    def __init__(self, keys: Iterable[SigningKey]) -> None:
        self.keys = tuple(keys)
        if not self.keys:
            raise ValueError("a key ring needs at least one signing key")
        kids = [k.kid for k in self.keys]
        if len(set(kids)) != len(kids):
            raise ValueError("signing key ids must be unique")
        self._by_kid = {k.kid: k for k in self.keys}

    @classmethod
    def from_spec(cls, spec: str) -> KeyRing:
        """From ``"kid:base64seed,kid2:base64seed"`` (CARD_SIGNING_KEYS)."""
        keys = []
        for position, entry in enumerate(filter(None, (p.strip() for p in spec.split(","))), 1):
            kid, sep, encoded = entry.partition(":")
            if not sep or not kid.strip():
                raise ValueError(f"card signing key #{position} has no 'kid:' in front")
            try:
                seed = base64.b64decode(encoded.strip(), validate=True)
                private = Ed25519PrivateKey.from_private_bytes(seed)
            except ValueError:
                raise ValueError(f"card signing key {kid!r} is not a base64 32-byte seed") from None
            keys.append(SigningKey(kid.strip(), private))
        return cls(keys)

    @classmethod
    def from_settings(cls, settings: Any) -> KeyRing:
        if settings.card_signing_keys:
            return cls.from_spec(settings.card_signing_keys)
        if settings.card_signing_keys_file:
            return cls.from_spec(Path(settings.card_signing_keys_file).read_text(encoding="utf-8"))
        if settings.environment == "production":
            raise ValueError("no card signing keys configured")
        # Development and test: derived, so nothing private is written or committed.
        return cls([derived_key("dev-1", settings.person_key_secret or DEV_PERSON_KEY_SECRET)])

    @property
    def active(self) -> SigningKey:
        return self.keys[0]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [k.public_jwk() for k in self.keys]}

    def sign(self, claims: Mapping[str, Any], *, typ: str = "JWT") -> str:
        key = self.active
        return jwt.encode(
            dict(claims), key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": typ}
        )

    def verify(self, token: str, *, issuer: str, now: datetime | None = None) -> dict[str, Any]:
        """The claims of a token we signed; CredentialError says why it is refused."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self._by_kid.get(kid) if isinstance(kid, str) else None
            if key is None:
                raise CredentialError("the token was not signed with a key of this issuer")
            return jwt.decode(
                token,
                key.private_key.public_key(),
                algorithms=[ALGORITHM],
                issuer=issuer,
                options={"require": ["iss", "sub", "jti", "exp", "nbf"], "verify_aud": False},
                leeway=60,
            )
        except jwt.ExpiredSignatureError:
            raise CredentialError("the card has expired") from None
        except jwt.ImmatureSignatureError:
            raise CredentialError("the card is not valid yet") from None
        except jwt.PyJWTError as exc:
            raise CredentialError(f"the card token is invalid: {type(exc).__name__}") from None


def derived_key(kid: str, secret: str) -> SigningKey:
    seed = hashlib.sha256(f"suxin-talent-card-signing:{kid}:{secret}".encode()).digest()
    return SigningKey(kid, Ed25519PrivateKey.from_private_bytes(seed))


def new_key_spec(kid: str) -> str:
    """A fresh ``kid:seed`` entry for CARD_SIGNING_KEYS (for operators rotating keys)."""
    seed = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return f"{kid}:{base64.b64encode(seed).decode()}"


def new_holder_subject() -> str:
    return HOLDER_PREFIX + secrets.token_urlsafe(16)


def end_of_day(day: date) -> datetime:
    """The last instant of a Chinese calendar day, as the exclusive end of validity."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=CHINA)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CHINA)


def status_list_url(base_url: str, purpose: str, list_no: int) -> str:
    return f"{base_url.rstrip('/')}/v1/status-lists/{purpose}/{list_no}"


def card_claims(
    *,
    card_id: str,
    level: str,
    holder_subject: str,
    valid_from: date,
    valid_until: date,
    status_index: int,
    issuer: str,
    base_url: str,
    issued_at: datetime,
) -> dict[str, Any]:
    """The claims of a card credential (kept small: the token goes into a QR code)."""
    list_no, bit = divmod(status_index, STATUS_LIST_SIZE)
    status = []
    for purpose in PURPOSES:
        url = status_list_url(base_url, purpose, list_no)
        status.append(
            {
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(bit),
                "statusListCredential": url,
            }
        )
    return {
        "iss": issuer,
        "sub": holder_subject,
        "jti": f"urn:uuid:{card_id}",
        "iat": int(issued_at.timestamp()),
        "nbf": int(start_of_day(valid_from).timestamp()),
        "exp": int(end_of_day(valid_until).timestamp()),
        "vc": {
            "@context": [VC_CONTEXT],
            "type": ["VerifiableCredential", CARD_TYPE],
            # credentialSubject.id is the JWT's `sub` (VC-JWT): not repeated, to keep it small.
            "credentialSubject": {"level": level},
            "credentialStatus": status,
        },
    }


def encode_bitstring(set_bits: Iterable[int], size: int = STATUS_LIST_SIZE) -> str:
    """W3C encodedList: multibase base64url (``u``) of the GZIP of the bitstring, where bit 0
    is the most significant bit of the first byte."""
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + _b64url(gzip.compress(bytes(bits), mtime=0))


def decode_bitstring(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u')")
    padded = encoded[1:] + "=" * (-len(encoded[1:]) % 4)
    return gzip.decompress(base64.urlsafe_b64decode(padded))


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_claims(
    *,
    purpose: str,
    list_no: int,
    set_bits: Iterable[int],
    issuer: str,
    base_url: str,
    now: datetime,
    ttl_s: int,
) -> dict[str, Any]:
    url = status_list_url(base_url, purpose, list_no)
    return {
        "iss": issuer,
        "sub": url,
        "jti": url,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
        "vc": {
            "@context": [VC_CONTEXT],
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": encode_bitstring(set_bits),
            },
        },
    }


def utcnow() -> datetime:
    return datetime.now(UTC)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class Issuer:
    """Who signs the cards and where verifiers fetch keys and status lists."""

    keys: KeyRing
    issuer: str
    base_url: str
    status_list_ttl_s: int = 24 * 3600
    status_list_max_age_s: int = 300

    @classmethod
    def from_settings(cls, settings: Any) -> Issuer:
        return cls(
            keys=KeyRing.from_settings(settings),
            issuer=settings.card_issuer,
            base_url=settings.card_public_base_url,
            status_list_ttl_s=settings.status_list_ttl_s,
            status_list_max_age_s=settings.status_list_max_age_s,
        )
