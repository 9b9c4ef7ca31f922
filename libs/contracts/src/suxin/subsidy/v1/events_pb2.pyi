import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Decision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_UNSPECIFIED: _ClassVar[Decision]
    DECISION_APPROVED: _ClassVar[Decision]
    DECISION_REJECTED: _ClassVar[Decision]
    DECISION_RETURNED: _ClassVar[Decision]

class PaymentOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_OUTCOME_UNSPECIFIED: _ClassVar[PaymentOutcome]
    PAYMENT_OUTCOME_PAID: _ClassVar[PaymentOutcome]
    PAYMENT_OUTCOME_RETURNED: _ClassVar[PaymentOutcome]
    PAYMENT_OUTCOME_RETRY: _ClassVar[PaymentOutcome]

class AppealOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPEAL_OUTCOME_UNSPECIFIED: _ClassVar[AppealOutcome]
    APPEAL_OUTCOME_UPHELD: _ClassVar[AppealOutcome]
    APPEAL_OUTCOME_DISMISSED: _ClassVar[AppealOutcome]

class DeliveryMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_MODE_UNSPECIFIED: _ClassVar[DeliveryMode]
    DELIVERY_MODE_NO_APPLICATION: _ClassVar[DeliveryMode]
    DELIVERY_MODE_INSTANT_ON_APPLICATION: _ClassVar[DeliveryMode]
    DELIVERY_MODE_DIRECT_FAST: _ClassVar[DeliveryMode]
DECISION_UNSPECIFIED: Decision
DECISION_APPROVED: Decision
DECISION_REJECTED: Decision
DECISION_RETURNED: Decision
PAYMENT_OUTCOME_UNSPECIFIED: PaymentOutcome
PAYMENT_OUTCOME_PAID: PaymentOutcome
PAYMENT_OUTCOME_RETURNED: PaymentOutcome
PAYMENT_OUTCOME_RETRY: PaymentOutcome
APPEAL_OUTCOME_UNSPECIFIED: AppealOutcome
APPEAL_OUTCOME_UPHELD: AppealOutcome
APPEAL_OUTCOME_DISMISSED: AppealOutcome
DELIVERY_MODE_UNSPECIFIED: DeliveryMode
DELIVERY_MODE_NO_APPLICATION: DeliveryMode
DELIVERY_MODE_INSTANT_ON_APPLICATION: DeliveryMode
DELIVERY_MODE_DIRECT_FAST: DeliveryMode

class SubsidyCaseOpened(_message.Message):
    __slots__ = ("case_id", "hire_id", "enterprise_uscc", "person_key", "rule_id", "rule_version", "amount_fen", "delivery_mode", "review_deadline", "opened_at", "rule_family", "city_code", "district_code", "awaiting_data")
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
    RULE_FAMILY_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    AWAITING_DATA_FIELD_NUMBER: _ClassVar[int]
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
    rule_family: str
    city_code: str
    district_code: str
    awaiting_data: bool
    def __init__(self, case_id: _Optional[str] = ..., hire_id: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., rule_id: _Optional[str] = ..., rule_version: _Optional[str] = ..., amount_fen: _Optional[int] = ..., delivery_mode: _Optional[_Union[DeliveryMode, str]] = ..., review_deadline: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rule_family: _Optional[str] = ..., city_code: _Optional[str] = ..., district_code: _Optional[str] = ..., awaiting_data: _Optional[bool] = ...) -> None: ...

