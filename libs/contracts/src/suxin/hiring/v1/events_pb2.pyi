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

class HireConfirmation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HIRE_CONFIRMATION_UNSPECIFIED: _ClassVar[HireConfirmation]
    HIRE_CONFIRMATION_PERSON: _ClassVar[HireConfirmation]
    HIRE_CONFIRMATION_OFFER_ACCEPTED: _ClassVar[HireConfirmation]
    HIRE_CONFIRMATION_SOCIAL_INSURANCE: _ClassVar[HireConfirmation]

class SeparationReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEPARATION_REASON_UNSPECIFIED: _ClassVar[SeparationReason]
    SEPARATION_REASON_RESIGNATION: _ClassVar[SeparationReason]
    SEPARATION_REASON_DISMISSAL: _ClassVar[SeparationReason]
    SEPARATION_REASON_CONTRACT_EXPIRY: _ClassVar[SeparationReason]
    SEPARATION_REASON_ECONOMIC_LAYOFF: _ClassVar[SeparationReason]
    SEPARATION_REASON_RETIREMENT: _ClassVar[SeparationReason]
    SEPARATION_REASON_OTHER: _ClassVar[SeparationReason]

class JobPostCloseReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_POST_CLOSE_REASON_UNSPECIFIED: _ClassVar[JobPostCloseReason]
    JOB_POST_CLOSE_REASON_FILLED: _ClassVar[JobPostCloseReason]
    JOB_POST_CLOSE_REASON_CLOSED: _ClassVar[JobPostCloseReason]
    JOB_POST_CLOSE_REASON_EXPIRED: _ClassVar[JobPostCloseReason]

class JobFairMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_FAIR_MODE_UNSPECIFIED: _ClassVar[JobFairMode]
    JOB_FAIR_MODE_ONLINE: _ClassVar[JobFairMode]
    JOB_FAIR_MODE_ONSITE: _ClassVar[JobFairMode]

