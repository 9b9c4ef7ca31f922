"""Talent-card handlers: one function per command or event; the only place that changes state."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.auth import Principal, Role
from suxin_common.db import UnitOfWork
from suxin_common.privacy import PersonalData
from suxin_common.security import audit
from suxin_common.web import Conflict, NotFound, Unprocessable
from talent_card import contracts, criteria
from talent_card.adapters import repository as repo
from talent_card.credential import (
    CHINA,
    PURPOSES,
    STATUS_LIST_SIZE,
    CredentialError,
    Issuer,
    card_claims,
    new_holder_subject,
    status_list_claims,
)
from talent_card.domain import commands
from talent_card.domain.eligibility import (
    Attributes,
    Decision,
    better,
    decide,
    hire_may_bring_offer,
    in_force,
)
from talent_card.domain.entitlements import Refusal, check_use
from talent_card.domain.model import (
    Card,
    CardLevel,
    CardStatus,
    Position,
    add_years,
    change_status,
    end_employment,
    follow_hire,
)

RESIDENT_ID_AAD = "talent_card.cards.resident_id"
APPLICATION_RESIDENT_ID_AAD = "talent_card.card_applications.resident_id"
CARD_ID_PREFIX = "urn:uuid:"

# Access audit (security.audit): the actions this service records, inside the transaction of
# the read or decision. Details hold codes (levels, rules, ids, entitlement codes), never a
# resident ID, a name or a free-text reason.
ISSUE_CARD = "issue_card"
STATUS_ACTIONS = {
    CardStatus.SUSPENDED: "suspend_card",
    CardStatus.ACTIVE: "reinstate_card",
    CardStatus.REVOKED: "revoke_card",
}
REVIEW_APPLICATION = "review_card_application"
OFFER_CARD = "offer_card"
USE_ENTITLEMENT = "use_entitlement"
REFUSE_ENTITLEMENT_USE = "refuse_entitlement_use"
# Who decided when no caller did: the service itself (an expiry) or its event consumers.
SYSTEM = "system:talent-card"
CONSUMER = "consumer:talent-card"

Actor = Principal | str


async def _audit(
    uow: UnitOfWork,
    by: Actor,
    *,
    action: str,
    object_type: str,
    object_id: Any,
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    principal, actor = (None, by) if isinstance(by, str) else (by, None)
    await audit.record(
        uow,
        principal,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        purpose=purpose,
        details=details,
    )


def _rules(evidence: list[dict[str, Any]]) -> list[str]:
    return [str(e.get("rule")) for e in evidence]


def today_in_china(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(CHINA).date()


# --- issuing -------------------------------------------------------------------------------


async def _issue(
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
    await _audit(
        uow,
        by,
        action=ISSUE_CARD,
        object_type="card",
        object_id=card.id,
        purpose="card issuance",
        details={
            "level": card.level.value,
            "criteria_version": criteria_version,
            "rules": _rules(evidence),
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


async def _make_room(uow: UnitOfWork, person_key: str, level: CardLevel, by: Actor) -> None:
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
        card = await _issue(
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
        await _audit(
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
            slug="forbidden-transition",
            extra={"card_status": card.status.value},
        )
    await repo.set_status(uow.session, changed, reason)
    uow.publish(contracts.card_status_changed(changed, reason, datetime.now(UTC)), key=str(card.id))
    await _audit(
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


# --- applications with review ---------------------------------------------------------------


async def submit_application(
    uow: UnitOfWork, cmd: commands.SubmitApplication, pii: PersonalData
) -> dict[str, Any]:
    """An application (申请): the criteria in force propose a level; staff review it."""
    protected = pii.protect(cmd.resident_id, APPLICATION_RESIDENT_ID_AAD)
    decision = decide(in_force(criteria.all_versions(), cmd.on or today_in_china()), cmd.attributes)
    values = {
        "id": uuid.uuid4(),
        "person_key": protected.person_key,
        "resident_id_encrypted": protected.ciphertext,
        "resident_id_masked": protected.masked,
        "owner_subject": cmd.owner_subject,
        "attributes": _jsonable(cmd.attributes),
        "documents": [dict(d) for d in cmd.documents],
        "city_code": cmd.city_code,
        "employer_uscc": cmd.employer_uscc,
        "proposed_level": decision.level.value if decision.level else None,
        "criteria_version": decision.criteria_version,
        "evidence": [e.as_dict() for e in decision.evidence],
        "status": "pending",
        "submitted_at": datetime.now(UTC),
    }
    async with uow:
        await repo.add_application(uow.session, **values)
        await uow.commit()
    return values


async def review_application(
    uow: UnitOfWork,
    cmd: commands.ReviewApplication,
    pii: PersonalData,
    issuer: Issuer,
    *,
    by: Actor = SYSTEM,
) -> dict[str, Any]:
    """Approve (issuing the card at the proposed level) or reject a pending application.
    A staff member outside the application's district gets 404, as if it did not exist."""
    async with uow:
        app = await repo.get_application(uow.session, cmd.application_id, lock=True)
        if app is None or (isinstance(by, Principal) and not by.sees_district(app.city_code)):
            raise NotFound(f"application {cmd.application_id} does not exist")
        if app.status != "pending":
            raise Conflict(f"the application is already {app.status}", slug="forbidden-transition")
        card_id = None
        if cmd.approve:
            if app.proposed_level is None:
                raise Conflict(
                    "the criteria give this application no level; reject it",
                    slug="not-eligible",
                )
            level = CardLevel(app.proposed_level)
            await _make_room(uow, app.person_key, level, by)
            number = pii.reveal(app.resident_id_encrypted, APPLICATION_RESIDENT_ID_AAD)
            protected = pii.protect(number, RESIDENT_ID_AAD)
            card = await _issue(
                uow,
                issuer,
                person_key=app.person_key,
                ciphertext=protected.ciphertext,
                masked=protected.masked,
                level=level,
                position=Position(app.employer_uscc, app.city_code),
                owner_subject=app.owner_subject,
                criteria_version=app.criteria_version,
                validity_years=criteria.version(app.criteria_version).validity_years[level],
                evidence=list(app.evidence),
                proactive=False,
                by=by,
                source={"source": "application", "application_id": str(app.id)},
            )
            if card is None:  # a concurrent issue won the one-card-per-person race
                raise Conflict("this person already holds a talent card")
            card_id = card.id
        values = {
            "status": "approved" if cmd.approve else "rejected",
            "reviewed_at": datetime.now(UTC),
            "reviewer": cmd.reviewer,
            "review_note": cmd.note,
            "card_id": card_id,
        }
        await repo.review_application(uow.session, cmd.application_id, **values)
        await _audit(
            uow,
            by,
            action=REVIEW_APPLICATION,
            object_type="card_application",
            object_id=app.id,
            purpose="application review",
            details={
                "decision": values["status"],
                "proposed_level": app.proposed_level,
                "criteria_version": app.criteria_version,
                "rules": _rules(list(app.evidence)),
                "card_id": str(card_id) if card_id else None,
            },
        )
        await uow.commit()
    return dict(app._mapping) | values


