"""政策找人: offers of a card on qualifying events, accepted or declined by the person."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, NotFound
from suxin_common.privacy import PersonalData
from talent_card import contracts, criteria
from talent_card.adapters import repository as repo
from talent_card.credential import (
    Issuer,
)
from talent_card.domain import commands
from talent_card.domain.eligibility import (
    Attributes,
    Decision,
    better,
    decide,
    hire_may_bring_offer,
    in_force_or_none,
)
from talent_card.domain.model import (
    Card,
    CardLevel,
    Position,
)
from talent_card.handlers.cards import issue, make_room
from talent_card.handlers.common import (
    CONSUMER,
    OFFER_CARD,
    RESIDENT_ID_AAD,
    SYSTEM,
    Actor,
    audit_entry,
    today_in_china,
)

# --- 政策找人: offers on qualifying events ----------------------------------------------------


async def _offer(
    uow: UnitOfWork,
    *,
    person_key: str,
    decision: Decision,
    source_key: str,
    source_event_id: str,
    city_code: str,
    employer_uscc: str | None = None,
    industry_code: str | None = None,
) -> None:
    level = decision.level
    if level is None:
        return
    held_level, held_until, open_levels = await repo.offer_standing(uow.session, person_key)
    if held_until is not None and today_in_china() > held_until:
        held_level = None  # an expired card (Card.expired_on) is no reason not to offer anew
    if held_level is not None and not better(level, held_level):
        return
    if any(not better(level, lv) for lv in open_levels):
        return
    offer_id = uuid.uuid4()
    added = await repo.add_offer(
        uow.session,
        id=offer_id,
        person_key=person_key,
        source_key=source_key,
        source_event_id=source_event_id,
        level=level.value,
        criteria_version=decision.criteria_version,
        evidence=[e.as_dict() | {"source": source_key} for e in decision.evidence],
        city_code=city_code,
        employer_uscc=employer_uscc,
        industry_code=industry_code,
        status="open",
        offered_at=datetime.now(UTC),
    )
    if added:
        await audit_entry(
            uow,
            CONSUMER,
            action=OFFER_CARD,
            object_type="card_offer",
            object_id=offer_id,
            purpose="政策找人: offer on a qualifying event",
            details={
                "level": level.value,
                "criteria_version": decision.criteria_version,
                "rules": [e.rule for e in decision.evidence],
                "source_key": source_key,
                "source_event_id": source_event_id,
                "city_code": city_code,
            },
        )


async def offer_card_on_certification(uow: UnitOfWork, certified: contracts.Certification) -> None:
    """A certificate (e.g. 高级技师) that qualifies its holder for a card brings an offer."""
    in_effect = in_force_or_none(criteria.all_versions(), certified.certified_on)
    if in_effect is None:  # certified before the first criteria: no offer, no retry loop
        return
    decision = decide(in_effect, certified.attributes)
    await _offer(
        uow,
        person_key=certified.person_key,
        decision=decision,
        source_key=f"training_certified:{certified.voucher_id}",
        source_event_id=certified.event_id,
        city_code=certified.city_code,
    )


async def offer_card_on_hire(uow: UnitOfWork, recorded: contracts.RecordedHire) -> None:
    """A hire into a key or 专精特新 enterprise at a qualifying title brings an offer."""
    hire = recorded.hire
    if not hire.moves_holder:  # a gig or part-time job is no 引才 into the enterprise
        return
    in_effect = in_force_or_none(criteria.all_versions(), hire.start_date)
    attributes: Attributes = recorded.attributes  # type: ignore[assignment]
    if in_effect is None or not hire_may_bring_offer(in_effect, attributes):
        return
    await _offer(
        uow,
        person_key=hire.person_key,
        decision=decide(in_effect, attributes),
        source_key=f"hire_recorded:{hire.hire_id}",
        source_event_id=recorded.event_id,
        city_code=hire.city_code,
        employer_uscc=hire.enterprise_uscc,
        industry_code=hire.industry_code,
    )


async def _offer_of(uow: UnitOfWork, offer_id: uuid.UUID, person_key: str):
    offer = await repo.get_offer(uow.session, offer_id, lock=True)
    # Someone else's offer is as good as none: 404, not 403.
    if offer is None or offer.person_key != person_key:
        raise NotFound(f"offer {offer_id} does not exist")
    if offer.status != "open":
        raise Conflict(f"the offer is already {offer.status}", code="forbidden-transition")
    return offer


async def accept_offer(
    uow: UnitOfWork,
    cmd: commands.AcceptOffer,
    pii: PersonalData,
    issuer: Issuer,
    *,
    by: Actor = SYSTEM,
) -> Card:
    """The person takes up an offer and gets the card (no application, no review)."""
    protected = pii.protect(cmd.resident_id, RESIDENT_ID_AAD)
    async with uow:
        offer = await _offer_of(uow, cmd.offer_id, protected.person_key)
        level = CardLevel(offer.level)
        await make_room(uow, offer.person_key, level, by)
        card = await issue(
            uow,
            issuer,
            person_key=offer.person_key,
            ciphertext=protected.ciphertext,
            masked=protected.masked,
            level=level,
            position=Position(
                cmd.employer_uscc or offer.employer_uscc, offer.city_code, offer.industry_code
            ),
            owner_subject=cmd.owner_subject,
            criteria_version=offer.criteria_version,
            validity_years=criteria.version(offer.criteria_version).validity_years[level],
            evidence=list(offer.evidence),
            proactive=True,
            by=by,
            source={"source": "offer", "offer_id": str(offer.id)},
        )
        if card is None:
            raise Conflict("this person already holds a talent card")
        await repo.decide_offer(
            uow.session, offer.id, status="accepted", card_id=card.id, at=datetime.now(UTC)
        )
        await uow.commit()
    return card


async def decline_offer(uow: UnitOfWork, cmd: commands.DeclineOffer, pii: PersonalData) -> None:
    person_key = pii.person_key(cmd.resident_id)
    async with uow:
        offer = await _offer_of(uow, cmd.offer_id, person_key)
        await repo.decide_offer(
            uow.session, offer.id, status="declined", card_id=None, at=datetime.now(UTC)
        )
        await uow.commit()