class SubsidyCaseReviewStarted(_message.Message):
    __slots__ = ("case_id", "rule_id", "rule_version", "rule_family", "enterprise_uscc", "person_key", "amount_fen", "review_deadline", "city_code", "started_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_VERSION_FIELD_NUMBER: _ClassVar[int]
    RULE_FAMILY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    REVIEW_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    rule_id: str
    rule_version: str
    rule_family: str
    enterprise_uscc: str
    person_key: str
    amount_fen: int
    review_deadline: _common_pb2.Date
    city_code: str
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., rule_version: _Optional[str] = ..., rule_family: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., amount_fen: _Optional[int] = ..., review_deadline: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., city_code: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubsidyCaseDecided(_message.Message):
    __slots__ = ("case_id", "rule_id", "rule_version", "rule_family", "enterprise_uscc", "person_key", "decision", "reason", "amount_fen", "review_deadline", "decided_on", "decided_in_time", "city_code", "decided_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_VERSION_FIELD_NUMBER: _ClassVar[int]
    RULE_FAMILY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    REVIEW_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    DECIDED_IN_TIME_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    rule_id: str
    rule_version: str
    rule_family: str
    enterprise_uscc: str
    person_key: str
    decision: Decision
    reason: str
    amount_fen: int
    review_deadline: _common_pb2.Date
    decided_on: _common_pb2.Date
    decided_in_time: bool
    city_code: str
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., rule_version: _Optional[str] = ..., rule_family: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., decision: _Optional[_Union[Decision, str]] = ..., reason: _Optional[str] = ..., amount_fen: _Optional[int] = ..., review_deadline: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., decided_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., decided_in_time: _Optional[bool] = ..., city_code: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubsidyCasePaid(_message.Message):
    __slots__ = ("case_id", "rule_family", "enterprise_uscc", "amount_fen", "city_code", "paid_at", "payment_id", "attempt")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_FAMILY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    PAID_AT_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    rule_family: str
    enterprise_uscc: str
    amount_fen: int
    city_code: str
    paid_at: _timestamp_pb2.Timestamp
    payment_id: str
    attempt: int
    def __init__(self, case_id: _Optional[str] = ..., rule_family: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., amount_fen: _Optional[int] = ..., city_code: _Optional[str] = ..., paid_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., payment_id: _Optional[str] = ..., attempt: _Optional[int] = ...) -> None: ...

class SubsidyPaymentReturned(_message.Message):
    __slots__ = ("case_id", "payment_id", "attempt", "rule_family", "enterprise_uscc", "amount_fen", "city_code", "outcome", "return_code", "requeued_payment_id", "returned_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    RULE_FAMILY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    RETURN_CODE_FIELD_NUMBER: _ClassVar[int]
    REQUEUED_PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RETURNED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    payment_id: str
    attempt: int
    rule_family: str
    enterprise_uscc: str
    amount_fen: int
    city_code: str
    outcome: PaymentOutcome
    return_code: str
    requeued_payment_id: str
    returned_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., attempt: _Optional[int] = ..., rule_family: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., amount_fen: _Optional[int] = ..., city_code: _Optional[str] = ..., outcome: _Optional[_Union[PaymentOutcome, str]] = ..., return_code: _Optional[str] = ..., requeued_payment_id: _Optional[str] = ..., returned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubsidyAppealDecided(_message.Message):
    __slots__ = ("appeal_id", "case_id", "rule_family", "enterprise_uscc", "person_key", "outcome", "case_reopened", "due_on", "decided_in_time", "city_code", "decided_at", "review_deadline")
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_FAMILY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CASE_REOPENED_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    DECIDED_IN_TIME_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEW_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    appeal_id: str
    case_id: str
    rule_family: str
    enterprise_uscc: str
    person_key: str
    outcome: AppealOutcome
    case_reopened: bool
    due_on: _common_pb2.Date
    decided_in_time: bool
    city_code: str
    decided_at: _timestamp_pb2.Timestamp
    review_deadline: _common_pb2.Date
    def __init__(self, appeal_id: _Optional[str] = ..., case_id: _Optional[str] = ..., rule_family: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., outcome: _Optional[_Union[AppealOutcome, str]] = ..., case_reopened: _Optional[bool] = ..., due_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., decided_in_time: _Optional[bool] = ..., city_code: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., review_deadline: _Optional[_Union[_common_pb2.Date, _Mapping]] = ...) -> None: ...

class SubsidyCaseDeadlineRecomputed(_message.Message):
    __slots__ = ("case_id", "rule_family", "enterprise_uscc", "city_code", "previous_deadline", "review_deadline", "provisional", "schedule_year", "recomputed_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_FAMILY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    REVIEW_DEADLINE_FIELD_NUMBER: _ClassVar[int]
    PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_YEAR_FIELD_NUMBER: _ClassVar[int]
    RECOMPUTED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    rule_family: str
    enterprise_uscc: str
    city_code: str
    previous_deadline: _common_pb2.Date
    review_deadline: _common_pb2.Date
    provisional: bool
    schedule_year: int
    recomputed_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., rule_family: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., city_code: _Optional[str] = ..., previous_deadline: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., review_deadline: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., provisional: _Optional[bool] = ..., schedule_year: _Optional[int] = ..., recomputed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
