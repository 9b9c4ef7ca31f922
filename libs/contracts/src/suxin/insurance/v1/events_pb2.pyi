import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Scheme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCHEME_UNSPECIFIED: _ClassVar[Scheme]
    SCHEME_WORK_INJURY_INSURANCE: _ClassVar[Scheme]
    SCHEME_OCCUPATIONAL_INJURY_PROTECTION: _ClassVar[Scheme]
SCHEME_UNSPECIFIED: Scheme
SCHEME_WORK_INJURY_INSURANCE: Scheme
SCHEME_OCCUPATIONAL_INJURY_PROTECTION: Scheme

class CoverageStarted(_message.Message):
    __slots__ = ("coverage_id", "hire_id", "person_key", "enterprise_uscc", "scheme", "start_date", "started_at")
    COVERAGE_ID_FIELD_NUMBER: _ClassVar[int]
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    SCHEME_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    coverage_id: str
    hire_id: str
    person_key: str
    enterprise_uscc: str
    scheme: Scheme
    start_date: _common_pb2.Date
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, coverage_id: _Optional[str] = ..., hire_id: _Optional[str] = ..., person_key: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., scheme: _Optional[_Union[Scheme, str]] = ..., start_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
