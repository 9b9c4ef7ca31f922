"""Conversions between ``suxin.common.v1.Date`` and ``datetime.date``, for every contracts.py."""

from __future__ import annotations

from datetime import date

from suxin.common.v1.common_pb2 import Date
from suxin_common.messaging.runner import PoisonMessage


def to_proto_date(d: date | None) -> Date | None:
    return Date(year=d.year, month=d.month, day=d.day) if d else None


def from_proto_date(d: Date, field: str) -> date:
    """The calendar date; an impossible one makes the event poison (retrying cannot help)."""
    try:
        return date(d.year, d.month, d.day)
    except ValueError:
        raise PoisonMessage(f"{field} is not a calendar date") from None
