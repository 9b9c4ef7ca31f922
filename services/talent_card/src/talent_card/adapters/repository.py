"""Reads and writes of cards and talent flows, as domain objects. The session is passed in."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.auth import Principal, district_clause
from suxin_common.db import driver_connection
from talent_card.adapters.tables import (
    NOT_REVOKED,
    STATUS_INDEX_SEQ,
    card_applications,
    card_employments,
    card_offers,
    cards,
    entitlement_uses,
    talent_flows,
)
from talent_card.domain.model import (
    HELD_STATUSES,
    Card,
    CardLevel,
    CardStatus,
    Position,
    TalentFlow,
)

_HELD = cards.c.status.in_([s.value for s in HELD_STATUSES])


async def next_status_index(session: AsyncSession) -> int:
    return int((await session.execute(sa.select(STATUS_INDEX_SEQ.next_value()))).scalar_one())


async def add_card(
    session: AsyncSession,
    card: Card,
    *,
    resident_id_encrypted: str,
    signing_kid: str | None = None,
    credential: str | None = None,
    evidence: list[dict[str, Any]] | None = None,
) -> bool:
    """Insert; False if the person already holds a card."""
    row = await session.execute(
        insert(cards)
        .values(
            valid_from=card.valid_from,
            valid_until=card.valid_until,
            status_index=card.status_index,
            holder_subject=card.holder_subject,
            owner_subject=card.owner_subject,
            signing_kid=signing_kid,
            credential=credential,
            version=card.version,
            criteria_version=card.criteria_version,
            evidence=evidence,
            proactive=card.proactive,
            industry_code=card.position.industry_code,
            id=card.id,
            person_key=card.person_key,
            resident_id_encrypted=resident_id_encrypted,
            resident_id_masked=card.masked_resident_id,
            level=card.level.value,
            status=card.status.value,
            issued_employer_uscc=card.issued_position.employer_uscc,
            issued_city_code=card.issued_position.city_code,
            employer_uscc=card.position.employer_uscc,
            city_code=card.position.city_code,
            position_since=card.position_since,
            issued_at=card.issued_at,
        )
        .on_conflict_do_nothing(index_elements=[cards.c.person_key], index_where=NOT_REVOKED)
        .returning(cards.c.id)
    )
    return row.first() is not None


async def get_card(session: AsyncSession, card_id: uuid.UUID, *, lock: bool = False) -> Card | None:
    query = sa.select(cards).where(cards.c.id == card_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return _card(row) if row else None


async def credential_of(session: AsyncSession, card_id: uuid.UUID) -> str | None:
    query = sa.select(cards.c.credential).where(cards.c.id == card_id)
    return (await session.execute(query)).scalar_one_or_none()


async def cards_of_owner(session: AsyncSession, owner_subject: str) -> list[Card]:
    query = (
        sa.select(cards).where(cards.c.owner_subject == owner_subject).order_by(cards.c.issued_at)
    )
    return [_card(row) for row in (await session.execute(query)).all()]


async def set_owner(session: AsyncSession, card_id: uuid.UUID, owner_subject: str) -> None:
    await session.execute(
        sa.update(cards).where(cards.c.id == card_id).values(owner_subject=owner_subject)
    )


async def set_status(session: AsyncSession, card: Card, reason: str) -> None:
    await session.execute(
        sa.update(cards)
        .where(cards.c.id == card.id)
        .values(status=card.status.value, version=card.version, status_reason=reason)
    )


async def status_bits(
    session: AsyncSession, status: CardStatus, first: int, size: int
) -> list[int]:
    """Positions, within the list starting at ``first``, of the cards in ``status``."""
    query = sa.select(cards.c.status_index).where(
        cards.c.status == status.value,
        cards.c.status_index >= first,
        cards.c.status_index < first + size,
    )
    return [int(i) - first for i in (await session.execute(query)).scalars()]


async def signing_key_use(session: AsyncSession) -> dict[str, tuple[int, date | None]]:
    """Per key id: how many unrevoked cards it signed and the last day one of them is valid."""
    query = (
        sa.select(cards.c.signing_kid, sa.func.count(), sa.func.max(cards.c.valid_until))
        .where(cards.c.status != CardStatus.REVOKED.value, cards.c.signing_kid.is_not(None))
        .group_by(cards.c.signing_kid)
    )
    return {kid: (n, until) for kid, n, until in (await session.execute(query)).all()}


_HELD_SQL = (
    f"SELECT {', '.join(cards.c.keys())} FROM cards WHERE person_key = $1 AND status IN "
    f"({', '.join(repr(st.value) for st in sorted(HELD_STATUSES))})"
)
_HELD_SQL_FOR_UPDATE = _HELD_SQL + " FOR UPDATE"


class _Record:
    """Attribute access to an asyncpg record, as ``_card`` reads SQLAlchemy rows."""

    __slots__ = ("_record",)

    def __init__(self, record: Any) -> None:
        self._record = record

    def __getattr__(self, name: str) -> Any:
        return self._record[name]


async def held_card_of(
    session: AsyncSession, person_key: str, *, lock: bool = False
) -> Card | None:
    """The card a person holds, if any. Asked once per hire (and separation) a consumer
    handles: a statement asyncpg prepares once per connection."""
    # lock: serialises concurrent hires of one holder, so the card moves consistently
    driver = await driver_connection(session)
    row = await driver.fetchrow(_HELD_SQL_FOR_UPDATE if lock else _HELD_SQL, person_key)
    return _card(_Record(row)) if row is not None else None


_OFFER_STANDING_SQL = (
    "SELECT held.level, held.valid_until, ARRAY(SELECT o.level FROM card_offers o"
    " WHERE o.person_key = $1 AND o.status = 'open') AS open_levels"
    " FROM (SELECT 1) AS one LEFT JOIN LATERAL ("
    + _HELD_SQL.replace(
        f"SELECT {', '.join(cards.c.keys())} FROM", "SELECT level, valid_until FROM"
    )
    + " LIMIT 1) AS held ON true"
)


async def offer_standing(
    session: AsyncSession, person_key: str
) -> tuple[CardLevel | None, date | None, list[CardLevel]]:
    """What an offer to a person is measured against, in one round trip: the level and last
    day of the card they hold (None, None without one) and the levels of their open offers."""
    driver = await driver_connection(session)
    row = await driver.fetchrow(_OFFER_STANDING_SQL, person_key)
    level = CardLevel(row["level"]) if row["level"] is not None else None
    return level, row["valid_until"], [CardLevel(v) for v in row["open_levels"]]


async def move_card(session: AsyncSession, card: Card) -> None:
    """Store the card's current position (employer, city, since when)."""
    await session.execute(
        sa.update(cards)
        .where(cards.c.id == card.id)
        .values(
            employer_uscc=card.position.employer_uscc,
            city_code=card.position.city_code,
            industry_code=card.position.industry_code,
            position_since=card.position_since,
        )
    )


