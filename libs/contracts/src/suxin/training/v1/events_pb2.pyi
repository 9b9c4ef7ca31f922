import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TrainingKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRAINING_KIND_UNSPECIFIED: _ClassVar[TrainingKind]
    TRAINING_KIND_EMPLOYMENT_SKILLS: _ClassVar[TrainingKind]
    TRAINING_KIND_ENTREPRENEURSHIP: _ClassVar[TrainingKind]
    TRAINING_KIND_EMPLOYEE_UPSKILLING: _ClassVar[TrainingKind]

class TrainingOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRAINING_OUTCOME_UNSPECIFIED: _ClassVar[TrainingOutcome]
    TRAINING_OUTCOME_EMPLOYED: _ClassVar[TrainingOutcome]
    TRAINING_OUTCOME_RETAINED: _ClassVar[TrainingOutcome]
TRAINING_KIND_UNSPECIFIED: TrainingKind
TRAINING_KIND_EMPLOYMENT_SKILLS: TrainingKind
TRAINING_KIND_ENTREPRENEURSHIP: TrainingKind
TRAINING_KIND_EMPLOYEE_UPSKILLING: TrainingKind
TRAINING_OUTCOME_UNSPECIFIED: TrainingOutcome
TRAINING_OUTCOME_EMPLOYED: TrainingOutcome
TRAINING_OUTCOME_RETAINED: TrainingOutcome

class VoucherIssued(_message.Message):
    __slots__ = ("voucher_id", "person_key", "occupation_code", "training_kind", "amount_fen", "valid_until", "city_code", "issued_at")
    VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    TRAINING_KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    voucher_id: str
    person_key: str
    occupation_code: str
    training_kind: TrainingKind
    amount_fen: int
    valid_until: _common_pb2.Date
    city_code: str
    issued_at: _timestamp_pb2.Timestamp
    def __init__(self, voucher_id: _Optional[str] = ..., person_key: _Optional[str] = ..., occupation_code: _Optional[str] = ..., training_kind: _Optional[_Union[TrainingKind, str]] = ..., amount_fen: _Optional[int] = ..., valid_until: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., city_code: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class VoucherRedeemed(_message.Message):
    __slots__ = ("voucher_id", "person_key", "institution_uscc", "occupation_code", "training_kind", "city_code", "redeemed_at")
    VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    INSTITUTION_USCC_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    TRAINING_KIND_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    REDEEMED_AT_FIELD_NUMBER: _ClassVar[int]
    voucher_id: str
    person_key: str
    institution_uscc: str
    occupation_code: str
    training_kind: TrainingKind
    city_code: str
    redeemed_at: _timestamp_pb2.Timestamp
    def __init__(self, voucher_id: _Optional[str] = ..., person_key: _Optional[str] = ..., institution_uscc: _Optional[str] = ..., occupation_code: _Optional[str] = ..., training_kind: _Optional[_Union[TrainingKind, str]] = ..., city_code: _Optional[str] = ..., redeemed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TrainingCompleted(_message.Message):
    __slots__ = ("voucher_id", "person_key", "institution_uscc", "occupation_code", "training_kind", "passed", "city_code", "completed_on", "recorded_at")
    VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    INSTITUTION_USCC_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    TRAINING_KIND_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_ON_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    voucher_id: str
    person_key: str
    institution_uscc: str
    occupation_code: str
    training_kind: TrainingKind
    passed: bool
    city_code: str
    completed_on: _common_pb2.Date
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, voucher_id: _Optional[str] = ..., person_key: _Optional[str] = ..., institution_uscc: _Optional[str] = ..., occupation_code: _Optional[str] = ..., training_kind: _Optional[_Union[TrainingKind, str]] = ..., passed: _Optional[bool] = ..., city_code: _Optional[str] = ..., completed_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TrainingCertified(_message.Message):
    __slots__ = ("voucher_id", "person_key", "institution_uscc", "occupation_code", "training_kind", "skill_level", "subsidy_fen", "city_code", "certified_on", "recorded_at")
    VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    INSTITUTION_USCC_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    TRAINING_KIND_FIELD_NUMBER: _ClassVar[int]
    SKILL_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SUBSIDY_FEN_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CERTIFIED_ON_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    voucher_id: str
    person_key: str
    institution_uscc: str
    occupation_code: str
    training_kind: TrainingKind
    skill_level: _common_pb2.SkillLevel
    subsidy_fen: int
    city_code: str
    certified_on: _common_pb2.Date
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, voucher_id: _Optional[str] = ..., person_key: _Optional[str] = ..., institution_uscc: _Optional[str] = ..., occupation_code: _Optional[str] = ..., training_kind: _Optional[_Union[TrainingKind, str]] = ..., skill_level: _Optional[_Union[_common_pb2.SkillLevel, str]] = ..., subsidy_fen: _Optional[int] = ..., city_code: _Optional[str] = ..., certified_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TrainingOutcomeRecorded(_message.Message):
    __slots__ = ("voucher_id", "person_key", "outcome", "hire_id", "days_after_certification", "training_kind", "city_code", "recorded_at")
    VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_AFTER_CERTIFICATION_FIELD_NUMBER: _ClassVar[int]
    TRAINING_KIND_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    voucher_id: str
    person_key: str
    outcome: TrainingOutcome
    hire_id: str
    days_after_certification: int
    training_kind: TrainingKind
    city_code: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, voucher_id: _Optional[str] = ..., person_key: _Optional[str] = ..., outcome: _Optional[_Union[TrainingOutcome, str]] = ..., hire_id: _Optional[str] = ..., days_after_certification: _Optional[int] = ..., training_kind: _Optional[_Union[TrainingKind, str]] = ..., city_code: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
