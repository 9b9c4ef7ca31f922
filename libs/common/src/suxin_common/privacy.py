"""Protection of personal data under PIPL: pseudonymous person keys and field encryption.

Services correlate a person by `person_key` (a keyed hash of the normalised resident ID), store
the raw number only as a `FieldCipher` ciphertext, and show it masked. The raw number never
goes on the event bus. `PersonalData` bundles the three for a service, built from its settings.

Key rotation: put a new key first in FIELD_ENCRYPTION_KEYS (it encrypts from then on; the old
ones still decrypt), deploy, then run `suxin rotate-keys --service X` to re-encrypt stored rows
(suxin_common.security.rotation); once it reports nothing left, drop the old key. The person
key is an HMAC under PERSON_KEY_SECRET, independent of the field keys, so lookups by person key
are unaffected by rotation. A key entry `kid:sm4:base64` uses SM4-GCM (GB/T 32907, 128-bit
key) instead of AES-256-GCM, where the OpenSSL under `cryptography` provides SM4.

Logs: `install_log_masking()` masks anything shaped like a resident ID in every log record.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from suxin_common.identity import mask_resident_id, normalize_resident_id
from suxin_common.settings import ServiceSettings

PERSON_KEY_PREFIX = "pk_"
KEY_BYTES = 32  # AES-256
AES_256_GCM = "aes-256-gcm"
SM4_GCM = "sm4-gcm"
KEY_BYTES_BY_ALGORITHM = {AES_256_GCM: KEY_BYTES, SM4_GCM: 16}
_SPEC_ALGORITHM_NAMES = {"aes": AES_256_GCM, "sm4": SM4_GCM}
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


class _Aead(Protocol):
    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...
    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...


class Sm4Gcm:
    """SM4 in GCM mode with the AESGCM interface (ciphertext followed by the 16-byte tag)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES_BY_ALGORITHM[SM4_GCM]:
            raise ValueError("an SM4 key has 16 bytes")
        if not sm4_gcm_supported():
            raise ValueError(
                "SM4-GCM is not available: the OpenSSL under `cryptography` lacks SM4; "
                "use an AES-256-GCM key or a build with SM4 enabled"
            )
        self._key = key

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        if associated_data:
            encryptor.authenticate_additional_data(associated_data)
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        if len(data) < TAG_BYTES:
            raise InvalidTag()
        body, tag = data[:-TAG_BYTES], data[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
        if associated_data:
            decryptor.authenticate_additional_data(associated_data)
        return decryptor.update(body) + decryptor.finalize()


def sm4_gcm_supported() -> bool:
    """Whether this `cryptography`/OpenSSL build can do SM4-GCM."""
    try:
        probe = Cipher(algorithms.SM4(bytes(16)), modes.GCM(bytes(NONCE_BYTES))).encryptor()
        probe.update(b"probe")
        probe.finalize()
    except (UnsupportedAlgorithm, AttributeError, ValueError):
        return False
    return True


class FieldCipher:
    """AES-256-GCM (or SM4-GCM) encryption of single text fields, with key ids for rotation.

    Ciphertexts read `kid.base64(nonce + ciphertext)`. The first key encrypts; every key
    decrypts, so a new key can be put first while rows under the old one stay readable.
    Pass the table and column as `associated_data` so a ciphertext copied into another
    column fails to decrypt.
    """

    def __init__(
        self, keys: Mapping[str, bytes], algorithms: Mapping[str, str] | None = None
    ) -> None:
        if not keys:
            raise ValueError("FieldCipher needs at least one key")
        chosen = dict(algorithms or {})
        self._algorithms: dict[str, str] = {}
        self._aead: dict[str, _Aead] = {}
        for kid, key in keys.items():
            algorithm = chosen.get(kid, AES_256_GCM)
            _check_key(kid, key, algorithm)
            self._algorithms[kid] = algorithm
            self._aead[kid] = AESGCM(key) if algorithm == AES_256_GCM else Sm4Gcm(key)
        self._active_kid = next(iter(keys))

    @classmethod
    def from_spec(cls, spec: str) -> FieldCipher:
        """Build from `"kid:base64key,kid2:sm4:base64key"` (the FIELD_ENCRYPTION_KEYS format)."""
        keys: dict[str, bytes] = {}
        chosen: dict[str, str] = {}
        entries = filter(None, (part.strip() for part in spec.split(",")))
        for position, entry in enumerate(entries, start=1):
            kid, sep, rest = entry.partition(":")
            kid = kid.strip()
            if not sep:
                # Without the ':' the entry may be the bare key, so it is not repeated here.
                raise ValueError(f"field encryption key #{position} has no 'kid:' in front")
            if kid in keys:
                raise ValueError(f"field encryption key id {kid!r} appears twice")
            name, sep, encoded = rest.partition(":")
            if sep and name.strip().lower() in _SPEC_ALGORITHM_NAMES:
                chosen[kid] = _SPEC_ALGORITHM_NAMES[name.strip().lower()]
            else:
                encoded = rest
            keys[kid] = _decode_key(kid, encoded.strip())
        return cls(keys, chosen)

    @property
    def active_kid(self) -> str:
        return self._active_kid

    @property
    def active_algorithm(self) -> str:
        return self._algorithms[self._active_kid]

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
        return key_id_of(token) != self._active_kid

    def reencrypt(self, token: str, associated_data: str | None = None) -> str | None:
        """The ciphertext under the active key, or None if it already uses it (idempotent)."""
        if not self.needs_reencryption(token):
            return None
        return self.encrypt(self.decrypt(token, associated_data), associated_data)


def key_id_of(token: str) -> str:
    """The key id a field ciphertext was made with."""
    return token.partition(".")[0]


def new_key_entry(kid: str, algorithm: str = AES_256_GCM) -> str:
    """A fresh FIELD_ENCRYPTION_KEYS entry (`kid:base64` or `kid:sm4:base64`)."""
    key = os.urandom(KEY_BYTES_BY_ALGORITHM[algorithm])
    _check_key(kid, key, algorithm)
    prefix = "sm4:" if algorithm == SM4_GCM else ""
    return f"{kid}:{prefix}{base64.b64encode(key).decode()}"


def _aad(associated_data: str | None) -> bytes | None:
    return None if associated_data is None else associated_data.encode()


def _decode_key(kid: str, encoded: str) -> bytes:
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise ValueError(f"field encryption key {kid!r} is not valid base64") from None


def _check_key(kid: str, key: bytes, algorithm: str = AES_256_GCM) -> None:
    # The id is written in front of every ciphertext, so it must not contain the separator.
    if not kid or "." in kid or ":" in kid or "," in kid:
        raise ValueError(f"field encryption key id {kid!r} must be non-empty, without . : or ,")
    if algorithm not in KEY_BYTES_BY_ALGORITHM:
        raise ValueError(f"field encryption key {kid!r}: unknown algorithm {algorithm!r}")
    size = KEY_BYTES_BY_ALGORITHM[algorithm]
    if len(key) != size:
        raise ValueError(
            f"field encryption key {kid!r} ({algorithm}) must be {size} bytes, not {len(key)}"
        )


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


# --- masking in logs ----------------------------------------------------------------------

# Anything shaped like a resident ID (6-digit area, a 19xx/20xx birth date, 3 digits and a
# check character), valid check digit or not: a typo'd ID is still personal data.
RESIDENT_ID_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])([1-9]\d{3})\d{2}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"(\d{3}[0-9Xx])(?![0-9A-Za-z])"
)


