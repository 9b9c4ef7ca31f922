"""Request and response bodies of the talent-card API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, computed_field

from suxin_common import reasons as why
from suxin_common.codes import label
from suxin_common.freetext import FreeText
from suxin_common.identity import ResidentId, Uscc
from suxin_common.regions import JiangsuCityCode
from suxin_common.web import InputModel
from talent_card.domain.entitlements import Entitlement
from talent_card.domain.model import Card, CardLevel, CardStatus, TalentFlow

Reason = Annotated[FreeText, Field(min_length=1, max_length=500)]


class CardIn(InputModel):
    resident_id: ResidentId
    level: CardLevel
    employer_uscc: Uscc | None = None
    city_code: JiangsuCityCode


class CardOut(BaseModel):
    id: uuid.UUID
    person_key: str
    masked_resident_id: str
    level: CardLevel
    status: CardStatus
    employer_uscc: str | None
    city_code: str
    position_since: date | None  # the start date of the job that set employer and city
    issued_at: datetime
    valid_from: date | None
    valid_until: date | None
    version: int
    proactive: bool
    criteria_version: str | None

    @classmethod
    def of(cls, card: Card) -> CardOut:
        return cls(
            id=card.id,
            person_key=card.person_key,
            masked_resident_id=card.masked_resident_id,
            level=card.level,
            status=card.status,
            employer_uscc=card.position.employer_uscc,
            city_code=card.position.city_code,
            position_since=card.position_since,
            issued_at=card.issued_at,
            valid_from=card.valid_from,
            valid_until=card.valid_until,
            version=card.version,
            proactive=card.proactive,
            criteria_version=card.criteria_version,
        )

    @computed_field
    def level_name(self) -> str | None:
        return label("card-levels", self.level)

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class StatusChangeIn(InputModel):
    reason: Reason


class CredentialOut(BaseModel):
    card_id: uuid.UUID
    credential: str  # compact JWS (VC in JWT), what the QR code holds
    jwks_url: str


class SigningKeyOut(BaseModel):
    kid: str
    signs_new_cards: bool
    unrevoked_cards: int
    # The key must stay published until this day has passed (the last card it signed expires).
    keep_until: date | None


class EmploymentOut(BaseModel):
    hire_id: uuid.UUID
    employer_uscc: str
    city_code: str
    industry_code: str | None
    job_kind: str | None
    started_on: date | None
    ended_on: date | None

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)

    @computed_field
    def industry_name(self) -> str | None:
        return label("industries", self.industry_code)


class TalentFlowOut(BaseModel):
    id: uuid.UUID
    card_id: uuid.UUID
    person_key: str
    hire_id: uuid.UUID
    from_uscc: str | None
    from_city_code: str
    from_industry_code: str | None
    to_uscc: str | None
    to_city_code: str
    to_industry_code: str | None
    flowed_on: date
    recorded_at: datetime

    @classmethod
    def of(cls, flow: TalentFlow) -> TalentFlowOut:
        return cls(
            id=flow.id,
            card_id=flow.card_id,
            person_key=flow.person_key,
            hire_id=flow.hire_id,
            from_uscc=flow.origin.employer_uscc,
            from_city_code=flow.origin.city_code,
            from_industry_code=flow.origin.industry_code,
            to_uscc=flow.destination.employer_uscc,
            to_city_code=flow.destination.city_code,
            to_industry_code=flow.destination.industry_code,
            flowed_on=flow.flowed_on,
            recorded_at=flow.recorded_at,
        )


# --- applications and offers ----------------------------------------------------------------


class AttributesIn(InputModel):
    """The recognised attributes an applicant claims (documents back them; staff check)."""

    talent_programme: Literal["national", "provincial"] | None = None
    professional_title: Literal["junior", "intermediate", "associate_senior", "senior"] | None = (
        None
    )
    skill_level: (
        Literal[
            "junior_worker",
            "intermediate_worker",
            "senior_worker",
            "technician",
            "senior_technician",
        ]
        | None
    ) = None
    education: Literal["bachelor", "master", "doctorate"] | None = None
    honours: Annotated[
        list[Literal["jiangsu_craftsman", "enterprise_chief_expert"]], Field(max_length=10)
    ] = []
    key_enterprise: bool = False

    def as_attributes(self) -> dict[str, Any]:
        values: dict[str, Any] = self.model_dump(exclude_none=True)
        values["honours"] = frozenset(self.honours)
        return values


class DocumentIn(InputModel):
    kind: Annotated[str, Field(min_length=1, max_length=64)]
    reference: Annotated[str, Field(min_length=1, max_length=200)]  # e.g. certificate number


class ApplicationIn(InputModel):
    resident_id: ResidentId
    city_code: JiangsuCityCode
    employer_uscc: Uscc | None = None
    attributes: AttributesIn
    documents: Annotated[list[DocumentIn], Field(max_length=20)] = []


class ReviewIn(InputModel):
    note: Annotated[FreeText, Field(max_length=500)] | None = None


def _with_reasons(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each matched rule with its reason in the request's language (from the rule's stored
    id, name and level; the words are the shared reason catalogue's)."""
    return [
        e
        | {
            "reason": why.render(
                why.stored("card.rule_matched", rule=e.get("name", e.get("rule")), level=e["level"])
            )
        }
        if isinstance(e, dict) and "level" in e
        else e
        for e in evidence
    ]


