import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GigApplicationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GIG_APPLICATION_STATUS_UNSPECIFIED: _ClassVar[GigApplicationStatus]
    GIG_APPLICATION_STATUS_INVITED: _ClassVar[GigApplicationStatus]
    GIG_APPLICATION_STATUS_APPLIED: _ClassVar[GigApplicationStatus]
    GIG_APPLICATION_STATUS_CONFIRMED: _ClassVar[GigApplicationStatus]
    GIG_APPLICATION_STATUS_COMPLETED: _ClassVar[GigApplicationStatus]
    GIG_APPLICATION_STATUS_DECLINED: _ClassVar[GigApplicationStatus]
    GIG_APPLICATION_STATUS_WITHDRAWN: _ClassVar[GigApplicationStatus]

class PlatformIndustry(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLATFORM_INDUSTRY_UNSPECIFIED: _ClassVar[PlatformIndustry]
    PLATFORM_INDUSTRY_RIDE_HAILING: _ClassVar[PlatformIndustry]
    PLATFORM_INDUSTRY_INSTANT_DELIVERY: _ClassVar[PlatformIndustry]
    PLATFORM_INDUSTRY_INTRA_CITY_FREIGHT: _ClassVar[PlatformIndustry]
    PLATFORM_INDUSTRY_LOCAL_SERVICES: _ClassVar[PlatformIndustry]

class OrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORDER_STATUS_UNSPECIFIED: _ClassVar[OrderStatus]
    ORDER_STATUS_ACCEPTED: _ClassVar[OrderStatus]
    ORDER_STATUS_COMPLETED: _ClassVar[OrderStatus]
    ORDER_STATUS_CANCELLED: _ClassVar[OrderStatus]
GIG_APPLICATION_STATUS_UNSPECIFIED: GigApplicationStatus
GIG_APPLICATION_STATUS_INVITED: GigApplicationStatus
GIG_APPLICATION_STATUS_APPLIED: GigApplicationStatus
GIG_APPLICATION_STATUS_CONFIRMED: GigApplicationStatus
GIG_APPLICATION_STATUS_COMPLETED: GigApplicationStatus
GIG_APPLICATION_STATUS_DECLINED: GigApplicationStatus
GIG_APPLICATION_STATUS_WITHDRAWN: GigApplicationStatus
PLATFORM_INDUSTRY_UNSPECIFIED: PlatformIndustry
PLATFORM_INDUSTRY_RIDE_HAILING: PlatformIndustry
PLATFORM_INDUSTRY_INSTANT_DELIVERY: PlatformIndustry
PLATFORM_INDUSTRY_INTRA_CITY_FREIGHT: PlatformIndustry
PLATFORM_INDUSTRY_LOCAL_SERVICES: PlatformIndustry
ORDER_STATUS_UNSPECIFIED: OrderStatus
ORDER_STATUS_ACCEPTED: OrderStatus
ORDER_STATUS_COMPLETED: OrderStatus
ORDER_STATUS_CANCELLED: OrderStatus

class PlatformRegistered(_message.Message):
    __slots__ = ("platform_uscc", "name", "pilot", "industries", "city_code", "version", "registered_at")
    PLATFORM_USCC_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PILOT_FIELD_NUMBER: _ClassVar[int]
    INDUSTRIES_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    platform_uscc: str
    name: str
    pilot: bool
    industries: _containers.RepeatedScalarFieldContainer[PlatformIndustry]
    city_code: str
    version: int
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, platform_uscc: _Optional[str] = ..., name: _Optional[str] = ..., pilot: _Optional[bool] = ..., industries: _Optional[_Iterable[_Union[PlatformIndustry, str]]] = ..., city_code: _Optional[str] = ..., version: _Optional[int] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GigWorkerRegistered(_message.Message):
    __slots__ = ("platform_uscc", "worker_id", "person_key", "masked_resident_id", "city_code", "birth_year", "registered_at")
    PLATFORM_USCC_FIELD_NUMBER: _ClassVar[int]
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    MASKED_RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    BIRTH_YEAR_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    platform_uscc: str
    worker_id: str
    person_key: str
    masked_resident_id: str
    city_code: str
    birth_year: int
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, platform_uscc: _Optional[str] = ..., worker_id: _Optional[str] = ..., person_key: _Optional[str] = ..., masked_resident_id: _Optional[str] = ..., city_code: _Optional[str] = ..., birth_year: _Optional[int] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OrdersReported(_message.Message):
    __slots__ = ("chunk_id", "platform_uscc", "orders", "reported_at")
    class PlatformOrder(_message.Message):
        __slots__ = ("order_id", "worker_id", "person_key", "industry", "status", "accepted_at", "completed_at", "cancelled_at", "city_code")
        ORDER_ID_FIELD_NUMBER: _ClassVar[int]
        WORKER_ID_FIELD_NUMBER: _ClassVar[int]
        PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
        INDUSTRY_FIELD_NUMBER: _ClassVar[int]
        STATUS_FIELD_NUMBER: _ClassVar[int]
        ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
        COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
        CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
        CITY_CODE_FIELD_NUMBER: _ClassVar[int]
        order_id: str
        worker_id: str
        person_key: str
        industry: PlatformIndustry
        status: OrderStatus
        accepted_at: _timestamp_pb2.Timestamp
        completed_at: _timestamp_pb2.Timestamp
        cancelled_at: _timestamp_pb2.Timestamp
        city_code: str
        def __init__(self, order_id: _Optional[str] = ..., worker_id: _Optional[str] = ..., person_key: _Optional[str] = ..., industry: _Optional[_Union[PlatformIndustry, str]] = ..., status: _Optional[_Union[OrderStatus, str]] = ..., accepted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., city_code: _Optional[str] = ...) -> None: ...
    CHUNK_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_USCC_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    chunk_id: str
    platform_uscc: str
    orders: _containers.RepeatedCompositeFieldContainer[OrdersReported.PlatformOrder]
    reported_at: _timestamp_pb2.Timestamp
    def __init__(self, chunk_id: _Optional[str] = ..., platform_uscc: _Optional[str] = ..., orders: _Optional[_Iterable[_Union[OrdersReported.PlatformOrder, _Mapping]]] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GigApplicationChanged(_message.Message):
    __slots__ = ("application_id", "posting_id", "posting_title", "poster_uscc", "person_key", "status", "invited", "version", "district_code", "occupation_code", "starts_on", "changed_at")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    POSTING_ID_FIELD_NUMBER: _ClassVar[int]
    POSTING_TITLE_FIELD_NUMBER: _ClassVar[int]
    POSTER_USCC_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INVITED_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    posting_id: str
    posting_title: str
    poster_uscc: str
    person_key: str
    status: GigApplicationStatus
    invited: bool
    version: int
    district_code: str
    occupation_code: str
    starts_on: _common_pb2.Date
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, application_id: _Optional[str] = ..., posting_id: _Optional[str] = ..., posting_title: _Optional[str] = ..., poster_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., status: _Optional[_Union[GigApplicationStatus, str]] = ..., invited: _Optional[bool] = ..., version: _Optional[int] = ..., district_code: _Optional[str] = ..., occupation_code: _Optional[str] = ..., starts_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
