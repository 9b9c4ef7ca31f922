import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeliveryMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_MODE_UNSPECIFIED: _ClassVar[DeliveryMode]
    DELIVERY_MODE_NO_APPLICATION: _ClassVar[DeliveryMode]
    DELIVERY_MODE_INSTANT_ON_APPLICATION: _ClassVar[DeliveryMode]
    DELIVERY_MODE_DIRECT_FAST: _ClassVar[DeliveryMode]
DELIVERY_MODE_UNSPECIFIED: DeliveryMode
DELIVERY_MODE_NO_APPLICATION: DeliveryMode
DELIVERY_MODE_INSTANT_ON_APPLICATION: DeliveryMode
DELIVERY_MODE_DIRECT_FAST: DeliveryMode

class SubsidyCaseOpened(_message.Message):
    __slots__ = ("case_id", "hire_id", "enterprise_uscc", "person_key", "rule_id", "rule_version", "amount_fen", "delivery_mode", "review_deadline", "opened_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_VERSION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_MODE_FIELD_NUMBER: _ClassVar[int]
    REVIEW_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    hire_id: str
    enterprise_uscc: str
    person_key: str
    rule_id: str
    rule_version: str
    amount_fen: int
    delivery_mode: DeliveryMode
    review_deadline: _common_pb2.Date
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., hire_id: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., rule_id: _Optional[str] = ..., rule_version: _Optional[str] = ..., amount_fen: _Optional[int] = ..., delivery_mode: _Optional[_Union[DeliveryMode, str]] = ..., review_deadline: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