async def flows_of_card(session: AsyncSession, card_id: uuid.UUID) -> list[TalentFlow]:
    query = (
        sa.select(talent_flows)
        .where(talent_flows.c.card_id == card_id)
        .order_by(talent_flows.c.flowed_on, talent_flows.c.recorded_at)
    )
    return [_flow(row) for row in (await session.execute(query)).all()]


async def add_flow(session: AsyncSession, flow: TalentFlow, *, level: str | None = None) -> bool:
    """Insert; False if this hire already recorded a flow (the natural key backs up the inbox)."""
    row = await session.execute(
        insert(talent_flows)
        .values(
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
            from_industry_code=flow.origin.industry_code,
            to_industry_code=flow.destination.industry_code,
            level=level,
        )
        .on_conflict_do_nothing(index_elements=[talent_flows.c.hire_id])
        .returning(talent_flows.c.id)
    )
    return row.first() is not None


async def list_flows(
    session: AsyncSession,
    *,
    viewer: Principal,
    card_id: uuid.UUID | None = None,
    hire_id: uuid.UUID | None = None,
    after: tuple[date, uuid.UUID] | None = None,
    limit: int,
) -> list[TalentFlow]:
    """Flows by the day they took effect, from just after the keyset position ``after``;
    those leaving or entering the viewer's district scope."""
    query = sa.select(talent_flows).where(
        sa.or_(
            district_clause(talent_flows.c.from_city_code, viewer),
            district_clause(talent_flows.c.to_city_code, viewer),
        )
    )
    if card_id is not None:
        query = query.where(talent_flows.c.card_id == card_id)
    if hire_id is not None:
        query = query.where(talent_flows.c.hire_id == hire_id)
    if after is not None:
        query = query.where(
            sa.tuple_(talent_flows.c.flowed_on, talent_flows.c.id) > sa.tuple_(*after)
        )
    query = query.order_by(talent_flows.c.flowed_on, talent_flows.c.id).limit(limit)
    return [_flow(row) for row in (await session.execute(query)).all()]


