"""Cards: issuing (and claiming) a card, its status (suspension, reinstatement, revocation),
the status lists, and the audited reads of a card and its employments."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.auth import Principal
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, NotFound
from suxin_common.privacy import PersonalData
from suxin_common.security import audit
from talent_card import contracts, criteria
from talent_card.adapters import repository as repo
from talent_card.credential import (
    PURPOSES,
    STATUS_LIST_SIZE,
    Issuer,
    card_claims,
    new_holder_subject,
    status_list_claims,
)
from talent_card.domain import commands
from talent_card.domain.eligibility import (
    better,
    in_force,
)
from talent_card.domain.model import (
    Card,
    CardLevel,
    CardStatus,
    Position,
    add_years,
    change_status,
)
from talent_card.handlers.common import (
    ISSUE_CARD,
    RESIDENT_ID_AAD,
    STATUS_ACTIONS,
    SYSTEM,
    Actor,
    audit_entry,
    rule_names,
    today_in_china,
)

# --- issuing -------------------------------------------------------------------------------


async def issue(
    uow: UnitOfWork,
    issuer: Issuer,
    *,
    person_key: str,
    ciphertext: str,
    masked: str,
    level: CardLevel,
    position: Position,
    owner_subject: str | None,
    criteria_version: str,
    validity_years: int,
    evidence: list[dict[str, Any]],
    proactive: bool,
    by: Actor,
    source: dict[str, str],
) -> Card | None:
    """Sign and store a card, announce it and audit the issuance; None if the person already
    holds one. ``source`` says what the issuance decided on (e.g. ``{"application_id": …}``)."""
    now = datetime.now(UTC)
    valid_from = today_in_china(now)
    card = Card(
        id=uuid.uuid4(),
        person_key=person_key,
        masked_resident_id=masked,
        level=level,
        status=CardStatus.ACTIVE,
        issued_position=position,
        position=position,
        position_since=None,
        issued_at=now,
        valid_from=valid_from,
        valid_until=add_years(valid_from, validity_years) - timedelta(days=1),
        status_index=await repo.next_status_index(uow.session),
        holder_subject=new_holder_subject(),
        owner_subject=owner_subject,
        criteria_version=criteria_version,
        proactive=proactive,
    )
    assert card.valid_until is not None and card.status_index is not None
    token = issuer.keys.sign(
        card_claims(
            card_id=str(card.id),
            level=card.level.value,
            holder_subject=card.holder_subject or "",
            valid_from=valid_from,
            valid_until=card.valid_until,
            status_index=card.status_index,
            issuer=issuer.issuer,
            base_url=issuer.base_url,
            issued_at=now,
        )
    )
    added = await repo.add_card(
        uow.session,
        card,
        resident_id_encrypted=ciphertext,
        signing_kid=issuer.keys.active.kid,
        credential=token,
        evidence=evidence,
    )
    if not added:
        return None
    uow.publish(contracts.card_issued(card), key=str(card.id))
    await audit_entry(
        uow,
        by,
        action=ISSUE_CARD,
        object_type="card",
        object_id=card.id,
        purpose="card issuance",
        details={
            "level": card.level.value,
            "criteria_version": criteria_version,
            "rules": rule_names(evidence),
            "proactive": proactive,
            "valid_from": valid_from.isoformat(),
            "valid_until": card.valid_until.isoformat(),
            "city_code": position.city_code,
            "signing_kid": issuer.keys.active.kid,
            "status_index": card.status_index,
        }
        | source,
    )
    return card


async def _current_card(uow: UnitOfWork, person_key: str) -> Card | None:
    """The card the person holds, locked; an expired one is retired (revoked) first, so that a
    renewed card can take its place."""
    held = await repo.held_card_of(uow.session, person_key, lock=True)
    if held is not None and held.expired_on(today_in_china()):
        await _set_status(
            uow, held, CardStatus.REVOKED, "expired; replaced by a renewed card", SYSTEM, "expired"
        )
        return None
    return held


async def make_room(uow: UnitOfWork, person_key: str, level: CardLevel, by: Actor) -> None:
    """Revoke the person's card of a lower level (a higher card replaces it); 409 if the card
    they hold is already at ``level`` or above."""
    held = await _current_card(uow, person_key)
    if held is None:
        return
    if not better(level, held.level):
        raise Conflict(
            "this person already holds a talent card at this level or above",
            extra={"card_id": str(held.id)},
        )
    await _set_status(
        uow, held, CardStatus.REVOKED, f"superseded by a level {level} card", by, "superseded"
    )


async def issue_card(
    uow: UnitOfWork,
    cmd: commands.IssueCard,
    pii: PersonalData,
    issuer: Issuer,
    *,
    by: Actor = SYSTEM,
) -> Card:
    """Issue a card (发卡) at a level staff decided, to a person who holds none."""
    protected = pii.protect(cmd.resident_id, RESIDENT_ID_AAD)
    in_effect = in_force(criteria.all_versions(), today_in_china())
    async with uow:
        await _current_card(uow, protected.person_key)
        card = await issue(
            uow,
            issuer,
            person_key=protected.person_key,
            ciphertext=protected.ciphertext,
            masked=protected.masked,
            level=cmd.level,
            position=Position(cmd.employer_uscc, cmd.city_code),
            owner_subject=cmd.owner_subject,
            criteria_version=in_effect.version,
            validity_years=in_effect.validity_years[cmd.level],
            evidence=[{"rule": "staff-decision", "level": cmd.level.value}],
            proactive=False,
            by=by,
            source={"source": "staff_decision"},
        )
        if card is None:
            held = await repo.held_card_of(uow.session, protected.person_key)
            raise Conflict(
                "this person already holds a talent card",
                extra={"card_id": str(held.id) if held else None},
            )
        await uow.commit()
    return card


async def claim_card(
    uow: UnitOfWork, resident_id: str, owner_subject: str, pii: PersonalData, *, by: Actor = SYSTEM
):
    """Bind the card a person holds to their account, proven by their resident ID (for cards
    staff issued without one). 404 if they hold none; 409 if another account has it.

    Every attempt is audited, refused ones too: a lookup by resident ID is a read of that
    person's data, whatever it finds."""
    person_key = pii.person_key(resident_id)
    async with uow:
        card = await repo.held_card_of(uow.session, person_key, lock=True)
        if card is None:
            outcome, error = "no_card", NotFound("this person holds no talent card")
        elif card.owner_subject not in (None, owner_subject):
            outcome = "bound_to_another_account"
            error = Conflict("the card is bound to another account; ask HRSS staff")
        else:
            outcome, error = ("already_bound" if card.owner_subject else "bound"), None
            await repo.set_owner(uow.session, card.id, owner_subject)
        await audit_entry(
            uow,
            by,
            action=audit.READ_PERSONAL_DATA,
            object_type="person",
            object_id=person_key,
            purpose="card claim by resident ID",
            details={"outcome": outcome, "card_id": str(card.id) if card else None},
        )
        await uow.commit()
        if error is not None:
            raise error
    assert card is not None
    return replace(card, owner_subject=owner_subject)


