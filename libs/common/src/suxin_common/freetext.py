"""Free text that may carry someone's resident ID or mobile number, masked before it is stored.

People type identifiers into notes, descriptions, reasons and appeal grounds ("身份证
320102199001011237，电话13812345678"). A field of type `FreeText` masks them on the way in,
with the detection the log masking uses (privacy.ID_CANDIDATE, privacy.MOBILE_SHAPE),
narrowed for resident IDs by their check character and birth date (python-stdnum's cn.ric, as
`identity.normalize_resident_id` checks them): an 18-digit order or case number is left alone,
a typed resident ID is not. The logs mask every ID-shaped number, valid or not; stored text
keeps what is not a real ID, because people read it.

The masked text is what gets stored and shown. The value is a `MaskedText` (a `str`) that
still holds the typed `original` for the request's lifetime; a case that needs it (e.g. an
appeal naming a witness's number) stores `protected(value, pii, associated_data)`, the
original encrypted with the service's field key, and never the original itself.

    class ClaimIn(InputModel):
        description: FreeText = Field(min_length=1, max_length=2000)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator

from suxin_common.identity import InvalidIdentifier, normalize_resident_id
from suxin_common.privacy import (
    ID_CANDIDATE,
    MOBILE_SHAPE,
    canonical_id,
    mask_mobile,
    masked_id,
    resident_id_shaped,
)

if TYPE_CHECKING:
    from suxin_common.privacy import PersonalData


class MaskedText(str):
    """Text with resident IDs and mobile numbers masked; `original` is what was typed (kept in
    memory only) and `masked_count` how many numbers were masked."""

    original: str
    masked_count: int

    def __new__(cls, masked: str, original: str, masked_count: int) -> MaskedText:
        text = super().__new__(cls, masked)
        text.original = original
        text.masked_count = masked_count
        return text

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        # A copy or a pickle is the masked text only: the original never travels further.
        return str, (str(self),)


def _is_resident_id(candidate: str) -> bool:
    try:
        normalize_resident_id(candidate)
    except InvalidIdentifier:
        return False
    return True


def mask_free_text(text: str) -> MaskedText:
    """`text` with every valid resident ID (`3201**********123X`; also typed in full-width
    digits or split by spaces/hyphens), every first-generation 15-digit ID (`3201*******1234`;
    it has no check character, so its area and birth date decide) and every mainland mobile
    number (`138****5678`) masked."""
    count = 0

    def resident_id(match: Any) -> str:
        nonlocal count
        number = canonical_id(match.group(0))
        if len(number) == 18 and not _is_resident_id(number):
            return match.group(0)
        if len(number) == 15 and not resident_id_shaped(number):
            return match.group(0)
        count += 1
        return masked_id(number)

    def mobile(match: Any) -> str:
        nonlocal count
        count += 1
        return mask_mobile(match)

    masked = MOBILE_SHAPE.sub(mobile, ID_CANDIDATE.sub(resident_id, text))
    return MaskedText(masked, text, count)


def _validate(value: str) -> str:
    return mask_free_text(value)


# A request-body field of free text: personal numbers in it are masked before anything stores it.
FreeText = Annotated[str, AfterValidator(_validate)]


def had_personal_numbers(value: str | None) -> bool:
    """Whether masking changed this value (so its original holds personal data)."""
    return isinstance(value, MaskedText) and value.masked_count > 0


def protected(
    value: str | None, pii: PersonalData, associated_data: str | None = None
) -> str | None:
    """The typed original encrypted with the service's field key, for a case that needs it;
    None when nothing was masked (the stored text is then the original)."""
    if not had_personal_numbers(value):
        return None
    assert isinstance(value, MaskedText)
    return pii.cipher.encrypt(value.original, associated_data)
