import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from suxin.common.v1 import common_pb2 as _common_pb2
from suxin.dataexchange.v1 import facts_pb2 as _facts_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FactVerified(_message.Message):
    __slots__ = ("fact_id", "fact_key", "version", "kind", "subject_kind", "person_key", "enterprise_uscc", "department", "as_of_date", "valid_from_date", "valid_until", "revoked", "evidence_ref", "verified_at", "enrolment", "contribution", "education", "skill_certificate", "professional_title", "enterprise_registration", "birth", "list_membership", "social_assistance", "disability", "veteran", "employment_status", "employment_difficulty", "poverty_alleviation")
    FACT_ID_FIELD_NUMBER: _ClassVar[int]
    FACT_KEY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_KIND_FIELD_NUMBER: _ClassVar[int]
    PERSON_KEY_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_USCC_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    AS_OF_DATE_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_REF_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    ENROLMENT_FIELD_NUMBER: _ClassVar[int]
    CONTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    EDUCATION_FIELD_NUMBER: _ClassVar[int]
    SKILL_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    PROFESSIONAL_TITLE_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    BIRTH_FIELD_NUMBER: _ClassVar[int]
    LIST_MEMBERSHIP_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_ASSISTANCE_FIELD_NUMBER: _ClassVar[int]
    DISABILITY_FIELD_NUMBER: _ClassVar[int]
    VETERAN_FIELD_NUMBER: _ClassVar[int]
    EMPLOYMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    EMPLOYMENT_DIFFICULTY_FIELD_NUMBER: _ClassVar[int]
    POVERTY_ALLEVIATION_FIELD_NUMBER: _ClassVar[int]
    fact_id: str
    fact_key: str
    version: int
    kind: _facts_pb2.FactKind
    subject_kind: _facts_pb2.SubjectKind
    person_key: str
    enterprise_uscc: str
    department: _facts_pb2.Department
    as_of_date: _common_pb2.Date
    valid_from_date: _common_pb2.Date
    valid_until: _common_pb2.Date
    revoked: bool
    evidence_ref: str
    verified_at: _timestamp_pb2.Timestamp
    enrolment: _facts_pb2.Enrolment
    contribution: _facts_pb2.Contribution
    education: _facts_pb2.EducationRecord
    skill_certificate: _facts_pb2.SkillCertificate
    professional_title: _facts_pb2.ProfessionalTitleRecord
    enterprise_registration: _facts_pb2.EnterpriseRegistration
    birth: _facts_pb2.Birth
    list_membership: _facts_pb2.ListMembership
    social_assistance: _facts_pb2.SocialAssistance
    disability: _facts_pb2.DisabilityRecord
    veteran: _facts_pb2.VeteranRecord
    employment_status: _facts_pb2.EmploymentStatusRecord
    employment_difficulty: _facts_pb2.EmploymentDifficultyRecord
    poverty_alleviation: _facts_pb2.PovertyAlleviationRecord
    def __init__(self, fact_id: _Optional[str] = ..., fact_key: _Optional[str] = ..., version: _Optional[int] = ..., kind: _Optional[_Union[_facts_pb2.FactKind, str]] = ..., subject_kind: _Optional[_Union[_facts_pb2.SubjectKind, str]] = ..., person_key: _Optional[str] = ..., enterprise_uscc: _Optional[str] = ..., department: _Optional[_Union[_facts_pb2.Department, str]] = ..., as_of_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., valid_from_date: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., valid_until: _Optional[_Union[_common_pb2.Date, _Mapping]] = ..., revoked: _Optional[bool] = ..., evidence_ref: _Optional[str] = ..., verified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., enrolment: _Optional[_Union[_facts_pb2.Enrolment, _Mapping]] = ..., contribution: _Optional[_Union[_facts_pb2.Contribution, _Mapping]] = ..., education: _Optional[_Union[_facts_pb2.EducationRecord, _Mapping]] = ..., skill_certificate: _Optional[_Union[_facts_pb2.SkillCertificate, _Mapping]] = ..., professional_title: _Optional[_Union[_facts_pb2.ProfessionalTitleRecord, _Mapping]] = ..., enterprise_registration: _Optional[_Union[_facts_pb2.EnterpriseRegistration, _Mapping]] = ..., birth: _Optional[_Union[_facts_pb2.Birth, _Mapping]] = ..., list_membership: _Optional[_Union[_facts_pb2.ListMembership, _Mapping]] = ..., social_assistance: _Optional[_Union[_facts_pb2.SocialAssistance, _Mapping]] = ..., disability: _Optional[_Union[_facts_pb2.DisabilityRecord, _Mapping]] = ..., veteran: _Optional[_Union[_facts_pb2.VeteranRecord, _Mapping]] = ..., employment_status: _Optional[_Union[_facts_pb2.EmploymentStatusRecord, _Mapping]] = ..., employment_difficulty: _Optional[_Union[_facts_pb2.EmploymentDifficultyRecord, _Mapping]] = ..., poverty_alleviation: _Optional[_Union[_facts_pb2.PovertyAlleviationRecord, _Mapping]] = ...) -> None: ...
