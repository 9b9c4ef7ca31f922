"""Reading one feed row: typed fields, and per-field errors in Chinese with an English code.

A row is a mapping of column name to value (CSV: text; JSON Lines: text, numbers, booleans or
null). Every accessor records an error instead of raising, so one pass reports every problem of
a row; a row with any error is applied not at all (never half a row). Error reasons never repeat
a resident ID.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from suxin_common import reasons
from suxin_common.identity import InvalidIdentifier, normalize_resident_id, normalize_uscc

MAX_TEXT = 200
_DISTRICT = re.compile(r"^32\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TRUE = frozenset({"true", "1", "yes", "y", "是"})
_FALSE = frozenset({"false", "0", "no", "n", "否"})


@functools.lru_cache(maxsize=65_536)
def _valid_uscc(value: str) -> str:
    """Employers repeat through a feed (a month of contributions names each thousands of
    times): a valid code is checked once. Invalid ones raise, and are not cached."""
    return normalize_uscc(value)


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of one row: the field, an English code and the reason, a stored reason
    (`suxin_common.reasons`, codes ``feed.*``) rendered in the reader's language."""

    row: int
    field: str
    code: str
    reason: str


class Row:
    """Typed access to one row's fields, collecting errors."""

    __slots__ = ("raw", "row_no", "errors", "_person_key")

    def __init__(
        self, raw: Mapping[str, Any], row_no: int, person_key: Callable[[str], str]
    ) -> None:
        self.raw = raw
        self.row_no = row_no
        self.errors: list[RowError] = []
        self._person_key = person_key

    def error(self, field: str, code: str, *, why: str | None = None, **params: Any) -> None:
        """Record a problem of `field`: `code` is the API's code, `why` the reason's code
        (``feed.<why>``, by default ``feed.<code>``) with `params` for its template."""
        reason = reasons.stored(f"feed.{why or code}", field=field, **params)
        self.errors.append(RowError(self.row_no, field, code, reason))

    def _value(self, name: str, required: bool) -> str | None:
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(name, "missing")
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(int(value)) if float(value).is_integer() else str(value)
        if not isinstance(value, str):
            self.error(name, "wrong_type")
            return None
        return value.strip()

    def text(self, name: str, *, required: bool = True, max_len: int = MAX_TEXT) -> str | None:
        value = self._value(name, required)
        if value is not None and len(value) > max_len:
            self.error(name, "too_long", max_len=max_len)
            return None
        return value

    def person(self, name: str = "resident_id") -> str | None:
        """The person key of the row's resident ID; the raw number goes no further."""
        value = self._value(name, True)
        if value is None:
            return None
        try:
            return self._person_key(normalize_resident_id(value))
        except (InvalidIdentifier, ValueError):
            self.error(name, "invalid_resident_id")
            return None

    def uscc(self, name: str = "uscc", *, required: bool = True) -> str | None:
        value = self._value(name, required)
        if value is None:
            return None
        try:
            return _valid_uscc(value)
        except InvalidIdentifier:
            self.error(name, "invalid_uscc")
            return None

    def date(self, name: str, *, required: bool = True, future: bool = False) -> date | None:
        value = self._value(name, required)
        if value is None:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.error(name, "invalid_date")
            return None
        if (parsed > date.today() and not future) or parsed.year < 1900:
            self.error(name, "date_out_of_range")
            return None
        return parsed

    def month(self, name: str) -> date | None:
        value = self._value(name, True)
        if value is None:
            return None
        match = _MONTH.match(value)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            self.error(name, "invalid_month")
            return None
        return date(int(match.group(1)), int(match.group(2)), 1)

    def integer(self, name: str, low: int, high: int, *, required: bool = True) -> int | None:
        value = self._value(name, required)
        if value is None:
            return None
        if not re.fullmatch(r"-?\d+", value):
            self.error(name, "not_an_integer")
            return None
        number = int(value)
        if not low <= number <= high:
            self.error(name, "out_of_range", low=low, high=high)
            return None
        return number

    def fen(self, name: str) -> int | None:
        """An amount in integer fen (分), 0 or more."""
        return self.integer(name, 0, 10**12)

    def boolean(self, name: str, *, required: bool = True) -> bool | None:
        value = self._value(name, required)
        if value is None:
            return None
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        self.error(name, "not_a_boolean")
        return None

    def choice(self, name: str, choices: Mapping[str, Any], *, required: bool = True) -> Any:
        """One of ``choices`` (keys are accepted codes, e.g. both "active" and "存续")."""
        value = self._value(name, required)
        if value is None:
            return None
        if value not in choices:
            self.error(name, "unknown_value", names=list(dict.fromkeys(str(k) for k in choices)))
            return None
        return choices[value]

    def district(self, name: str = "district_code", *, required: bool = True) -> str | None:
        value = self._value(name, required)
        if value is None:
            return None
        if not _DISTRICT.match(value):
            self.error(name, "invalid_district")
            return None
        return value

    def pattern(self, name: str, regex: str, what: Mapping[str, str]) -> str | None:
        """A value matching `regex`; `what` says what is expected, ``{"zh": ..., "en": ...}``."""
        value = self._value(name, True)
        if value is None:
            return None
        if not re.fullmatch(regex, value):
            self.error(name, "invalid_format", what=dict(what))
            return None
        return value
