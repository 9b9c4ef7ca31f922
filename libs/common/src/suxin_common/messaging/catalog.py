"""The catalogue of streams and event types: subject <-> protobuf message class.

Subjects follow ``suxin.<context>.<event>.v1``; one stream per publishing context. The
messages themselves are defined in ``proto/`` (the contracts); this module only says where
each one travels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from google.protobuf.message import Message

from suxin.dataexchange.v1 import events_pb2 as dataexchange
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin.training.v1 import events_pb2 as training


@dataclass(frozen=True)
class StreamSpec:
    name: str
    context: str

    @property
    def subjects(self) -> list[str]:
        return [f"suxin.{self.context}.>"]


@dataclass(frozen=True)
class EventType:
    subject: str
    stream: StreamSpec
    message: type[Message]

    @property
    def name(self) -> str:
        return self.message.DESCRIPTOR.full_name


HIRING = StreamSpec("SUXIN_HIRING", "hiring")
GIG = StreamSpec("SUXIN_GIG", "gig")
SUBSIDY = StreamSpec("SUXIN_SUBSIDY", "subsidy")
TRAINING = StreamSpec("SUXIN_TRAINING", "training")
INSURANCE = StreamSpec("SUXIN_INSURANCE", "insurance")
TALENT = StreamSpec("SUXIN_TALENT", "talent")
DATAEXCHANGE = StreamSpec("SUXIN_DATAEXCHANGE", "dataexchange")

STREAMS: tuple[StreamSpec, ...] = (
    HIRING,
    GIG,
    SUBSIDY,
    TRAINING,
    INSURANCE,
    TALENT,
    DATAEXCHANGE,
)

# Each context's events.proto holds its events and nothing else: every top-level message there
# is an event, published on ``suxin.<context>.<snake_case_name>.v1``. Adding a message to a
# context's file is all it takes to make it an event.
_EVENT_MODULES = {
    HIRING: hiring,
    GIG: gig,
    SUBSIDY: subsidy,
    TRAINING: training,
    INSURANCE: insurance,
    TALENT: talent,
    DATAEXCHANGE: dataexchange,
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _event_types() -> tuple[EventType, ...]:
    types = []
    for stream, module in _EVENT_MODULES.items():
        for name in module.DESCRIPTOR.message_types_by_name:
            message = getattr(module, name)
            types.append(EventType(f"suxin.{stream.context}.{_snake(name)}.v1", stream, message))
    return tuple(types)


EVENT_TYPES: tuple[EventType, ...] = _event_types()


@cache
def _by_message() -> dict[str, EventType]:
    return {e.name: e for e in EVENT_TYPES}


@cache
def _by_subject() -> dict[str, EventType]:
    return {e.subject: e for e in EVENT_TYPES}


def event_type_of(message: Message) -> EventType:
    try:
        return _by_message()[message.DESCRIPTOR.full_name]
    except KeyError:
        raise LookupError(f"{message.DESCRIPTOR.full_name} is not in the event catalogue") from None


def event_type_for_subject(subject: str) -> EventType:
    try:
        return _by_subject()[subject]
    except KeyError:
        raise LookupError(f"no event type for subject {subject!r}") from None
