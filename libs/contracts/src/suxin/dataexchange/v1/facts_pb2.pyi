from suxin.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SubjectKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBJECT_KIND_UNSPECIFIED: _ClassVar[SubjectKind]
    SUBJECT_KIND_PERSON: _ClassVar[SubjectKind]
    SUBJECT_KIND_ENTERPRISE: _ClassVar[SubjectKind]

class Department(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEPARTMENT_UNSPECIFIED: _ClassVar[Department]
    DEPARTMENT_SOCIAL_INSURANCE: _ClassVar[Department]
    DEPARTMENT_EDUCATION: _ClassVar[Department]
    DEPARTMENT_SKILLS: _ClassVar[Department]
    DEPARTMENT_MARKET_REGULATION: _ClassVar[Department]
    DEPARTMENT_INDUSTRY: _ClassVar[Department]
    DEPARTMENT_CIVIL_AFFAIRS: _ClassVar[Department]
    DEPARTMENT_RURAL_REVITALIZATION: _ClassVar[Department]
    DEPARTMENT_DISABLED_FEDERATION: _ClassVar[Department]
    DEPARTMENT_HEALTH: _ClassVar[Department]
    DEPARTMENT_HRSS_RECORDS: _ClassVar[Department]
    DEPARTMENT_PROFESSIONAL_TITLES: _ClassVar[Department]
    DEPARTMENT_VETERANS_AFFAIRS: _ClassVar[Department]

class FactKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FACT_KIND_UNSPECIFIED: _ClassVar[FactKind]
    FACT_KIND_SOCIAL_INSURANCE_ENROLMENT: _ClassVar[FactKind]
    FACT_KIND_SOCIAL_INSURANCE_CONTRIBUTION: _ClassVar[FactKind]
    FACT_KIND_EDUCATION: _ClassVar[FactKind]
    FACT_KIND_SKILL_CERTIFICATE: _ClassVar[FactKind]
    FACT_KIND_PROFESSIONAL_TITLE: _ClassVar[FactKind]
    FACT_KIND_ENTERPRISE_REGISTRATION: _ClassVar[FactKind]
    FACT_KIND_SPECIALIZED_SME: _ClassVar[FactKind]
    FACT_KIND_LITTLE_GIANT: _ClassVar[FactKind]
    FACT_KIND_LOW_INCOME: _ClassVar[FactKind]
    FACT_KIND_POVERTY_ALLEVIATED: _ClassVar[FactKind]
    FACT_KIND_DISABILITY: _ClassVar[FactKind]
    FACT_KIND_BIRTH: _ClassVar[FactKind]
    FACT_KIND_UNEMPLOYMENT_REGISTRATION: _ClassVar[FactKind]
    FACT_KIND_EMPLOYMENT_DIFFICULTY: _ClassVar[FactKind]
    FACT_KIND_KEY_MONITORED: _ClassVar[FactKind]
    FACT_KIND_VETERAN: _ClassVar[FactKind]
    FACT_KIND_EMPLOYMENT_REGISTRATION: _ClassVar[FactKind]

class UnitType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UNIT_TYPE_UNSPECIFIED: _ClassVar[UnitType]
    UNIT_TYPE_ENTERPRISE: _ClassVar[UnitType]
    UNIT_TYPE_GOVERNMENT_ORGAN: _ClassVar[UnitType]
    UNIT_TYPE_PUBLIC_INSTITUTION: _ClassVar[UnitType]
    UNIT_TYPE_SOCIAL_ORGANIZATION: _ClassVar[UnitType]
    UNIT_TYPE_PRIVATE_NON_ENTERPRISE: _ClassVar[UnitType]
    UNIT_TYPE_INDIVIDUAL_BUSINESS: _ClassVar[UnitType]
    UNIT_TYPE_FARMERS_COOPERATIVE: _ClassVar[UnitType]
    UNIT_TYPE_OTHER: _ClassVar[UnitType]

class RegistrationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REGISTRATION_STATUS_UNSPECIFIED: _ClassVar[RegistrationStatus]
    REGISTRATION_STATUS_ACTIVE: _ClassVar[RegistrationStatus]
    REGISTRATION_STATUS_REVOKED: _ClassVar[RegistrationStatus]
    REGISTRATION_STATUS_DEREGISTERED: _ClassVar[RegistrationStatus]

class ListLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LIST_LEVEL_UNSPECIFIED: _ClassVar[ListLevel]
    LIST_LEVEL_PROVINCIAL: _ClassVar[ListLevel]
    LIST_LEVEL_NATIONAL: _ClassVar[ListLevel]

class AssistanceCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSISTANCE_CATEGORY_UNSPECIFIED: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_MINIMUM_LIVING: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_LOW_INCOME: _ClassVar[AssistanceCategory]
    ASSISTANCE_CATEGORY_EXTREME_POVERTY: _ClassVar[AssistanceCategory]

class DifficultyCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIFFICULTY_CATEGORY_UNSPECIFIED: _ClassVar[DifficultyCategory]
    DIFFICULTY_CATEGORY_OLDER_UNEMPLOYED: _ClassVar[DifficultyCategory]
    DIFFICULTY_CATEGORY_DISABLED: _ClassVar[DifficultyCategory]
    DIFFICULTY_CATEGORY_LOW_INCOME_HOUSEHOLD: _ClassVar[DifficultyCategory]
    DIFFICULTY_CATEGORY_ZERO_EMPLOYMENT_HOUSEHOLD: _ClassVar[DifficultyCategory]
    DIFFICULTY_CATEGORY_LONG_TERM_UNEMPLOYED: _ClassVar[DifficultyCategory]
    DIFFICULTY_CATEGORY_POVERTY_ALLEVIATED: _ClassVar[DifficultyCategory]
    DIFFICULTY_CATEGORY_OTHER: _ClassVar[DifficultyCategory]
SUBJECT_KIND_UNSPECIFIED: SubjectKind
SUBJECT_KIND_PERSON: SubjectKind
SUBJECT_KIND_ENTERPRISE: SubjectKind
DEPARTMENT_UNSPECIFIED: Department
DEPARTMENT_SOCIAL_INSURANCE: Department
DEPARTMENT_EDUCATION: Department
DEPARTMENT_SKILLS: Department
DEPARTMENT_MARKET_REGULATION: Department
DEPARTMENT_INDUSTRY: Department
DEPARTMENT_CIVIL_AFFAIRS: Department
DEPARTMENT_RURAL_REVITALIZATION: Department
DEPARTMENT_DISABLED_FEDERATION: Department
DEPARTMENT_HEALTH: Department
DEPARTMENT_HRSS_RECORDS: Department
DEPARTMENT_PROFESSIONAL_TITLES: Department
DEPARTMENT_VETERANS_AFFAIRS: Department
FACT_KIND_UNSPECIFIED: FactKind
FACT_KIND_SOCIAL_INSURANCE_ENROLMENT: FactKind
FACT_KIND_SOCIAL_INSURANCE_CONTRIBUTION: FactKind
FACT_KIND_EDUCATION: FactKind
FACT_KIND_SKILL_CERTIFICATE: FactKind
FACT_KIND_PROFESSIONAL_TITLE: FactKind
FACT_KIND_ENTERPRISE_REGISTRATION: FactKind
FACT_KIND_SPECIALIZED_SME: FactKind
FACT_KIND_LITTLE_GIANT: FactKind
FACT_KIND_LOW_INCOME: FactKind
FACT_KIND_POVERTY_ALLEVIATED: FactKind
FACT_KIND_DISABILITY: FactKind
FACT_KIND_BIRTH: FactKind
FACT_KIND_UNEMPLOYMENT_REGISTRATION: FactKind
FACT_KIND_EMPLOYMENT_DIFFICULTY: FactKind
FACT_KIND_KEY_MONITORED: FactKind
FACT_KIND_VETERAN: FactKind
FACT_KIND_EMPLOYMENT_REGISTRATION: FactKind
UNIT_TYPE_UNSPECIFIED: UnitType
UNIT_TYPE_ENTERPRISE: UnitType
UNIT_TYPE_GOVERNMENT_ORGAN: UnitType
UNIT_TYPE_PUBLIC_INSTITUTION: UnitType
UNIT_TYPE_SOCIAL_ORGANIZATION: UnitType
UNIT_TYPE_PRIVATE_NON_ENTERPRISE: UnitType
UNIT_TYPE_INDIVIDUAL_BUSINESS: UnitType
UNIT_TYPE_FARMERS_COOPERATIVE: UnitType
UNIT_TYPE_OTHER: UnitType
REGISTRATION_STATUS_UNSPECIFIED: RegistrationStatus
REGISTRATION_STATUS_ACTIVE: RegistrationStatus
REGISTRATION_STATUS_REVOKED: RegistrationStatus
REGISTRATION_STATUS_DEREGISTERED: RegistrationStatus
LIST_LEVEL_UNSPECIFIED: ListLevel
LIST_LEVEL_PROVINCIAL: ListLevel
LIST_LEVEL_NATIONAL: ListLevel
ASSISTANCE_CATEGORY_UNSPECIFIED: AssistanceCategory
ASSISTANCE_CATEGORY_MINIMUM_LIVING: AssistanceCategory
ASSISTANCE_CATEGORY_LOW_INCOME: AssistanceCategory
ASSISTANCE_CATEGORY_EXTREME_POVERTY: AssistanceCategory
DIFFICULTY_CATEGORY_UNSPECIFIED: DifficultyCategory
DIFFICULTY_CATEGORY_OLDER_UNEMPLOYED: DifficultyCategory
DIFFICULTY_CATEGORY_DISABLED: DifficultyCategory
DIFFICULTY_CATEGORY_LOW_INCOME_HOUSEHOLD: DifficultyCategory
DIFFICULTY_CATEGORY_ZERO_EMPLOYMENT_HOUSEHOLD: DifficultyCategory
DIFFICULTY_CATEGORY_LONG_TERM_UNEMPLOYED: DifficultyCategory
DIFFICULTY_CATEGORY_POVERTY_ALLEVIATED: DifficultyCategory
DIFFICULTY_CATEGORY_OTHER: DifficultyCategory

class Enrolment(_message.Message):
    __slots__ = ("enrolled_on", "ended_on", "district_code")
    ENROLLED_ON_FIELD_NUMBER: _ClassVar[int]
    ENDED_ON_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    enrolled_on: _common_pb2.Date
    ended_on: _common_pb2.Date
    district_code: str
    def __init__(self, enrolled_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., ended_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., district_code: _Optional[str] = ...) -> None: ...

class Contribution(_message.Message):
    __slots__ = ("month_date", "employer_pension_fen", "employer_medical_fen", "employer_unemployment_fen", "employer_work_injury_fen", "employer_maternity_fen", "employee_total_fen", "base_fen")
    MONTH_DATE_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_PENSION_FEN_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_MEDICAL_FEN_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_UNEMPLOYMENT_FEN_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_WORK_INJURY_FEN_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_MATERNITY_FEN_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_TOTAL_FEN_FIELD_NUMBER: _ClassVar[int]
    BASE_FEN_FIELD_NUMBER: _ClassVar[int]
    month_date: _common_pb2.Date
    employer_pension_fen: int
    employer_medical_fen: int
    employer_unemployment_fen: int
    employer_work_injury_fen: int
    employer_maternity_fen: int
    employee_total_fen: int
    base_fen: int
    def __init__(self, month_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., employer_pension_fen: _Optional[int] = ..., employer_medical_fen: _Optional[int] = ..., employer_unemployment_fen: _Optional[int] = ..., employer_work_injury_fen: _Optional[int] = ..., employer_maternity_fen: _Optional[int] = ..., employee_total_fen: _Optional[int] = ..., base_fen: _Optional[int] = ...) -> None: ...

class EducationRecord(_message.Message):
    __slots__ = ("education_level", "school", "graduation_date", "full_time")
    EDUCATION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SCHOOL_FIELD_NUMBER: _ClassVar[int]
    GRADUATION_DATE_FIELD_NUMBER: _ClassVar[int]
    FULL_TIME_FIELD_NUMBER: _ClassVar[int]
    education_level: int
    school: str
    graduation_date: _common_pb2.Date
    full_time: bool
    def __init__(self, education_level: _Optional[int] = ..., school: _Optional[str] = ..., graduation_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., full_time: _Optional[bool] = ...) -> None: ...

class SkillCertificate(_message.Message):
    __slots__ = ("skill_level", "occupation_code", "certificate_no", "issued_on")
    SKILL_LEVEL_FIELD_NUMBER: _ClassVar[int]
    OCCUPATION_CODE_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_NO_FIELD_NUMBER: _ClassVar[int]
    ISSUED_ON_FIELD_NUMBER: _ClassVar[int]
    skill_level: _common_pb2.SkillLevel
    occupation_code: str
    certificate_no: str
    issued_on: _common_pb2.Date
    def __init__(self, skill_level: _Optional[_Union[_common_pb2.SkillLevel, str]] = ..., occupation_code: _Optional[str] = ..., certificate_no: _Optional[str] = ..., issued_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ...) -> None: ...

class ProfessionalTitleRecord(_message.Message):
    __slots__ = ("title", "field", "conferred_on", "certificate_no")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    CONFERRED_ON_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_NO_FIELD_NUMBER: _ClassVar[int]
    title: _common_pb2.ProfessionalTitle
    field: str
    conferred_on: _common_pb2.Date
    certificate_no: str
    def __init__(self, title: _Optional[_Union[_common_pb2.ProfessionalTitle, str]] = ..., field: _Optional[str] = ..., conferred_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., certificate_no: _Optional[str] = ...) -> None: ...

class EnterpriseRegistration(_message.Message):
    __slots__ = ("name", "unit_type", "status", "district_code", "industry_code", "established_on")
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNIT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    ESTABLISHED_ON_FIELD_NUMBER: _ClassVar[int]
    name: str
    unit_type: UnitType
    status: RegistrationStatus
    district_code: str
    industry_code: str
    established_on: _common_pb2.Date
    def __init__(self, name: _Optional[str] = ..., unit_type: _Optional[_Union[UnitType, str]] = ..., status: _Optional[_Union[RegistrationStatus, str]] = ..., district_code: _Optional[str] = ..., industry_code: _Optional[str] = ..., established_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ...) -> None: ...

class Birth(_message.Message):
    __slots__ = ("birth_date", "child_order")
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    CHILD_ORDER_FIELD_NUMBER: _ClassVar[int]
    birth_date: _common_pb2.Date
    child_order: int
    def __init__(self, birth_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., child_order: _Optional[int] = ...) -> None: ...

class ListMembership(_message.Message):
    __slots__ = ("list_year", "level")
    LIST_YEAR_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    list_year: int
    level: ListLevel
    def __init__(self, list_year: _Optional[int] = ..., level: _Optional[_Union[ListLevel, str]] = ...) -> None: ...

class SocialAssistance(_message.Message):
    __slots__ = ("category", "district_code")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    category: AssistanceCategory
    district_code: str
    def __init__(self, category: _Optional[_Union[AssistanceCategory, str]] = ..., district_code: _Optional[str] = ...) -> None: ...

class DisabilityRecord(_message.Message):
    __slots__ = ("category", "grade")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    category: int
    grade: int
    def __init__(self, category: _Optional[int] = ..., grade: _Optional[int] = ...) -> None: ...

class VeteranRecord(_message.Message):
    __slots__ = ("discharged_on",)
    DISCHARGED_ON_FIELD_NUMBER: _ClassVar[int]
    discharged_on: _common_pb2.Date
    def __init__(self, discharged_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ...) -> None: ...

class PovertyAlleviationRecord(_message.Message):
    __slots__ = ("year", "district_code")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    year: int
    district_code: str
    def __init__(self, year: _Optional[int] = ..., district_code: _Optional[str] = ...) -> None: ...

class EmploymentStatusRecord(_message.Message):
    __slots__ = ("registered_on", "district_code")
    REGISTERED_ON_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    registered_on: _common_pb2.Date
    district_code: str
    def __init__(self, registered_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., district_code: _Optional[str] = ...) -> None: ...

class EmploymentDifficultyRecord(_message.Message):
    __slots__ = ("category", "district_code", "recognised_on", "reviewed_on")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DISTRICT_CODE_FIELD_NUMBER: _ClassVar[int]
    RECOGNISED_ON_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_ON_FIELD_NUMBER: _ClassVar[int]
    category: DifficultyCategory
    district_code: str
    recognised_on: _common_pb2.Date
    reviewed_on: _common_pb2.Date
    def __init__(self, category: _Optional[_Union[DifficultyCategory, str]] = ..., district_code: _Optional[str] = ..., recognised_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., reviewed_on: _Optional[_Union[_common_pb2.Date, _Mapping]] = ...) -> None: ...