# --- status: suspension, reinstatement, revocation ------------------------------------------


async def _set_status(
    uow: UnitOfWork, card: Card, status: CardStatus, reason: str, by: Actor, cause: str
) -> Card:
    """Change a card's status, announce and audit it; 409 for a transition the rules forbid.
    ``cause`` is a code: staff_decision, superseded or expired (the reason is free text and
    stays out of the audit details)."""
    changed = change_status(card, status)
    if changed is None:
        raise Conflict(
            f"a {card.status} card cannot become {status}",
            code="forbidden-transition",
            extra={"card_status": card.status.value},
        )
    await repo.set_status(uow.session, changed, reason)
    uow.publish(contracts.card_status_changed(changed, reason, datetime.now(UTC)), key=str(card.id))
    await audit_entry(
        uow,
        by,
        action=STATUS_ACTIONS[status],
        object_type="card",
        object_id=card.id,
        purpose="card status decision",
        details={
            "from_status": card.status.value,
            "to_status": changed.status.value,
            "cause": cause,
            "level": card.level.value,
            "version": changed.version,
            "status_index": card.status_index,
        },
    )
    return changed


async def change_card_status(
    uow: UnitOfWork, cmd: commands.ChangeCardStatus, *, by: Actor = SYSTEM
) -> Card:
    """Suspend (暂停), reinstate or revoke (撤销) a card; the status lists show it at once.
    A staff member outside the card's district gets 404, as if it did not exist."""
    async with uow:
        card = await repo.get_card(uow.session, cmd.card_id, lock=True)
        if card is None or (
            isinstance(by, Principal) and not by.sees_district(card.position.city_code)
        ):
            raise NotFound(f"card {cmd.card_id} does not exist")
        changed = await _set_status(uow, card, cmd.status, cmd.reason, by, "staff_decision")
        await uow.commit()
    return changed


async def status_list(session: AsyncSession, issuer: Issuer, purpose: str, list_no: int) -> str:
    """The signed status list (W3C Bitstring Status List) of one purpose."""
    if purpose not in PURPOSES:
        raise NotFound(f"no {purpose!r} status list")
    status = CardStatus.REVOKED if purpose == "revocation" else CardStatus.SUSPENDED
    bits = await repo.status_bits(session, status, list_no * STATUS_LIST_SIZE, STATUS_LIST_SIZE)
    return issuer.keys.sign(
        status_list_claims(
            purpose=purpose,
            list_no=list_no,
            set_bits=bits,
            issuer=issuer.issuer,
            base_url=issuer.base_url,
            now=datetime.now(UTC),
            ttl_s=issuer.status_list_ttl_s,
        )
    )


async def audit_card_read(uow: UnitOfWork, card: Card, viewer: Principal, purpose: str) -> None:
    """Audit a staff read of a holder's card (its record, or its credential, which works at
    any partner like the card itself)."""
    async with uow:
        await audit_entry(
            uow,
            viewer,
            action=audit.READ_PERSONAL_DATA,
            object_type="card",
            object_id=card.id,
            purpose=purpose,
            details={"level": card.level.value, "status": card.status.value},
        )
        await uow.commit()


async def view_employments(uow: UnitOfWork, card: Card, viewer: Principal) -> list[dict]:
    """A holder's employer and city history, for staff (audited)."""
    async with uow:
        rows = await repo.employments_of_card(uow.session, card.id)
        await audit_entry(
            uow,
            viewer,
            action=audit.READ_PERSONAL_DATA,
            object_type="card",
            object_id=card.id,
            purpose="card holder employment history",
            details={"employments": len(rows), "hire_ids": [str(r["hire_id"]) for r in rows]},
        )
        await uow.commit()
    return rows
