"""Request and response bodies of the talent-card API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from suxin_common.identity import ResidentId, Uscc
from suxin_common.regions import JiangsuCityCode
from talent_card.domain.model import Card, CardLevel, CardStatus, TalentFlow


class CardIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
        )


class TalentFlowOut(BaseModel):
    id: uuid.UUID
    card_id: uuid.UUID
    person_key: str
    hire_id: uuid.UUID
    from_uscc: str | None
    from_city_code: str
    to_uscc: str | None
    to_city_code: str
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
            to_uscc=flow.destination.employer_uscc,
            to_city_code=flow.destination.city_code,
            flowed_on=flow.flowed_on,
            recorded_at=flow.recorded_at,
        )
