"""Person keys, field encryption with key rotation, and the PersonalData bundle."""

from __future__ import annotations

import base64
import os
import re

import pytest
from stdnum.cn import ric

from suxin_common.identity import InvalidIdentifier
from suxin_common.privacy import DecryptionError, FieldCipher, PersonalData, person_key
from suxin_common.settings import ServiceSettings


def make_resident_id(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


RESIDENT_ID = make_resident_id("32100319900517123")


class TestPersonKey:
    def test_is_stable_and_has_the_documented_shape(self) -> None:
        key = person_key(RESIDENT_ID, "secret-a")
        assert key == person_key(RESIDENT_ID, "secret-a")
        assert re.fullmatch(r"pk_[0-9a-f]{32}", key)

    def test_depends_on_the_secret(self) -> None:
        assert person_key(RESIDENT_ID, "secret-a") != person_key(RESIDENT_ID, "secret-b")

    def test_is_computed_on_the_normalised_id(self) -> None:
        with_x = next(
            number
            for seq in range(1000)
            if (number := make_resident_id(f"32100319900517{seq:03d}")).endswith("X")
        )
        assert person_key(with_x.lower(), "s") == person_key(with_x, "s")

    def test_refuses_an_invalid_id(self) -> None:
        with pytest.raises(InvalidIdentifier):
            person_key(RESIDENT_ID[:-1], "s")


class TestFieldCipher:
    def test_round_trip(self) -> None:
        cipher = FieldCipher.from_spec(f"k1:{new_key()}")
        token = cipher.encrypt("张三 " + RESIDENT_ID)
        assert token.startswith("k1.")
        assert RESIDENT_ID not in token
        assert cipher.decrypt(token) == "张三 " + RESIDENT_ID

    def test_encryption_is_randomised(self) -> None:
        cipher = FieldCipher.from_spec(f"k1:{new_key()}")
        assert cipher.encrypt(RESIDENT_ID) != cipher.encrypt(RESIDENT_ID)

    def test_rotation_new_key_encrypts_and_old_key_still_decrypts(self) -> None:
        old_key, new = new_key(), new_key()
        before = FieldCipher.from_spec(f"old:{old_key}")
        old_token = before.encrypt(RESIDENT_ID)

        after = FieldCipher.from_spec(f"new:{new}, old:{old_key}")
        new_token = after.encrypt(RESIDENT_ID)

        assert after.decrypt(old_token) == RESIDENT_ID
        assert new_token.startswith("new.")
        assert after.needs_reencryption(old_token)
        assert not after.needs_reencryption(new_token)

    def test_unknown_key_id_is_refused(self) -> None:
        token = FieldCipher.from_spec(f"gone:{new_key()}").encrypt(RESIDENT_ID)
        with pytest.raises(DecryptionError, match="no field encryption key"):
            FieldCipher.from_spec(f"k1:{new_key()}").decrypt(token)

    def test_tampering_is_detected(self) -> None:
        cipher = FieldCipher.from_spec(f"k1:{new_key()}")
        kid, encoded = cipher.encrypt(RESIDENT_ID).split(".")
        blob = bytearray(base64.b64decode(encoded))
        blob[-1] ^= 0x01
        with pytest.raises(DecryptionError, match="authentication"):
            cipher.decrypt(f"{kid}.{base64.b64encode(bytes(blob)).decode()}")

    def test_ciphertext_cannot_move_to_another_column(self) -> None:
        cipher = FieldCipher.from_spec(f"k1:{new_key()}")
        token = cipher.encrypt(RESIDENT_ID, associated_data="seekers.resident_id")
        assert cipher.decrypt(token, associated_data="seekers.resident_id") == RESIDENT_ID
        with pytest.raises(DecryptionError):
            cipher.decrypt(token, associated_data="workers.resident_id")
        with pytest.raises(DecryptionError):
            cipher.decrypt(token)

    @pytest.mark.parametrize("garbage", ["k1.", "k1.!!!", "k1.AAAA", "no-separator"])
    def test_malformed_ciphertext_is_refused(self, garbage: str) -> None:
        with pytest.raises(DecryptionError):
            FieldCipher.from_spec(f"k1:{new_key()}").decrypt(garbage)

    @pytest.mark.parametrize(
        ("spec", "problem"),
        [
            ("", "at least one key"),
            (f"k1{new_key()}", "no 'kid:'"),
            ("k1:" + base64.b64encode(b"short").decode(), "32 bytes"),
            ("k1:not base64!", "not valid base64"),
            (f"k.1:{new_key()}", "key id"),
            (f"k1:{new_key()},k1:{new_key()}", "twice"),
        ],
        # ids without the random keys: every pytest-xdist worker must collect the same names
        ids=["empty", "no-kid", "short", "not-base64", "bad-kid", "twice"],
    )
    def test_bad_specs_are_refused(self, spec: str, problem: str) -> None:
        with pytest.raises(ValueError, match=problem):
            FieldCipher.from_spec(spec)

    def test_development_default_key_is_usable(self) -> None:
        cipher = FieldCipher.from_spec(ServiceSettings().field_encryption_keys)
        assert cipher.decrypt(cipher.encrypt("x")) == "x"


class TestPersonalData:
    def test_protect_gives_key_ciphertext_and_masked_form(self) -> None:
        settings = ServiceSettings(
            person_key_secret="pk-secret", field_encryption_keys=f"k1:{new_key()}"
        )
        personal_data = PersonalData.from_settings(settings)

        protected = personal_data.protect(f" {RESIDENT_ID} ", associated_data="t.c")

        assert protected.person_key == person_key(RESIDENT_ID, "pk-secret")
        assert protected.masked == "3210**********" + RESIDENT_ID[-4:]
        assert personal_data.reveal(protected.ciphertext, associated_data="t.c") == RESIDENT_ID

    def test_protect_refuses_an_invalid_id(self) -> None:
        personal_data = PersonalData.from_settings(ServiceSettings())
        with pytest.raises(InvalidIdentifier):
            personal_data.protect(RESIDENT_ID[:-1] + ("0" if RESIDENT_ID[-1] != "0" else "1"))