async def _audit_application_read(uow: UnitOfWork, by: Actor, app: Any, purpose: str) -> None:
    await _audit(
        uow,
        by,
        action=audit.READ_PERSONAL_DATA,
        object_type="card_application",
        object_id=app.id,
        purpose=purpose,
        details={
            "status": app.status,
            "proposed_level": app.proposed_level,
            "criteria_version": app.criteria_version,
            "rules": _rules(list(app.evidence)),
            "documents": len(app.documents),
        },
    )


async def view_application(uow: UnitOfWork, application_id: uuid.UUID, viewer: Principal):
    """One application, for its owner or for staff of its district (404 for anyone else).
    A staff read (attributes, evidence and documents of a person) is audited."""
    async with uow:
        app = await repo.get_application(uow.session, application_id)
        own = app is not None and app.owner_subject == viewer.subject
        staff = (
            app is not None
            and viewer.has_role(Role.HRSS_STAFF)
            and viewer.sees_district(app.city_code)
        )
        if app is None or not (own or staff):
            raise NotFound(f"application {application_id} does not exist")
        if not own:
            await _audit_application_read(uow, viewer, app, "application review")
            await uow.commit()
    return app


async def view_applications(
    uow: UnitOfWork,
    viewer: Principal,
    *,
    status: str | None,
    after: uuid.UUID | None,
    limit: int,
) -> list[Any]:
    """A page of the applications in the staff member's district; each one shown is audited
    (``limit`` rows are shown, one more is read to tell whether a next page exists)."""
    async with uow:
        rows = await repo.list_applications(
            uow.session, viewer=viewer, status=status, after=after, limit=limit + 1
        )
        for app in rows[:limit]:
            await _audit_application_read(uow, viewer, app, "application list")
        await uow.commit()
    return rows


