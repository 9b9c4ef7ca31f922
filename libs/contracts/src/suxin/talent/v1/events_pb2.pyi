import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TalentFlowRecorded(_message.Message):
    __slots__ = ("flow_id", "card_id", "person_key", "hire_id", "from_uscc", "to_uscc", "from_city_code", "to_city_code", "flowed_on", "recorded_at")
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
    def __init__(self, flow_id: _Optional[str] = ..., card_id: _Optional[str] = ..., person_key: _Optional[str] = ..., hire_id: _Optional[str] = ..., from_uscc: _Optional[str] = ..., to_uscc: _Optional[str] = ..., from_city_code: _Optional[str] = ..., to_city_code: _Optional[str] = ..., flowed_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
