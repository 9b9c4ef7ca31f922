import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from suxin.gig.v1 import events_pb2 as _events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ClaimStage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLAIM_STAGE_UNSPECIFIED: _ClassVar[ClaimStage]
    CLAIM_STAGE_REPORTED: _ClassVar[ClaimStage]
    CLAIM_STAGE_UNDER_REVIEW: _ClassVar[ClaimStage]
    CLAIM_STAGE_APPROVED: _ClassVar[ClaimStage]
    CLAIM_STAGE_REJECTED: _ClassVar[ClaimStage]
    CLAIM_STAGE_PAID: _ClassVar[ClaimStage]

class Scheme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCHEME_UNSPECIFIED: _ClassVar[Scheme]
    SCHEME_WORK_INJURY_INSURANCE: _ClassVar[Scheme]
    SCHEME_OCCUPATIONAL_INJURY_PROTECTION: _ClassVar[Scheme]
CLAIM_STAGE_UNSPECIFIED: ClaimStage
CLAIM_STAGE_REPORTED: ClaimStage
CLAIM_STAGE_UNDER_REVIEW: ClaimStage
CLAIM_STAGE_APPROVED: ClaimStage
CLAIM_STAGE_REJECTED: ClaimStage
CLAIM_STAGE_PAID: ClaimStage
SCHEME_UNSPECIFIED: Scheme
SCHEME_WORK_INJURY_INSURANCE: Scheme
SCHEME_OCCUPATIONAL_INJURY_PROTECTION: Scheme

class CoverageStarted(_message.Message):
    __slots__ = ("coverage_id", "hire_id", "person_key", "enterprise_uscc", "scheme", "start_date", "started_at", "city_code", "worker_id")
    COVERAGE_ID_FIELD_NUMBER: _ClassVar[int]
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    coverage_id: str
    hire_id: str
    person_key: str
    enterprise_uscc: str
    scheme: Scheme
    start_date: _common_pb2.Date
    started_at: _timestamp_pb2.Timestamp
    city_code: str
    worker_id: str
    def __init__(self, coverage_id: _Optional[str] = ..., hire_id: _Optional[str] = ..., person_key: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., scheme: _Optional[_Union[Scheme, str]] = ..., start_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., city_code: _Optional[str] = ..., worker_id: _Optional[str] = ...) -> None: ...

class CoverageEnded(_message.Message):
    __slots__ = ("coverage_id", "hire_id", "person_key", "enterprise_uscc", "scheme", "end_date", "city_code", "ended_at")
    COVERAGE_ID_FIELD_NUMBER: _ClassVar[int]
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    coverage_id: str
    hire_id: str
    person_key: str
    enterprise_uscc: str
    scheme: Scheme
    end_date: _common_pb2.Date
    city_code: str
    ended_at: _timestamp_pb2.Timestamp
    def __init__(self, coverage_id: _Optional[str] = ..., hire_id: _Optional[str] = ..., person_key: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., scheme: _Optional[_Union[Scheme, str]] = ..., end_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., city_code: _Optional[str] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OrdersCovered(_message.Message):
    __slots__ = ("chunk_id", "platform_uscc", "lines", "covered_at")
    class Line(_message.Message):
        __slots__ = ("industry", "city_code", "month", "orders", "contribution_fen")
        INDUSTRY_FIELD_NUMBER: _ClassVar[int]
        CITY_CODE_FIELD_NUMBER: _ClassVar[int]
        MONTH_FIELD_NUMBER: _ClassVar[int]
        ORDERS_FIELD_NUMBER: _ClassVar[int]
        CONTRIBUTION_FEN_FIELD_NUMBER: _ClassVar[int]
        industry: _events_pb2.PlatformIndustry
        city_code: str
        month: str
        orders: int
        contribution_fen: int
        def __init__(self, industry: _Optional[_Union[_events_pb2.PlatformIndustry, str]] = ..., city_code: _Optional[str] = ..., month: _Optional[str] = ..., orders: _Optional[int] = ..., contribution_fen: _Optional[int] = ...) -> None: ...
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_USCC_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    COVERED_AT_FIELD_NUMBER: _ClassVar[int]
    chunk_id: str
    platform_uscc: str
    lines: _containers.RepeatedCompositeFieldContainer[OrdersCovered.Line]
    covered_at: _timestamp_pb2.Timestamp
    def __init__(self, chunk_id: _Optional[str] = ..., platform_uscc: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[OrdersCovered.Line, _Mapping]]] = ..., covered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClaimStageChanged(_message.Message):
    __slots__ = ("claim_id", "person_key", "platform_uscc", "industry", "stage", "reason", "amount_fen", "city_code", "version", "changed_at")
    CLAIM_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_USCC_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    claim_id: str
    person_key: str
    platform_uscc: str
    industry: _events_pb2.PlatformIndustry
    stage: ClaimStage
    reason: str
    amount_fen: int
    city_code: str
    version: int
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, claim_id: _Optional[str] = ..., person_key: _Optional[str] = ..., platform_uscc: _Optional[str] = ..., industry: _Optional[_Union[_events_pb2.PlatformIndustry, str]] = ..., stage: _Optional[_Union[ClaimStage, str]] = ..., reason: _Optional[str] = ..., amount_fen: _Optional[int] = ..., city_code: _Optional[str] = ..., version: _Optional[int] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ClaimAppealDecided(_message.Message):
    __slots__ = ("appeal_id", "claim_id", "person_key", "platform_uscc", "claim_reopened", "due_on", "decided_in_time", "city_code", "decided_at")
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    CLAIM_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_USCC_FIELD_NUMBER: _ClassVar[int]
    CLAIM_REOPENED_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    DECIDED_IN_TIME_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    appeal_id: str
    claim_id: str
    person_key: str
    platform_uscc: str
    claim_reopened: bool
    due_on: _common_pb2.Date
    decided_in_time: bool
    city_code: str
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, appeal_id: _Optional[str] = ..., claim_id: _Optional[str] = ..., person_key: _Optional[str] = ..., platform_uscc: _Optional[str] = ..., claim_reopened: _Optional[bool] = ..., due_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., decided_in_time: _Optional[bool] = ..., city_code: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