def _card(row: Any) -> Card:
    return Card(
        id=row.id,
        person_key=row.person_key,
        masked_resident_id=row.resident_id_masked,
        level=CardLevel(row.level),
        status=CardStatus(row.status),
        issued_position=Position(row.issued_employer_uscc, row.issued_city_code),
        position=Position(row.employer_uscc, row.city_code, row.industry_code),
        position_since=row.position_since,
        issued_at=row.issued_at,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        status_index=row.status_index,
        holder_subject=row.holder_subject,
        owner_subject=row.owner_subject,
        version=row.version,
        criteria_version=row.criteria_version,
        proactive=row.proactive,
    )


def _flow(row: Any) -> TalentFlow:
    return TalentFlow(
        id=row.id,
        card_id=row.card_id,
        person_key=row.person_key,
        hire_id=row.hire_id,
        origin=Position(row.from_uscc, row.from_city_code, row.from_industry_code),
        destination=Position(row.to_uscc, row.to_city_code, row.to_industry_code),
        flowed_on=row.flowed_on,
        recorded_at=row.recorded_at,
    )


# --- employment history --------------------------------------------------------------------


async def record_employment_start(
    session: AsyncSession,
    *,
    hire_id: uuid.UUID,
    card_id: uuid.UUID,
    employer_uscc: str,
    city_code: str,
    industry_code: str | None,
    job_kind: str,
    started_on: date,
) -> None:
    values = dict(
        card_id=card_id,
        employer_uscc=employer_uscc,
        city_code=city_code,
        industry_code=industry_code,
        job_kind=job_kind,
        started_on=started_on,
    )
    await session.execute(
        insert(card_employments)
        .values(hire_id=hire_id, **values)
        .on_conflict_do_update(index_elements=[card_employments.c.hire_id], set_=values)
    )


async def record_employment_end(
    session: AsyncSession,
    *,
    hire_id: uuid.UUID,
    card_id: uuid.UUID,
    employer_uscc: str,
    city_code: str,
    industry_code: str | None,
    job_kind: str,
    ended_on: date,
) -> None:
    await session.execute(
        insert(card_employments)
        .values(
            hire_id=hire_id,
            card_id=card_id,
            employer_uscc=employer_uscc,
            city_code=city_code,
            industry_code=industry_code,
            job_kind=job_kind,
            ended_on=ended_on,
        )
        .on_conflict_do_update(
            index_elements=[card_employments.c.hire_id], set_={"ended_on": ended_on}
        )
    )


async def employments_of_card(session: AsyncSession, card_id: uuid.UUID) -> list[dict[str, Any]]:
    query = (
        sa.select(card_employments)
        .where(card_employments.c.card_id == card_id)
        .order_by(card_employments.c.started_on.nulls_last(), card_employments.c.hire_id)
    )
    return [dict(row._mapping) for row in (await session.execute(query)).all()]


# --- offers (政策找人) ------------------------------------------------------------------------


_OFFER_COLUMNS = (
    "id",
    "person_key",
    "source_key",
    "source_event_id",
    "level",
    "criteria_version",
    "evidence",
    "city_code",
    "employer_uscc",
    "industry_code",
    "status",
    "offered_at",
)
_ADD_OFFER_SQL = (
    f"INSERT INTO card_offers ({', '.join(_OFFER_COLUMNS)}) VALUES ("
    + ", ".join(
        f"${i}::jsonb" if c == "evidence" else f"${i}" for i, c in enumerate(_OFFER_COLUMNS, 1)
    )
    + ") ON CONFLICT (source_key) DO NOTHING RETURNING id"
)


async def add_offer(session: AsyncSession, **values: Any) -> bool:
    """Insert; False if the qualifying event already made an offer."""
    unknown = set(values) - set(_OFFER_COLUMNS)
    if unknown:
        raise TypeError(f"not columns of card_offers: {sorted(unknown)}")
    driver = await driver_connection(session)
    args = [values.get(c) for c in _OFFER_COLUMNS]
    args[_OFFER_COLUMNS.index("evidence")] = json.dumps(values["evidence"])
    return await driver.fetchval(_ADD_OFFER_SQL, *args) is not None


async def open_offer_levels(session: AsyncSession, person_key: str) -> list[CardLevel]:
    query = sa.select(card_offers.c.level).where(
        card_offers.c.person_key == person_key, card_offers.c.status == "open"
    )
    return [CardLevel(v) for v in (await session.execute(query)).scalars()]