async def lookup_offers(uow: UnitOfWork, resident_id: str, viewer: Principal, pii: PersonalData):
    """The offers made to the person with this resident ID (staff: those of their district).
    The lookup is audited, whatever it finds."""
    person_key = pii.person_key(resident_id)
    staff = viewer.has_role(Role.HRSS_STAFF)
    async with uow:
        rows = await repo.offers_of(uow.session, person_key, viewer=viewer if staff else None)
        await _audit(
            uow,
            viewer,
            action=audit.READ_PERSONAL_DATA,
            object_type="person",
            object_id=person_key,
            purpose="card offer lookup by resident ID",
            details={
                "offer_ids": [str(r.id) for r in rows],
                "levels": [r.level for r in rows],
                "statuses": [r.status for r in rows],
            },
        )
        await uow.commit()
    return rows


async def audit_card_read(uow: UnitOfWork, card: Card, viewer: Principal, purpose: str) -> None:
    """Audit a staff read of a holder's card (its record, or its credential, which works at
    any partner like the card itself)."""
    async with uow:
        await _audit(
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
        await _audit(
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
        await _audit(
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
    decision = decide(
        in_force(criteria.all_versions(), certified.certified_on), certified.attributes
    )
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
    in_effect = in_force(criteria.all_versions(), hire.start_date)
    attributes: Attributes = recorded.attributes  # type: ignore[assignment]
    if not hire_may_bring_offer(in_effect, attributes):
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
        raise Conflict(f"the offer is already {offer.status}", slug="forbidden-transition")
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
        await _make_room(uow, offer.person_key, level, by)
        card = await _issue(
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


# --- entitlements ---------------------------------------------------------------------------


async def record_entitlement_use(
    uow: UnitOfWork, cmd: commands.RecordEntitlementUse, issuer: Issuer, *, by: Actor = SYSTEM
) -> tuple[dict[str, Any], bool]:
    """A partner records a use (权益使用) of a card it verified; returns the use and whether it
    is new (a retry with the same reference returns the first). Uses and refusals of a known
    card are audited."""
    entitlement = criteria.entitlement_catalogue().get(cmd.entitlement)
    if entitlement is None:
        raise Unprocessable(f"no entitlement {cmd.entitlement!r}", field="entitlement")
    try:
        claims = issuer.keys.verify(cmd.credential, issuer=issuer.issuer)
        card_id = uuid.UUID(str(claims["jti"]).removeprefix(CARD_ID_PREFIX))
    except (CredentialError, ValueError) as exc:
        raise Unprocessable(str(exc), field="credential", slug="invalid-credential") from None
    async with uow:
        earlier = await repo.use_by_reference(uow.session, cmd.partner_uscc, cmd.reference)
        if earlier is not None:
            if (earlier.card_id, earlier.entitlement_code) != (card_id, entitlement.code):
                raise Conflict("this reference was used for another use")
            return dict(earlier._mapping), False
        # The lock serialises concurrent uses of one card, so the limit cannot be overrun.
        card = await repo.get_card(uow.session, card_id, lock=True)
        if card is None or card.holder_subject != claims.get("sub"):
            raise Unprocessable(
                "the card is unknown", field="credential", slug="invalid-credential"
            )
        now = datetime.now(UTC)
        today = today_in_china(now)
        decision = {
            "card_id": str(card.id),
            "entitlement": entitlement.code,
            "level": card.level.value,
            "partner_uscc": cmd.partner_uscc,
            "reference": cmd.reference,
        }

        async def refuse(code: str, error: Exception, **more: Any) -> Exception:
            # The refusal is a decision too: audited (and committed) before it is answered.
            await _audit(
                uow,
                by,
                action=REFUSE_ENTITLEMENT_USE,
                object_type="card",
                object_id=card.id,
                purpose="entitlement use",
                details=decision | {"refusal": code} | more,
            )
            await uow.commit()
            return error

        if not card.usable_on(today):
            raise await refuse(
                "card-not-usable",
                Conflict(
                    "the card is not usable: it is suspended, revoked or outside its validity",
                    slug="card-not-usable",
                    extra={"card_status": card.status.value},
                ),
                card_status=card.status.value,
            )
        since = entitlement.period_start(today, card.valid_from)
        used = await repo.count_uses(uow.session, card.id, entitlement.code, since)
        refusal = check_use(entitlement, card.level, used)
        if refusal is Refusal.NOT_COVERED:
            raise await refuse(
                "entitlement-not-covered",
                Unprocessable(
                    f"a level {card.level} card does not include {entitlement.code}",
                    field="entitlement",
                    slug="entitlement-not-covered",
                ),
            )
        if refusal is Refusal.LIMIT_REACHED:
            raise await refuse(
                "entitlement-limit-reached",
                Conflict(
                    f"{entitlement.code} is used up for this {entitlement.period.value}",
                    slug="entitlement-limit-reached",
                    extra={
                        "limit": entitlement.limit,
                        "period": entitlement.period.value,
                        "period_start": since.isoformat(),
                        "used": used,
                    },
                ),
                limit=entitlement.limit,
                period=entitlement.period.value,
                used=used,
            )
        values = {
            "id": uuid.uuid4(),
            "card_id": card.id,
            "entitlement_code": entitlement.code,
            "partner_uscc": cmd.partner_uscc,
            "partner_subject": cmd.partner_subject,
            "reference": cmd.reference,
            "used_on": today,
            "used_at": now,
        }
        if not await repo.add_use(uow.session, **values):
            raise Conflict("this reference is being recorded concurrently; retry")
        await _audit(
            uow,
            by,
            action=USE_ENTITLEMENT,
            object_type="entitlement_use",
            object_id=values["id"],
            purpose="entitlement use",
            details=decision
            | {
                "used_on": today.isoformat(),
                "limit": entitlement.limit,
                "period": entitlement.period.value,
                "used_before": used,
            },
        )
        await uow.commit()
    return values, True


# --- talent flow ----------------------------------------------------------------------------


async def record_talent_flow(uow: UnitOfWork, recorded: contracts.RecordedHire) -> None:
    """A card holder's full-time hire moves the card to the new employer and city: a talent
    flow. Every job of a holder (gig included) goes into their employment history.

    A person without a card is none of this service's business. Runs inside the consumer's
    unit of work, which commits (with the inbox row) and acks.
    """
    hire = recorded.hire
    card = await repo.held_card_of(uow.session, hire.person_key, lock=True)
    if card is None:
        return
    await repo.record_employment_start(
        uow.session,
        hire_id=hire.hire_id,
        card_id=card.id,
        employer_uscc=hire.enterprise_uscc,
        city_code=hire.city_code,
        industry_code=hire.industry_code,
        job_kind=recorded.job_kind,
        started_on=hire.start_date,
    )
    history = await repo.flows_of_card(uow.session, card.id)
    outcome = follow_hire(card, history, hire, flow_id=uuid.uuid4(), recorded_at=datetime.now(UTC))
    if outcome.flow is None or not await repo.add_flow(
        uow.session, outcome.flow, level=card.level.value
    ):
        return
    if outcome.card != card:
        await repo.move_card(uow.session, outcome.card)
    uow.publish(contracts.talent_flow_recorded(outcome.flow, card.level), key=str(card.id))


async def record_employment_end(uow: UnitOfWork, end: contracts.EmploymentEnd) -> None:
    """A holder left a job: into the history; if it was the card's current employer, the card
    has no employer until the next full-time hire."""
    card = await repo.held_card_of(uow.session, end.person_key, lock=True)
    if card is None:
        return
    await repo.record_employment_end(
        uow.session,
        hire_id=end.hire_id,
        card_id=card.id,
        employer_uscc=end.enterprise_uscc,
        city_code=end.city_code,
        industry_code=end.industry_code,
        job_kind=end.job_kind,
        ended_on=end.end_date,
    )
    if not end.moves_holder:
        return
    after = end_employment(card, end.enterprise_uscc, end.end_date)
    if after != card:
        await repo.move_card(uow.session, after)


def _jsonable(attributes: Any) -> dict[str, Any]:
    return {
        k: sorted(v) if isinstance(v, frozenset | set | list | tuple) else v
        for k, v in dict(attributes).items()
    }
