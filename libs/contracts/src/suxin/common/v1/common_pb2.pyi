from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class SkillLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SKILL_LEVEL_UNSPECIFIED: _ClassVar[SkillLevel]
    SKILL_LEVEL_JUNIOR_WORKER: _ClassVar[SkillLevel]
    SKILL_LEVEL_INTERMEDIATE_WORKER: _ClassVar[SkillLevel]
    SKILL_LEVEL_SENIOR_WORKER: _ClassVar[SkillLevel]
    SKILL_LEVEL_TECHNICIAN: _ClassVar[SkillLevel]
    SKILL_LEVEL_SENIOR_TECHNICIAN: _ClassVar[SkillLevel]

class ProfessionalTitle(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROFESSIONAL_TITLE_UNSPECIFIED: _ClassVar[ProfessionalTitle]
    PROFESSIONAL_TITLE_JUNIOR: _ClassVar[ProfessionalTitle]
    PROFESSIONAL_TITLE_INTERMEDIATE: _ClassVar[ProfessionalTitle]
    PROFESSIONAL_TITLE_ASSOCIATE_SENIOR: _ClassVar[ProfessionalTitle]
    PROFESSIONAL_TITLE_SENIOR: _ClassVar[ProfessionalTitle]

class EnterpriseSize(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTERPRISE_SIZE_UNSPECIFIED: _ClassVar[EnterpriseSize]
    ENTERPRISE_SIZE_MICRO: _ClassVar[EnterpriseSize]
    ENTERPRISE_SIZE_SMALL: _ClassVar[EnterpriseSize]
    ENTERPRISE_SIZE_MEDIUM: _ClassVar[EnterpriseSize]
    ENTERPRISE_SIZE_LARGE: _ClassVar[EnterpriseSize]
SKILL_LEVEL_UNSPECIFIED: SkillLevel
SKILL_LEVEL_JUNIOR_WORKER: SkillLevel
SKILL_LEVEL_INTERMEDIATE_WORKER: SkillLevel
SKILL_LEVEL_SENIOR_WORKER: SkillLevel
SKILL_LEVEL_TECHNICIAN: SkillLevel
SKILL_LEVEL_SENIOR_TECHNICIAN: SkillLevel
PROFESSIONAL_TITLE_UNSPECIFIED: ProfessionalTitle
PROFESSIONAL_TITLE_JUNIOR: ProfessionalTitle
PROFESSIONAL_TITLE_INTERMEDIATE: ProfessionalTitle
PROFESSIONAL_TITLE_ASSOCIATE_SENIOR: ProfessionalTitle
PROFESSIONAL_TITLE_SENIOR: ProfessionalTitle
ENTERPRISE_SIZE_UNSPECIFIED: EnterpriseSize
ENTERPRISE_SIZE_MICRO: EnterpriseSize
ENTERPRISE_SIZE_SMALL: EnterpriseSize
ENTERPRISE_SIZE_MEDIUM: EnterpriseSize
ENTERPRISE_SIZE_LARGE: EnterpriseSize

class Date(_message.Message):
    __slots__ = ("year", "month", "day")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    year: int
    month: int
    day: int
    def __init__(self, year: _Optional[int] = ..., month: _Optional[int] = ..., day: _Optional[int] = ...) -> None: ...