async def get_offer(session: AsyncSession, offer_id: uuid.UUID, *, lock: bool = False):
    query = sa.select(card_offers).where(card_offers.c.id == offer_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def offers_of(
    session: AsyncSession, person_key: str, *, viewer: Principal | None = None
) -> list[Any]:
    """A person's offers; with ``viewer``, only those in the viewer's district scope."""
    query = (
        sa.select(card_offers)
        .where(card_offers.c.person_key == person_key)
        .order_by(card_offers.c.offered_at)
    )
    if viewer is not None:
        query = query.where(district_clause(card_offers.c.city_code, viewer))
    return list((await session.execute(query)).all())


async def list_offers(
    session: AsyncSession,
    *,
    viewer: Principal,
    status: str | None,
    after: uuid.UUID | None,
    limit: int,
) -> list[Any]:
    """Offers in the viewer's district scope (by the city of the qualifying event)."""
    query = sa.select(card_offers).where(district_clause(card_offers.c.city_code, viewer))
    if status is not None:
        query = query.where(card_offers.c.status == status)
    if after is not None:
        query = query.where(card_offers.c.id > after)
    return list((await session.execute(query.order_by(card_offers.c.id).limit(limit))).all())


async def decide_offer(
    session: AsyncSession, offer_id: uuid.UUID, *, status: str, card_id: uuid.UUID | None, at
) -> None:
    await session.execute(
        sa.update(card_offers)
        .where(card_offers.c.id == offer_id)
        .values(status=status, card_id=card_id, decided_at=at)
    )


# --- applications --------------------------------------------------------------------------


async def add_application(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(card_applications).values(**values))


async def get_application(session: AsyncSession, application_id: uuid.UUID, *, lock: bool = False):
    query = sa.select(card_applications).where(card_applications.c.id == application_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def list_applications(
    session: AsyncSession,
    *,
    viewer: Principal,
    status: str | None,
    after: uuid.UUID | None,
    limit: int,
) -> list[Any]:
    """Applications in the viewer's district scope (by the city applied in)."""
    query = sa.select(card_applications).where(
        district_clause(card_applications.c.city_code, viewer)
    )
    if status is not None:
        query = query.where(card_applications.c.status == status)
    if after is not None:
        query = query.where(card_applications.c.id > after)
    return list((await session.execute(query.order_by(card_applications.c.id).limit(limit))).all())


async def review_application(session: AsyncSession, application_id: uuid.UUID, **values) -> None:
    await session.execute(
        sa.update(card_applications)
        .where(card_applications.c.id == application_id)
        .values(**values)
    )


# --- entitlement uses ----------------------------------------------------------------------


async def count_uses(
    session: AsyncSession, card_id: uuid.UUID, entitlement_code: str, since: date
) -> int:
    query = sa.select(sa.func.count()).where(
        entitlement_uses.c.card_id == card_id,
        entitlement_uses.c.entitlement_code == entitlement_code,
        entitlement_uses.c.used_on >= since,
    )
    return int((await session.execute(query)).scalar_one())


async def use_by_reference(session: AsyncSession, partner_uscc: str, reference: str):
    query = sa.select(entitlement_uses).where(
        entitlement_uses.c.partner_uscc == partner_uscc,
        entitlement_uses.c.reference == reference,
    )
    return (await session.execute(query)).first()


async def add_use(session: AsyncSession, **values: Any) -> bool:
    row = await session.execute(
        insert(entitlement_uses)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_entitlement_uses_reference")
        .returning(entitlement_uses.c.id)
    )
    return row.first() is not None


async def list_uses(
    session: AsyncSession,
    *,
    card_ids: list[uuid.UUID] | None = None,
    partner_uscc: str | None = None,
    viewer: Principal | None = None,
    after: uuid.UUID | None,
    limit: int,
) -> list[Any]:
    """Uses, optionally of some cards, of one partner, or of cards (by the city the holder
    works in) in the viewer's district scope."""
    query = sa.select(entitlement_uses)
    if viewer is not None and viewer.district_scope() is not None:
        in_scope = sa.select(cards.c.id).where(district_clause(cards.c.city_code, viewer))
        query = query.where(entitlement_uses.c.card_id.in_(in_scope))
    if card_ids is not None:
        query = query.where(entitlement_uses.c.card_id.in_(card_ids))
    if partner_uscc is not None:
        query = query.where(entitlement_uses.c.partner_uscc == partner_uscc)
    if after is not None:
        query = query.where(entitlement_uses.c.id > after)
    return list((await session.execute(query.order_by(entitlement_uses.c.id).limit(limit))).all())
