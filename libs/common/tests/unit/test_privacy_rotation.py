"""Field-key rotation, SM4-GCM, and masking of resident IDs in logs."""

from __future__ import annotations

import logging

import pytest

from suxin_common.privacy import (
    SM4_GCM,
    DecryptionError,
    FieldCipher,
    PersonalData,
    install_log_masking,
    key_id_of,
    mask_resident_ids,
    new_key_entry,
    sm4_gcm_supported,
)
from suxin_devkit.testing import make_resident_id

AAD = "job_matching.seekers.resident_id"


def test_a_new_first_key_encrypts_while_old_ciphertexts_still_decrypt():
    old_entry, new_entry = new_key_entry("k1"), new_key_entry("k2")
    before = FieldCipher.from_spec(old_entry)
    ciphertext = before.encrypt("secret", AAD)
    after = FieldCipher.from_spec(f"{new_entry},{old_entry}")
    assert after.decrypt(ciphertext, AAD) == "secret"
    rotated = after.reencrypt(ciphertext, AAD)
    assert rotated is not None and key_id_of(rotated) == "k2"
    assert after.decrypt(rotated, AAD) == "secret"
    assert after.reencrypt(rotated, AAD) is None  # idempotent


def test_person_keys_do_not_change_when_field_keys_rotate():
    number = make_resident_id(7)
    one = PersonalData("person-secret", FieldCipher.from_spec(new_key_entry("k1")))
    two = PersonalData("person-secret", FieldCipher.from_spec(new_key_entry("k2")))
    assert one.protect(number).person_key == two.protect(number).person_key
    assert one.protect(number).ciphertext != two.protect(number).ciphertext


def test_sm4_gcm_round_trips_where_supported_or_is_refused_clearly():
    entry = new_key_entry("sm1", SM4_GCM) if sm4_gcm_supported() else "sm1:sm4:" + "A" * 22 + "=="
    if not sm4_gcm_supported():
        with pytest.raises(ValueError, match="SM4-GCM is not available"):
            FieldCipher.from_spec(entry)
        return
    cipher = FieldCipher.from_spec(f"{entry},{new_key_entry('aes1')}")
    assert cipher.active_algorithm == SM4_GCM
    ciphertext = cipher.encrypt("3210 secret", AAD)
    assert cipher.decrypt(ciphertext, AAD) == "3210 secret"
    with pytest.raises(DecryptionError):
        cipher.decrypt(ciphertext, "another.column")
    # An AES-256 key given as SM4 (wrong size) is refused with the key id named.
    with pytest.raises(ValueError, match="sm2.*16 bytes"):
        FieldCipher.from_spec("sm2:sm4:" + new_key_entry("x").split(":", 1)[1])


def test_resident_ids_are_masked_in_text_without_touching_other_numbers():
    number = make_resident_id(3)
    text = f"lookup {number} failed; order 1234567890123456789012 at 20261124"
    masked = mask_resident_ids(text)
    assert number not in masked
    assert number[:4] + "*" * 10 + number[-4:] in masked
    assert "1234567890123456789012" in masked and "20261124" in masked


def test_log_records_are_masked_whatever_the_handler(caplog):
    install_log_masking()
    install_log_masking()  # idempotent
    number = make_resident_id(5)
    logger = logging.getLogger("suxin.test.masking")
    with caplog.at_level(logging.INFO, logger="suxin.test.masking"):
        logger.info("registered %s", number)
        try:
            raise ValueError(f"bad id {number}")
        except ValueError:
            logger.exception("failed")
    assert caplog.records
    rendered = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert number not in rendered
    assert number[:4] + "*" * 10 in rendered
