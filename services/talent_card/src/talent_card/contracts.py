"""The one place that maps proto events to talent-card's domain, and back."""

from __future__ import annotations

import uuid

from google.protobuf.timestamp_pb2 import Timestamp

from suxin.hiring.v1 import events_pb2 as hiring
from suxin.talent.v1 import events_pb2 as pb
from suxin_common.messaging.runner import PoisonMessage
from suxin_common.protodates import from_proto_date, to_proto_date
from talent_card.domain.model import Hire, TalentFlow


def hire(e: hiring.HireRecorded) -> Hire:
    """The hire an event reports; PoisonMessage if it lacks what a flow needs."""
    try:
        hire_id = uuid.UUID(e.hire_id)
    except ValueError:
        raise PoisonMessage("HireRecorded.hire_id is not a UUID") from None
    missing = [
        name for name in ("person_key", "enterprise_uscc", "city_code") if not getattr(e, name)
    ]
    if not e.HasField("start_date"):
        missing.append("start_date")
    if missing:
        raise PoisonMessage(f"HireRecorded {hire_id} lacks {', '.join(missing)}")
    return Hire(
        hire_id=hire_id,
        person_key=e.person_key,
        enterprise_uscc=e.enterprise_uscc,
        city_code=e.city_code,
        start_date=from_proto_date(e.start_date, "HireRecorded.start_date"),
    )


def talent_flow_recorded(f: TalentFlow) -> pb.TalentFlowRecorded:
    recorded_at = Timestamp()
    recorded_at.FromDatetime(f.recorded_at)
    return pb.TalentFlowRecorded(
        flow_id=str(f.id),
        card_id=str(f.card_id),
        person_key=f.person_key,
        hire_id=str(f.hire_id),
        from_uscc=f.origin.employer_uscc or "",
        to_uscc=f.destination.employer_uscc or "",
        from_city_code=f.origin.city_code,
        to_city_code=f.destination.city_code,
        flowed_on=to_proto_date(f.flowed_on),
        recorded_at=recorded_at,
    )
