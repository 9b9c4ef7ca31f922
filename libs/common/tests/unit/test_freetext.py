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