class JobFairTheme(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_FAIR_THEME_UNSPECIFIED: _ClassVar[JobFairTheme]
    JOB_FAIR_THEME_GENERAL: _ClassVar[JobFairTheme]
    JOB_FAIR_THEME_GRADUATES: _ClassVar[JobFairTheme]
    JOB_FAIR_THEME_WOMEN: _ClassVar[JobFairTheme]
    JOB_FAIR_THEME_DISABLED: _ClassVar[JobFairTheme]
    JOB_FAIR_THEME_VETERANS: _ClassVar[JobFairTheme]
    JOB_FAIR_THEME_SPECIALIZED_SME: _ClassVar[JobFairTheme]
    JOB_FAIR_THEME_DIGITAL_ECONOMY: _ClassVar[JobFairTheme]
    JOB_FAIR_THEME_MIGRANT_WORKERS: _ClassVar[JobFairTheme]

class Gender(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GENDER_UNSPECIFIED: _ClassVar[Gender]
    GENDER_MALE: _ClassVar[Gender]
    GENDER_FEMALE: _ClassVar[Gender]

class Education(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EDUCATION_UNSPECIFIED: _ClassVar[Education]
    EDUCATION_JUNIOR_SECONDARY_OR_BELOW: _ClassVar[Education]
    EDUCATION_SENIOR_SECONDARY: _ClassVar[Education]
    EDUCATION_VOCATIONAL: _ClassVar[Education]
    EDUCATION_JUNIOR_COLLEGE: _ClassVar[Education]
    EDUCATION_BACHELOR: _ClassVar[Education]
    EDUCATION_MASTER: _ClassVar[Education]
    EDUCATION_DOCTORATE: _ClassVar[Education]

class KeyGroup(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KEY_GROUP_UNSPECIFIED: _ClassVar[KeyGroup]
    KEY_GROUP_COLLEGE_GRADUATE: _ClassVar[KeyGroup]
    KEY_GROUP_EMPLOYMENT_DIFFICULTY: _ClassVar[KeyGroup]
    KEY_GROUP_POVERTY_ALLEVIATED: _ClassVar[KeyGroup]
    KEY_GROUP_VETERAN: _ClassVar[KeyGroup]
    KEY_GROUP_DISABLED: _ClassVar[KeyGroup]
    KEY_GROUP_DISPLACED_BY_DIGITAL_TRANSFORMATION: _ClassVar[KeyGroup]
    KEY_GROUP_MIGRANT_WORKER: _ClassVar[KeyGroup]

class JobKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_KIND_UNSPECIFIED: _ClassVar[JobKind]
    JOB_KIND_FULL_TIME: _ClassVar[JobKind]
    JOB_KIND_PART_TIME: _ClassVar[JobKind]
    JOB_KIND_INTERNSHIP: _ClassVar[JobKind]
    JOB_KIND_PUBLIC_WELFARE: _ClassVar[JobKind]
    JOB_KIND_GIG: _ClassVar[JobKind]

class ContractType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTRACT_TYPE_UNSPECIFIED: _ClassVar[ContractType]
    CONTRACT_TYPE_FIXED_TERM: _ClassVar[ContractType]
    CONTRACT_TYPE_OPEN_ENDED: _ClassVar[ContractType]
    CONTRACT_TYPE_PART_TIME: _ClassVar[ContractType]
    CONTRACT_TYPE_INTERNSHIP_AGREEMENT: _ClassVar[ContractType]
    CONTRACT_TYPE_SERVICE_AGREEMENT: _ClassVar[ContractType]
HIRE_CONFIRMATION_UNSPECIFIED: HireConfirmation
HIRE_CONFIRMATION_PERSON: HireConfirmation
HIRE_CONFIRMATION_OFFER_ACCEPTED: HireConfirmation
HIRE_CONFIRMATION_SOCIAL_INSURANCE: HireConfirmation
SEPARATION_REASON_UNSPECIFIED: SeparationReason
SEPARATION_REASON_RESIGNATION: SeparationReason
SEPARATION_REASON_DISMISSAL: SeparationReason
SEPARATION_REASON_CONTRACT_EXPIRY: SeparationReason
SEPARATION_REASON_ECONOMIC_LAYOFF: SeparationReason
SEPARATION_REASON_RETIREMENT: SeparationReason
SEPARATION_REASON_OTHER: SeparationReason
JOB_POST_CLOSE_REASON_UNSPECIFIED: JobPostCloseReason
JOB_POST_CLOSE_REASON_FILLED: JobPostCloseReason
JOB_POST_CLOSE_REASON_CLOSED: JobPostCloseReason
JOB_POST_CLOSE_REASON_EXPIRED: JobPostCloseReason
JOB_FAIR_MODE_UNSPECIFIED: JobFairMode
JOB_FAIR_MODE_ONLINE: JobFairMode
JOB_FAIR_MODE_ONSITE: JobFairMode
JOB_FAIR_THEME_UNSPECIFIED: JobFairTheme
JOB_FAIR_THEME_GENERAL: JobFairTheme
JOB_FAIR_THEME_GRADUATES: JobFairTheme
JOB_FAIR_THEME_WOMEN: JobFairTheme
JOB_FAIR_THEME_DISABLED: JobFairTheme
JOB_FAIR_THEME_VETERANS: JobFairTheme
JOB_FAIR_THEME_SPECIALIZED_SME: JobFairTheme
JOB_FAIR_THEME_DIGITAL_ECONOMY: JobFairTheme
JOB_FAIR_THEME_MIGRANT_WORKERS: JobFairTheme
GENDER_UNSPECIFIED: Gender
GENDER_MALE: Gender
GENDER_FEMALE: Gender
EDUCATION_UNSPECIFIED: Education
EDUCATION_JUNIOR_SECONDARY_OR_BELOW: Education
EDUCATION_SENIOR_SECONDARY: Education
EDUCATION_VOCATIONAL: Education
EDUCATION_JUNIOR_COLLEGE: Education
EDUCATION_BACHELOR: Education
EDUCATION_MASTER: Education
EDUCATION_DOCTORATE: Education
KEY_GROUP_UNSPECIFIED: KeyGroup
KEY_GROUP_COLLEGE_GRADUATE: KeyGroup
KEY_GROUP_EMPLOYMENT_DIFFICULTY: KeyGroup
KEY_GROUP_POVERTY_ALLEVIATED: KeyGroup
KEY_GROUP_VETERAN: KeyGroup
KEY_GROUP_DISABLED: KeyGroup
KEY_GROUP_DISPLACED_BY_DIGITAL_TRANSFORMATION: KeyGroup
KEY_GROUP_MIGRANT_WORKER: KeyGroup
JOB_KIND_UNSPECIFIED: JobKind
JOB_KIND_FULL_TIME: JobKind
JOB_KIND_PART_TIME: JobKind
JOB_KIND_INTERNSHIP: JobKind
JOB_KIND_PUBLIC_WELFARE: JobKind
JOB_KIND_GIG: JobKind
CONTRACT_TYPE_UNSPECIFIED: ContractType
CONTRACT_TYPE_FIXED_TERM: ContractType
CONTRACT_TYPE_OPEN_ENDED: ContractType
CONTRACT_TYPE_PART_TIME: ContractType
CONTRACT_TYPE_INTERNSHIP_AGREEMENT: ContractType
CONTRACT_TYPE_SERVICE_AGREEMENT: ContractType

class HireRecorded(_message.Message):
    __slots__ = ("hire_id", "version", "enterprise_uscc", "enterprise_name", "industry_code", "specialized_sme", "little_giant", "key_monitored", "city_code", "district_code", "person_key", "masked_resident_id", "gender", "birth_year", "education", "graduation_date", "key_groups", "job_post_id", "occupation_code", "job_kind", "contract_type", "contract_months", "start_date", "monthly_wage_fen", "recorded_at", "skill_level", "professional_title", "application_id", "previously_unemployed", "enterprise_size", "age_at_start")
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_NAME_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    SPECIALIZED_SME_FIELD_NUMBER: _ClassVar[int]
    LITTLE_GIANT_FIELD_NUMBER: _ClassVar[int]
    KEY_MONITORED_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    MASKED_RESIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    GENDER_FIELD_NUMBER: _ClassVar[int]
    BIRTH_YEAR_FIELD_NUMBER: _ClassVar[int]
    EDUCATION_FIELD_NUMBER: _ClassVar[int]
    GRADUATION_DATE_FIELD_NUMBER: _ClassVar[int]
    KEY_GROUPS_FIELD_NUMBER: _ClassVar[int]
    JOB_POST_ID_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    JOB_KIND_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_MONTHS_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_WAGE_FEN_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    SKILL_LEVEL_FIELD_NUMBER: _ClassVar[int]
    PROFESSIONAL_TITLE_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUSLY_UNEMPLOYED_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SIZE_FIELD_NUMBER: _ClassVar[int]
    AGE_AT_START_FIELD_NUMBER: _ClassVar[int]
    hire_id: str
    version: int
    enterprise_uscc: str
    enterprise_name: str
    industry_code: str
    specialized_sme: bool
    little_giant: bool
    key_monitored: bool
    city_code: str
    district_code: str
    person_key: str
    masked_resident_id: str
    gender: Gender
    birth_year: int
    education: Education
    graduation_date: _common_pb2.Date
    key_groups: _containers.RepeatedScalarFieldContainer[KeyGroup]
    job_post_id: str
    occupation_code: str
    job_kind: JobKind
    contract_type: ContractType
    contract_months: int
    start_date: _common_pb2.Date
    monthly_wage_fen: int
    recorded_at: _timestamp_pb2.Timestamp
    skill_level: _common_pb2.SkillLevel
    professional_title: _common_pb2.ProfessionalTitle
    application_id: str
    previously_unemployed: bool
    enterprise_size: _common_pb2.EnterpriseSize
    age_at_start: int
    def __init__(self, hire_id: _Optional[str] = ..., version: _Optional[int] = ..., enterprise_uscc: _Optional[str] = ..., enterprise_name: _Optional[str] = ..., industry_code: _Optional[str] = ..., specialized_sme: _Optional[bool] = ..., little_giant: _Optional[bool] = ..., key_monitored: _Optional[bool] = ..., city_code: _Optional[str] = ..., district_code: _Optional[str] = ..., person_key: _Optional[str] = ..., masked_resident_id: _Optional[str] = ..., gender: _Optional[_Union[Gender, str]] = ..., birth_year: _Optional[int] = ..., education: _Optional[_Union[Education, str]] = ..., graduation_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., key_groups: _Optional[_Iterable[_Union[KeyGroup, str]]] = ..., job_post_id: _Optional[str] = ..., occupation_code: _Optional[str] = ..., job_kind: _Optional[_Union[JobKind, str]] = ..., contract_type: _Optional[_Union[ContractType, str]] = ..., contract_months: _Optional[int] = ..., start_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., monthly_wage_fen: _Optional[int] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., skill_level: _Optional[_Union[_common_pb2.SkillLevel, str]] = ..., professional_title: _Optional[_Union[_common_pb2.ProfessionalTitle, str]] = ..., application_id: _Optional[str] = ..., previously_unemployed: _Optional[bool] = ..., enterprise_size: _Optional[_Union[_common_pb2.EnterpriseSize, str]] = ..., age_at_start: _Optional[int] = ...) -> None: ...

class EmploymentEnded(_message.Message):
    __slots__ = ("hire_id", "version", "enterprise_uscc", "person_key", "city_code", "district_code", "industry_code", "job_kind", "end_date", "reason", "specialized_sme", "little_giant", "key_monitored", "key_groups", "skill_level", "professional_title", "recorded_at")
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    JOB_KIND_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SPECIALIZED_SME_FIELD_NUMBER: _ClassVar[int]
    LITTLE_GIANT_FIELD_NUMBER: _ClassVar[int]
    KEY_MONITORED_FIELD_NUMBER: _ClassVar[int]
    KEY_GROUPS_FIELD_NUMBER: _ClassVar[int]
    SKILL_LEVEL_FIELD_NUMBER: _ClassVar[int]
    PROFESSIONAL_TITLE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    hire_id: str
    version: int
    enterprise_uscc: str
    person_key: str
    city_code: str
    district_code: str
    industry_code: str
    job_kind: JobKind
    end_date: _common_pb2.Date
    reason: SeparationReason
    specialized_sme: bool
    little_giant: bool
    key_monitored: bool
    key_groups: _containers.RepeatedScalarFieldContainer[KeyGroup]
    skill_level: _common_pb2.SkillLevel
    professional_title: _common_pb2.ProfessionalTitle
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, hire_id: _Optional[str] = ..., version: _Optional[int] = ..., enterprise_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., city_code: _Optional[str] = ..., district_code: _Optional[str] = ..., industry_code: _Optional[str] = ..., job_kind: _Optional[_Union[JobKind, str]] = ..., end_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., reason: _Optional[_Union[SeparationReason, str]] = ..., specialized_sme: _Optional[bool] = ..., little_giant: _Optional[bool] = ..., key_monitored: _Optional[bool] = ..., key_groups: _Optional[_Iterable[_Union[KeyGroup, str]]] = ..., skill_level: _Optional[_Union[_common_pb2.SkillLevel, str]] = ..., professional_title: _Optional[_Union[_common_pb2.ProfessionalTitle, str]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class HireConfirmed(_message.Message):
    __slots__ = ("hire_id", "version", "enterprise_uscc", "person_key", "start_date", "job_kind", "confirmed_by", "evidence_ref", "confirmed_at")
    HIRE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    JOB_KIND_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_BY_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_REF_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_AT_FIELD_NUMBER: _ClassVar[int]
    hire_id: str
    version: int
    enterprise_uscc: str
    person_key: str
    start_date: _common_pb2.Date
    job_kind: JobKind
    confirmed_by: HireConfirmation
    evidence_ref: str
    confirmed_at: _timestamp_pb2.Timestamp
    def __init__(self, hire_id: _Optional[str] = ..., version: _Optional[int] = ..., enterprise_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., start_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., job_kind: _Optional[_Union[JobKind, str]] = ..., confirmed_by: _Optional[_Union[HireConfirmation, str]] = ..., evidence_ref: _Optional[str] = ..., confirmed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class JobPostOpened(_message.Message):
    __slots__ = ("job_post_id", "version", "enterprise_uscc", "city_code", "district_code", "industry_code", "occupation_code", "job_kind", "headcount", "wage_min_fen", "wage_max_fen", "min_education", "specialized_zone", "opened_at")
    JOB_POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    JOB_KIND_FIELD_NUMBER: _ClassVar[int]
    HEADCOUNT_FIELD_NUMBER: _ClassVar[int]
    WAGE_MIN_FEN_FIELD_NUMBER: _ClassVar[int]
    WAGE_MAX_FEN_FIELD_NUMBER: _ClassVar[int]
    MIN_EDUCATION_FIELD_NUMBER: _ClassVar[int]
    SPECIALIZED_ZONE_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    job_post_id: str
    version: int
    enterprise_uscc: str
    city_code: str
    district_code: str
    industry_code: str
    occupation_code: str
    job_kind: JobKind
    headcount: int
    wage_min_fen: int
    wage_max_fen: int
    min_education: Education
    specialized_zone: bool
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, job_post_id: _Optional[str] = ..., version: _Optional[int] = ..., enterprise_uscc: _Optional[str] = ..., city_code: _Optional[str] = ..., district_code: _Optional[str] = ..., industry_code: _Optional[str] = ..., occupation_code: _Optional[str] = ..., job_kind: _Optional[_Union[JobKind, str]] = ..., headcount: _Optional[int] = ..., wage_min_fen: _Optional[int] = ..., wage_max_fen: _Optional[int] = ..., min_education: _Optional[_Union[Education, str]] = ..., specialized_zone: _Optional[bool] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class JobPostClosed(_message.Message):
    __slots__ = ("job_post_id", "version", "enterprise_uscc", "city_code", "district_code", "occupation_code", "reason", "hires_made", "closed_at")
    JOB_POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    HIRES_MADE_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    job_post_id: str
    version: int
    enterprise_uscc: str
    city_code: str
    district_code: str
    occupation_code: str
    reason: JobPostCloseReason
    hires_made: int
    closed_at: _timestamp_pb2.Timestamp
    def __init__(self, job_post_id: _Optional[str] = ..., version: _Optional[int] = ..., enterprise_uscc: _Optional[str] = ..., city_code: _Optional[str] = ..., district_code: _Optional[str] = ..., occupation_code: _Optional[str] = ..., reason: _Optional[_Union[JobPostCloseReason, str]] = ..., hires_made: _Optional[int] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ApplicationSubmitted(_message.Message):
    __slots__ = ("application_id", "job_post_id", "enterprise_uscc", "person_key", "city_code", "district_code", "occupation_code", "job_kind", "key_groups", "submitted_at")
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_POST_ID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    JOB_KIND_FIELD_NUMBER: _ClassVar[int]
    KEY_GROUPS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    application_id: str
    job_post_id: str
    enterprise_uscc: str
    person_key: str
    city_code: str
    district_code: str
    occupation_code: str
    job_kind: JobKind
    key_groups: _containers.RepeatedScalarFieldContainer[KeyGroup]
    submitted_at: _timestamp_pb2.Timestamp
    def __init__(self, application_id: _Optional[str] = ..., job_post_id: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., person_key: _Optional[str] = ..., city_code: _Optional[str] = ..., district_code: _Optional[str] = ..., occupation_code: _Optional[str] = ..., job_kind: _Optional[_Union[JobKind, str]] = ..., key_groups: _Optional[_Iterable[_Union[KeyGroup, str]]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class JobFairHeld(_message.Message):
    __slots__ = ("job_fair_id", "name", "mode", "theme", "city_code", "district_code", "starts_on", "ends_on", "booths", "job_posts", "positions", "registrations", "check_ins", "held_at")
    JOB_FAIR_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    THEME_FIELD_NUMBER: _ClassVar[int]
    CITY_CODE_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    STARTS_ON_FIELD_NUMBER: _ClassVar[int]
    ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    BOOTHS_FIELD_NUMBER: _ClassVar[int]
    JOB_POSTS_FIELD_NUMBER: _ClassVar[int]
    POSITIONS_FIELD_NUMBER: _ClassVar[int]
    REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    CHECK_INS_FIELD_NUMBER: _ClassVar[int]
    HELD_AT_FIELD_NUMBER: _ClassVar[int]
    job_fair_id: str
    name: str
    mode: JobFairMode
    theme: JobFairTheme
    city_code: str
    district_code: str
    starts_on: _common_pb2.Date
    ends_on: _common_pb2.Date
    booths: int
    job_posts: int
    positions: int
    registrations: int
    check_ins: int
    held_at: _timestamp_pb2.Timestamp
    def __init__(self, job_fair_id: _Optional[str] = ..., name: _Optional[str] = ..., mode: _Optional[_Union[JobFairMode, str]] = ..., theme: _Optional[_Union[JobFairTheme, str]] = ..., city_code: _Optional[str] = ..., district_code: _Optional[str] = ..., starts_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., ends_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., booths: _Optional[int] = ..., job_posts: _Optional[int] = ..., positions: _Optional[int] = ..., registrations: _Optional[int] = ..., check_ins: _Optional[int] = ..., held_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
