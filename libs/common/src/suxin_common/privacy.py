"""Protection of personal data under PIPL: pseudonymous person keys and field encryption.

Services correlate a person by `person_key` (a keyed hash of the normalised resident ID), store
the raw number only as a `FieldCipher` ciphertext, and show it masked. The raw number never
goes on the event bus. `PersonalData` bundles the three for a service, built from its settings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from suxin_common.identity import mask_resident_id, normalize_resident_id
from suxin_common.settings import ServiceSettings

PERSON_KEY_PREFIX = "pk_"
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # the GCM standard nonce; random nonces are safe far beyond our volumes
TAG_BYTES = 16


def person_key(resident_id: str, secret: str) -> str:
    """The pseudonymous key of a person: `pk_` and 32 hex characters of HMAC-SHA256.

    Keyed, because the space of valid resident IDs is small enough to hash exhaustively;
    128 bits keeps collisions out of reach for 85 million residents.
    """
    digest = hmac.new(
        secret.encode(), normalize_resident_id(resident_id).encode(), hashlib.sha256
    ).hexdigest()
    return PERSON_KEY_PREFIX + digest[:32]


class DecryptionError(ValueError):
    """A field ciphertext could not be decrypted: unknown key id, malformed or tampered."""


class FieldCipher:
    """AES-256-GCM encryption of single text fields, with key ids for rotation.

    Ciphertexts read `kid.base64(nonce + ciphertext)`. The first key encrypts; every key
    decrypts, so a new key can be put first while rows under the old one stay readable.
    Pass the table and column as `associated_data` so a ciphertext copied into another
    column fails to decrypt.
    """

    def __init__(self, keys: Mapping[str, bytes]) -> None:
        if not keys:
            raise ValueError("FieldCipher needs at least one key")
        for kid, key in keys.items():
            _check_key(kid, key)
        self._active_kid = next(iter(keys))
        self._aead = {kid: AESGCM(key) for kid, key in keys.items()}

    @classmethod
    def from_spec(cls, spec: str) -> FieldCipher:
        """Build from `"kid:base64key,kid2:base64key"` (the FIELD_ENCRYPTION_KEYS format)."""
        keys: dict[str, bytes] = {}
        entries = filter(None, (part.strip() for part in spec.split(",")))
        for position, entry in enumerate(entries, start=1):
            kid, sep, encoded = entry.partition(":")
            kid = kid.strip()
            if not sep:
                # Without the ':' the entry may be the bare key, so it is not repeated here.
                raise ValueError(f"field encryption key #{position} has no 'kid:' in front")
            if kid in keys:
                raise ValueError(f"field encryption key id {kid!r} appears twice")
            keys[kid] = _decode_key(kid, encoded.strip())
        return cls(keys)

    @property
    def active_kid(self) -> str:
        return self._active_kid

    def encrypt(self, plaintext: str, associated_data: str | None = None) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead[self._active_kid].encrypt(
            nonce, plaintext.encode(), _aad(associated_data)
        )
        return f"{self._active_kid}.{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, associated_data: str | None = None) -> str:
        kid, _, encoded = token.partition(".")
        aead = self._aead.get(kid)
        if aead is None:
            raise DecryptionError(f"no field encryption key with id {kid!r}")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise DecryptionError("ciphertext is not valid base64") from None
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionError("ciphertext is too short")
        try:
            plaintext = aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(associated_data))
        except InvalidTag:
            raise DecryptionError(
                "ciphertext failed authentication (tampered, or other associated data)"
            ) from None
        return plaintext.decode()

    def needs_reencryption(self, token: str) -> bool:
        """Whether a ciphertext was made with a key other than the active one (rotation)."""
        return token.partition(".")[0] != self._active_kid


def _aad(associated_data: str | None) -> bytes | None:
    return None if associated_data is None else associated_data.encode()


def _decode_key(kid: str, encoded: str) -> bytes:
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise ValueError(f"field encryption key {kid!r} is not valid base64") from None


def _check_key(kid: str, key: bytes) -> None:
    # The id is written in front of every ciphertext, so it must not contain the separator.
    if not kid or "." in kid or ":" in kid or "," in kid:
        raise ValueError(f"field encryption key id {kid!r} must be non-empty, without . : or ,")
    if len(key) != KEY_BYTES:
        raise ValueError(f"field encryption key {kid!r} must be {KEY_BYTES} bytes, not {len(key)}")


@dataclass(frozen=True, slots=True)
class ProtectedId:
    """A resident ID in the three forms a service may keep: key, ciphertext, masked."""

    person_key: str
    ciphertext: str
    masked: str


class PersonalData:
    """A service's personal-data toolkit: person keys, field encryption and masking."""

    def __init__(self, person_key_secret: str, cipher: FieldCipher) -> None:
        self._secret = person_key_secret
        self.cipher = cipher

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> PersonalData:
        return cls(
            settings.person_key_secret, FieldCipher.from_spec(settings.field_encryption_keys)
        )

    def person_key(self, resident_id: str) -> str:
        return person_key(resident_id, self._secret)

    def protect(self, resident_id: str, associated_data: str | None = None) -> ProtectedId:
        """Validate a resident ID and return what may be stored of it (raises InvalidIdentifier)."""
        number = normalize_resident_id(resident_id)
        return ProtectedId(
            person_key=person_key(number, self._secret),
            ciphertext=self.cipher.encrypt(number, associated_data),
            masked=mask_resident_id(number),
        )

    def reveal(self, ciphertext: str, associated_data: str | None = None) -> str:
        """The raw resident ID, for the few places that must send it on (e.g. to insurers)."""
        return self.cipher.decrypt(ciphertext, associated_data)
