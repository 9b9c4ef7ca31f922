"""Date conversions used by every service's contracts.py."""

from datetime import date

import pytest

from suxin.common.v1.common_pb2 import Date
from suxin_common.messaging.runner import PoisonMessage
from suxin_common.protodates import from_proto_date, to_proto_date


def test_round_trip():
    assert from_proto_date(to_proto_date(date(2026, 2, 28)), "d") == date(2026, 2, 28)
    assert to_proto_date(None) is None


def test_an_impossible_date_is_poison_naming_the_field():
    with pytest.raises(PoisonMessage, match="HireRecorded.start_date"):
        from_proto_date(Date(year=2026, month=2, day=30), "HireRecorded.start_date")
    with pytest.raises(PoisonMessage):
        from_proto_date(Date(), "unset")
