import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CardLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CARD_LEVEL_UNSPECIFIED: _ClassVar[CardLevel]
    CARD_LEVEL_A: _ClassVar[CardLevel]
    CARD_LEVEL_B: _ClassVar[CardLevel]
    CARD_LEVEL_C: _ClassVar[CardLevel]

class CardStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CARD_STATUS_UNSPECIFIED: _ClassVar[CardStatus]
    CARD_STATUS_ACTIVE: _ClassVar[CardStatus]
    CARD_STATUS_SUSPENDED: _ClassVar[CardStatus]
    CARD_STATUS_REVOKED: _ClassVar[CardStatus]
    CARD_STATUS_EXPIRED: _ClassVar[CardStatus]
CARD_LEVEL_UNSPECIFIED: CardLevel
CARD_LEVEL_A: CardLevel
CARD_LEVEL_B: CardLevel
CARD_LEVEL_C: CardLevel
CARD_STATUS_UNSPECIFIED: CardStatus
CARD_STATUS_ACTIVE: CardStatus
CARD_STATUS_SUSPENDED: CardStatus
CARD_STATUS_REVOKED: CardStatus
CARD_STATUS_EXPIRED: CardStatus

class TalentFlowRecorded(_message.Message):
    __slots__ = ("flow_id", "card_id", "person_key", "hire_id", "from_uscc", "to_uscc", "from_city_code", "to_city_code", "flowed_on", "recorded_at", "from_industry_code", "to_industry_code", "level")
    FLOW_ID_FIELD_NUMBER: _ClassVar[int]
    CARD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_USCC_FIELD_NUMBER: _ClassVar[int]
    TO_USCC_FIELD_NUMBER: _ClassVar[int]
    FROM_CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    FLOWED_ON_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    FROM_INDUSTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    TO_INDUSTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    flow_id: str
    card_id: str
    person_key: str
    hire_id: str
    from_uscc: str
    to_uscc: str
    from_city_code: str
    to_city_code: str
    flowed_on: _common_pb2.Date
    recorded_at: _timestamp_pb2.Timestamp
    from_industry_code: str
    to_industry_code: str
    level: CardLevel
    def __init__(self, flow_id: _Optional[str] = ..., card_id: _Optional[str] = ..., person_key: _Optional[str] = ..., hire_id: _Optional[str] = ..., from_uscc: _Optional[str] = ..., to_uscc: _Optional[str] = ..., from_city_code: _Optional[str] = ..., to_city_code: _Optional[str] = ..., flowed_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., from_industry_code: _Optional[str] = ..., to_industry_code: _Optional[str] = ..., level: _Optional[_Union[CardLevel, str]] = ...) -> None: ...

class CardIssued(_message.Message):
    __slots__ = ("card_id", "person_key", "level", "city_code", "valid_until", "proactive", "criteria_version", "issued_at")
    CARD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    PROACTIVE_FIELD_NUMBER: _ClassVar[int]
    CRITERIA_VERSION_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    card_id: str
    person_key: str
    level: CardLevel
    city_code: str
    valid_until: _common_pb2.Date
    proactive: bool
    criteria_version: str
    issued_at: _timestamp_pb2.Timestamp
    def __init__(self, card_id: _Optional[str] = ..., person_key: _Optional[str] = ..., level: _Optional[_Union[CardLevel, str]] = ..., city_code: _Optional[str] = ..., valid_until: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., proactive: _Optional[bool] = ..., criteria_version: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CardStatusChanged(_message.Message):
    __slots__ = ("card_id", "person_key", "status", "reason", "version", "changed_at")
    CARD_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    card_id: str
    person_key: str
    status: CardStatus
    reason: str
    version: int
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, card_id: _Optional[str] = ..., person_key: _Optional[str] = ..., status: _Optional[_Union[CardStatus, str]] = ..., reason: _Optional[str] = ..., version: _Optional[int] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
