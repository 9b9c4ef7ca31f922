"""The catalogue of streams and event types: subject <-> protobuf message class.

Subjects follow ``suxin.<context>.<event>.v1``; one stream per publishing context. The
messages themselves are defined in ``proto/`` (the contracts); this module only says where
each one travels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from google.protobuf.message import Message

from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent


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
SUBSIDY = StreamSpec("SUXIN_SUBSIDY", "subsidy")
INSURANCE = StreamSpec("SUXIN_INSURANCE", "insurance")
TALENT = StreamSpec("SUXIN_TALENT", "talent")

STREAMS: tuple[StreamSpec, ...] = (HIRING, SUBSIDY, INSURANCE, TALENT)

EVENT_TYPES: tuple[EventType, ...] = (
    EventType("suxin.hiring.hire_recorded.v1", HIRING, hiring.HireRecorded),
    EventType("suxin.subsidy.subsidy_case_opened.v1", SUBSIDY, subsidy.SubsidyCaseOpened),
    EventType("suxin.insurance.coverage_started.v1", INSURANCE, insurance.CoverageStarted),
    EventType("suxin.talent.talent_flow_recorded.v1", TALENT, talent.TalentFlowRecorded),
)


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
