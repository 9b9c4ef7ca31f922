"""Validation of the identifiers that name people and enterprises.

A person is identified by the 18-character resident ID (公民身份号码, GB 11643) and an
enterprise by the 18-character unified social credit code (统一社会信用代码, GB 32100). Both
carry a check character; services reject invalid ones with a clear message that never repeats
the number, since a resident ID is personal information. `ResidentId` and `Uscc` are pydantic
types, so an API field of either type is validated and normalised on the way in.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumValidationError

RESIDENT_ID_LENGTH = 18
_CANONICAL_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")
# The oldest living residents were born in the 1900s; an earlier "birth date" is a typo.
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)


class InvalidIdentifier(ValueError):
    """A resident ID or credit code failed validation. The message never contains the number."""


def normalize_resident_id(value: str) -> str:
    """Return the resident ID in canonical form (18 characters, upper-case check `X`).

    Checks the length, that the first 17 characters are digits, the mod 11-2 check digit and
    that the birth date is a real date not in the future.
    """
    # Already canonical (the usual case in bulk data): skip stdnum's character-by-character
    # clean-up, which costs more than the checks themselves.
    number = value if _CANONICAL_RESIDENT_ID.fullmatch(value) else ric.compact(value)
    if len(number) != RESIDENT_ID_LENGTH:
        raise InvalidIdentifier(
            f"resident ID must have {RESIDENT_ID_LENGTH} characters, not {len(number)}"
        )
    if not number[:-1].isdigit() or not number[:-1].isascii():
        raise InvalidIdentifier("resident ID must be 17 digits followed by a digit or X")
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidIdentifier("resident ID check digit does not match")
    _check_birth_date(number)
    # Not ric.validate(): it also looks the address code up in stdnum's bundled table for the
    # birth year, but the code is the one in force when the number was first assigned (often
    # years after birth, e.g. 321088 江都市 for people born before 1994), and the table lags
    # new districts, so real people would be turned away.
    return number


def _check_birth_date(number: str) -> None:
    # Digits 7–14 are YYYYMMDD (what ric.get_birth_date reads, without its clean-up pass; the
    # number is canonical and all digits here).
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier("resident ID contains an invalid birth date") from None
    if not _EARLIEST_BIRTH_DATE <= born <= date.today():
        raise InvalidIdentifier("resident ID contains an impossible birth date")


def normalize_uscc(value: str) -> str:
    """Return the unified social credit code in canonical form (18 upper-case characters)."""
    try:
        return uscc.validate(value)
    except uscc.InvalidLength:
        raise InvalidIdentifier("credit code must have 18 characters") from None
    except uscc.InvalidFormat:
        raise InvalidIdentifier(
            "credit code must be 8 digits followed by 10 digits or letters (no I, O, S, V, Z)"
        ) from None
    except uscc.InvalidChecksum:
        raise InvalidIdentifier("credit code check character does not match") from None
    except StdnumValidationError:
        raise InvalidIdentifier("credit code is invalid") from None


def birth_date_of(resident_id: str) -> date:
    """The birth date encoded in a resident ID (digits 7–14)."""
    return ric.get_birth_date(normalize_resident_id(resident_id))


def gender_of(resident_id: str) -> Literal["male", "female"]:
    """The gender encoded in a resident ID: the 17th digit is odd for men, even for women."""
    return "male" if int(normalize_resident_id(resident_id)[16]) % 2 else "female"


def mask_resident_id(resident_id: str) -> str:
    """The resident ID as it may be shown: `3210**********123X` (city code and last four)."""
    number = normalize_resident_id(resident_id)
    return number[:4] + "*" * 10 + number[-4:]


ResidentId = Annotated[
    str,
    AfterValidator(normalize_resident_id),
    Field(description="Resident ID (公民身份号码, GB 11643): 17 digits and a check digit or X"),
]
Uscc = Annotated[
    str,
    AfterValidator(normalize_uscc),
    Field(description="Unified social credit code (统一社会信用代码, GB 32100), 18 characters"),
]
