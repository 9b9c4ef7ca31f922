"""A hire moves a card only once it is real, and offers rest on verified facts.

A HireRecorded is only the enterprise's word: it is kept (``hire_claims``) until HireConfirmed
says the person confirmed it or 社保 shows it; then the card follows the hire (talent flow) and
the hire may bring an offer (政策找人). The criteria then see the person's professional title,
skill level and education as the authorities state them (FactVerified from 人社·职称,
职业技能等级认定 and 教育), never as the hire's profile declared them; a declared title or
skill level unlocks no card level.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from suxin_common import facts
from suxin_common.db import UnitOfWork
from suxin_common.facts import Fact, Source
from talent_card import contracts, handlers
from talent_card.adapters.tables import hire_claims
from talent_card.domain.model import Hire

# attribute -> (FactKind, the sources the criteria accept, the value's field)
VERIFIED_ATTRIBUTES: dict[str, tuple[str, frozenset[Source], str]] = {
    "professional_title": ("professional_title", frozenset({Source.PROFESSIONAL_TITLES}), "title"),
    "skill_level": ("skill_certificate", frozenset({Source.SKILLS}), "skill_level"),
    "education": ("education", frozenset({Source.EDUCATION}), "education"),
}
# The order of levels within an attribute, lowest first (the best certificate counts).
RANKS = {
    "professional_title": ("junior", "intermediate", "associate_senior", "senior"),
    "skill_level": (
        "junior_worker", "intermediate_worker", "senior_worker", "technician", "senior_technician",
    ),
    "education": (
        "junior_secondary_or_below", "senior_secondary", "vocational", "junior_college",
        "bachelor", "master", "doctorate",
    ),
}  # fmt: skip


def verified_attributes(declared: dict[str, Any], known: list[Fact]) -> dict[str, Any]:
    """The criteria's attributes with the person's title, skill level and education taken from
    the authorities' facts only (absent if no accepted source states one)."""
    out = {k: v for k, v in declared.items() if k not in VERIFIED_ATTRIBUTES}
    for attribute, (kind, sources, field) in VERIFIED_ATTRIBUTES.items():
        values = [
            f.value.get(field)
            for f in known
            if f.kind == kind and f.source in sources and not f.revoked and f.value.get(field)
        ]
        ranked = [v for v in values if v in RANKS[attribute]]
        if ranked:
            out[attribute] = max(ranked, key=RANKS[attribute].index)
    return out


def _to_json(r: contracts.RecordedHire) -> dict[str, Any]:
    h = r.hire
    return {
        "hire_id": str(h.hire_id),
        "person_key": h.person_key,
        "enterprise_uscc": h.enterprise_uscc,
        "city_code": h.city_code,
        "start_date": h.start_date.isoformat(),
        "industry_code": h.industry_code,
        "moves_holder": h.moves_holder,
        "job_kind": r.job_kind,
        "attributes": {k: sorted(v) if isinstance(v, frozenset) else v
                       for k, v in r.attributes.items()},
        "event_id": r.event_id,
    }  # fmt: skip


def _from_json(d: dict[str, Any]) -> contracts.RecordedHire:
    hire = Hire(
        hire_id=uuid.UUID(d["hire_id"]),
        person_key=d["person_key"],
        enterprise_uscc=d["enterprise_uscc"],
        city_code=d["city_code"],
        start_date=date.fromisoformat(d["start_date"]),
        industry_code=d["industry_code"],
        moves_holder=d["moves_holder"],
    )
    return contracts.RecordedHire(hire, d["job_kind"], dict(d["attributes"]), d["event_id"])


async def _apply(uow: UnitOfWork, recorded: contracts.RecordedHire) -> None:
    known = await facts.facts_about(uow.session, person_key=recorded.hire.person_key)
    verified = replace(recorded, attributes=verified_attributes(recorded.attributes, known))
    await handlers.record_talent_flow(uow, verified)
    await handlers.offer_card_on_hire(uow, verified)


async def hold_hire(uow: UnitOfWork, recorded: contracts.RecordedHire) -> None:
    """HireRecorded: keep the hire; if it is already confirmed, it takes effect now."""
    stmt = insert(hire_claims).values(hire_id=recorded.hire.hire_id, recorded=_to_json(recorded))
    row = (
        await uow.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["hire_id"],
                set_={"recorded": stmt.excluded.recorded, "applied": sa.true()},
                where=sa.and_(
                    hire_claims.c.recorded.is_(None), hire_claims.c.confirmed_by.isnot(None)
                ),
            ).returning(hire_claims.c.confirmed_by)
        )
    ).first()
    if row is not None and row.confirmed_by is not None:
        await _apply(uow, recorded)


async def on_hire_confirmed(uow: UnitOfWork, confirmed: contracts.HireConfirmation) -> None:
    """HireConfirmed: the hire is real; once it is recorded too, it takes effect (once)."""
    stmt = insert(hire_claims).values(hire_id=confirmed.hire_id, confirmed_by=confirmed.by)
    await uow.session.execute(stmt.on_conflict_do_nothing())
    row = (
        await uow.session.execute(
            sa.update(hire_claims)
            .where(
                hire_claims.c.hire_id == confirmed.hire_id,
                hire_claims.c.recorded.isnot(None),
                hire_claims.c.applied.is_(False),
            )
            .values(confirmed_by=confirmed.by, applied=True)
            .returning(hire_claims.c.recorded)
        )
    ).first()
    if row is not None:
        await _apply(uow, _from_json(row.recorded))


async def keep_fact(uow: UnitOfWork, fact: Fact) -> None:
    """FactVerified: keep the titles, skill levels and education the criteria decide on."""
    kinds = {kind for kind, _, _ in VERIFIED_ATTRIBUTES.values()}
    if fact.kind in kinds and fact.person_key:
        await facts.keep_fact(uow.session, fact, datetime.now(UTC))
