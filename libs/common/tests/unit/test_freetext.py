"""Free text: typed resident IDs and mobile numbers are masked before storage; numbers that only
look like IDs (wrong check character, impossible birth date) stay as typed."""

from __future__ import annotations

from pydantic import Field

from suxin_common.freetext import (
    FreeText,
    MaskedText,
    had_personal_numbers,
    mask_free_text,
    protected,
)
from suxin_common.privacy import FieldCipher, PersonalData, new_key_entry
from suxin_common.web import InputModel

VALID = "320102199001011232"
WRONG_CHECK = "320102199001011237"


class NoteIn(InputModel):
    note: FreeText = Field(min_length=1, max_length=200)
    other: FreeText | None = None


def test_valid_ids_and_mobiles_are_masked_and_lookalikes_kept() -> None:
    text = f"身份证{VALID}，电话13812345678，订单{WRONG_CHECK}，旧号11010519491231002x"
    masked = mask_free_text(text)
    assert masked == (
        "身份证3201**********1232，电话138****5678，订单320102199001011237，旧号1101**********002X"
    )
    assert masked.original == text and masked.masked_count == 3


def test_a_free_text_field_masks_on_the_way_in_and_keeps_the_original_in_memory() -> None:
    body = NoteIn.model_validate({"note": f"  witness {VALID} ", "other": "nothing here"})
    assert body.note == "witness 3201**********1232"
    assert isinstance(body.note, MaskedText) and body.note.original == f"witness {VALID}"
    assert had_personal_numbers(body.note) and not had_personal_numbers(body.other)
    assert body.model_dump()["note"] == "witness 3201**********1232"
    pii = PersonalData("secret", FieldCipher.from_spec(new_key_entry("k1")))
    sealed = protected(body.note, pii, "t.note")
    assert sealed is not None and VALID not in sealed
    assert pii.reveal(sealed, "t.note") == f"witness {VALID}"
    assert protected(body.other, pii) is None


def test_a_checkers_reason_is_free_text_too() -> None:
    from suxin_common.security.four_eyes import CheckIn

    check = CheckIn.model_validate({"verdict": "refuse", "reason": "请先联系 13912345678"})
    assert check.reason == "请先联系 139****5678"


def test_ids_typed_full_width_or_spaced_or_old_15_digit_are_masked() -> None:
    full_width = VALID.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    spaced = f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}"
    hyphens = f"{VALID[:6]}-{VALID[6:14]}-{VALID[14:]}"
    grouped = " ".join(VALID[i : i + 4] for i in range(0, 18, 4))
    old = "320102900101123"  # 15 digits: area 320102, born 1990-01-01, sequence 123
    mobile = "138 1234 5678"
    text = f"甲{full_width}；乙{spaced}；丙{hyphens}；丁{grouped}；旧{old}；手机{mobile}"
    masked = mask_free_text(text)

    for kept in ("甲", "；乙", "；丙", "；丁", "；旧", "；手机"):
        assert kept in masked
    assert masked.count("3201**********1232") == 4
    assert "旧3201*******1123；" in masked
    assert "138****5678" in masked
    assert masked.masked_count == 6
    # A 15-digit number with an impossible date, or a spaced wrong check digit, stays.
    kept = mask_free_text(f"单号320102901301123，{WRONG_CHECK[:6]} {WRONG_CHECK[6:]}")
    assert kept.masked_count == 0


def test_the_logs_mask_every_id_shape_however_typed() -> None:
    from suxin_common.privacy import mask_personal_data

    full_width = WRONG_CHECK.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    line = f"id={full_width} old=320102900101123 tel=+86 138-1234-5678 n=12345"
    assert mask_personal_data(line) == (
        "id=3201**********1237 old=3201*******1123 tel=+86 138****5678 n=12345"
    )