Evidence = Annotated[list[dict[str, Any]], AfterValidator(_with_reasons)]


class ApplicationOut(BaseModel):
    id: uuid.UUID
    masked_resident_id: str
    city_code: str
    employer_uscc: str | None
    attributes: dict[str, Any]
    documents: list[dict[str, str]]
    proposed_level: CardLevel | None
    criteria_version: str
    evidence: Evidence
    status: str
    submitted_at: datetime
    reviewed_at: datetime | None = None
    review_note: str | None = None
    card_id: uuid.UUID | None = None

    @classmethod
    def of(cls, row: Any) -> ApplicationOut:
        values = row if isinstance(row, dict) else dict(row._mapping)
        return cls.model_validate(
            {k: values.get(k) for k in cls.model_fields}
            | {"masked_resident_id": values["resident_id_masked"]}
        )

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


class ResidentIdIn(InputModel):
    resident_id: ResidentId


class AcceptOfferIn(InputModel):
    resident_id: ResidentId
    employer_uscc: Uscc | None = None


class OfferOut(BaseModel):
    id: uuid.UUID
    level: CardLevel
    criteria_version: str
    evidence: Evidence
    city_code: str
    status: str
    offered_at: datetime
    decided_at: datetime | None
    card_id: uuid.UUID | None

    @classmethod
    def of(cls, row: Any) -> OfferOut:
        values = dict(row._mapping)
        return cls.model_validate({k: values.get(k) for k in cls.model_fields})

    @computed_field
    def level_name(self) -> str | None:
        return label("card-levels", self.level)

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)


# --- entitlements ---------------------------------------------------------------------------


class EntitlementOut(BaseModel):
    code: str
    name: str
    levels: list[CardLevel]
    limit: int | None
    period: str

    @classmethod
    def of(cls, e: Entitlement) -> EntitlementOut:
        return cls(
            code=e.code,
            name=e.name,
            levels=sorted(e.levels),
            limit=e.limit,
            period=e.period.value,
        )


class EntitlementUseIn(InputModel):
    credential: Annotated[str, Field(min_length=20, max_length=4096)]
    entitlement: Annotated[str, Field(min_length=1, max_length=64)]
    # The partner's own reference of this use (visit number, case number): makes retries safe.
    reference: Annotated[str, Field(min_length=1, max_length=100)]


class EntitlementUseOut(BaseModel):
    id: uuid.UUID
    card_id: uuid.UUID
    entitlement_code: str
    partner_uscc: str
    reference: str
    used_on: date
    used_at: datetime

    @classmethod
    def of(cls, row: Any) -> EntitlementUseOut:
        values = row if isinstance(row, dict) else dict(row._mapping)
        return cls.model_validate({k: values.get(k) for k in cls.model_fields})