# How people actually type them: full-width digits (３２０１…), groups split by spaces or
# hyphens ("320102 19900101 1237"), and the first-generation 15-digit ID (6-digit area, YYMMDD,
# 3 digits; no check character). A candidate is 18 (or 15) digits with at most one separator
# between two of them; its canonical form is then checked against the shapes below.
_DIGIT = "0-9\uff10-\uff19"
_SEP = "[ \\-\u3000]?"
ID_CANDIDATE = re.compile(
    rf"(?<![{_DIGIT}A-Za-z])"
    rf"(?:(?:[{_DIGIT}]{_SEP}){{17}}[{_DIGIT}Xx\uff38\uff58]|(?:[{_DIGIT}]{_SEP}){{14}}[{_DIGIT}])"
    rf"(?![{_DIGIT}A-Za-z])"
)
OLD_RESIDENT_ID_SHAPE = re.compile(r"[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}")
_CANONICAL = str.maketrans(
    {**{0xFF10 + n: str(n) for n in range(10)}, 0xFF38: "X", 0xFF58: "X", "x": "X"}
    | {" ": None, "-": None, "\u3000": None}
)
MOBILE_SHAPE = re.compile(
    rf"(?<![{_DIGIT}])((?:\+?86[- ]?)?1[3-9\uff13-\uff19][{_DIGIT}])[ -]?"
    rf"([{_DIGIT}]{{4}})[ -]?([{_DIGIT}]{{4}})(?![{_DIGIT}])"
)


def canonical_id(candidate: str) -> str:
    """A typed ID-shaped number as ASCII digits without separators (upper-case X)."""
    return candidate.translate(_CANONICAL)


def resident_id_shaped(number: str) -> bool:
    """Whether a canonical number is shaped like an 18-digit or a 15-digit resident ID."""
    shape = RESIDENT_ID_SHAPE if len(number) == 18 else OLD_RESIDENT_ID_SHAPE
    return shape.fullmatch(number) is not None


def masked_id(number: str) -> str:
    """`3210**********123X` (18 digits) or `3201*******1234` (15): area and tail kept."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_resident_ids(text: str) -> str:
    """`text` with every resident-ID-shaped number masked like `3210**********123X`, also when
    typed in full-width digits, split by spaces or hyphens, or as an old 15-digit ID."""

    def one(match: re.Match) -> str:
        number = canonical_id(match.group(0))
        return masked_id(number) if resident_id_shaped(number) else match.group(0)

    return ID_CANDIDATE.sub(one, text)


_ASCII_DIGITS = str.maketrans({0xFF10 + n: str(n) for n in range(10)})


def mask_mobile(match: re.Match) -> str:
    """A MOBILE_SHAPE match masked: `138****5678` (a +86 prefix kept as typed)."""
    return (
        match.group(1).translate(_ASCII_DIGITS) + "****" + match.group(3).translate(_ASCII_DIGITS)
    )


def mask_personal_data(text: str) -> str:
    """`text` with resident IDs and mobile numbers masked (`138****5678`)."""
    return MOBILE_SHAPE.sub(mask_mobile, mask_resident_ids(text))


class ResidentIdMaskingFilter(logging.Filter):
    """A logging filter that masks resident IDs in the message, its arguments and the
    formatted exception; for handlers that should mask on their own."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


def _mask_record(record: logging.LogRecord) -> None:
    if getattr(record, "_suxin_masked", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: logging reports it when the record is emitted
        return
    masked = mask_personal_data(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_personal_data(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_personal_data(record.stack_info)
    record._suxin_masked = True


_installed_factory: Any = None


def install_log_masking() -> None:
    """Mask resident IDs in every log record of the process, whatever handler or formatter
    writes it (idempotent). It wraps the log-record factory, so it also covers handlers
    configured later; records are masked only when their level is enabled."""
    global _installed_factory
    current = logging.getLogRecordFactory()
    if current is _installed_factory:
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        _mask_record(record)
        return record

    _installed_factory = masking_factory
    logging.setLogRecordFactory(masking_factory)
