"""Card applications with review, and the offers a person may look up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from suxin_common.auth import Principal, Role
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, NotFound
from suxin_common.privacy import PersonalData
from suxin_common.security import audit
from talent_card import criteria
from talent_card.adapters import repository as repo
from talent_card.credential import (
    Issuer,
)
from talent_card.domain import commands
from talent_card.domain.eligibility import (
    decide,
    in_force,
)
from talent_card.domain.model import (
    CardLevel,
    Position,
)
from talent_card.handlers.cards import issue, make_room
from talent_card.handlers.common import (
    APPLICATION_RESIDENT_ID_AAD,
    RESIDENT_ID_AAD,
    REVIEW_APPLICATION,
    SYSTEM,
    Actor,
    audit_entry,
    jsonable,
    rule_names,
    today_in_china,
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
        "attributes": jsonable(cmd.attributes),
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
            raise Conflict(f"the application is already {app.status}", code="forbidden-transition")
        card_id = None
        if cmd.approve:
            if app.proposed_level is None:
                raise Conflict(
                    "the criteria give this application no level; reject it",
                    code="not-eligible",
                )
            level = CardLevel(app.proposed_level)
            await make_room(uow, app.person_key, level, by)
            number = pii.reveal(app.resident_id_encrypted, APPLICATION_RESIDENT_ID_AAD)
            protected = pii.protect(number, RESIDENT_ID_AAD)
            card = await issue(
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
        await audit_entry(
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
                "rules": rule_names(list(app.evidence)),
                "card_id": str(card_id) if card_id else None,
            },
        )
        await uow.commit()
    return dict(app._mapping) | values


async def _audit_application_read(uow: UnitOfWork, by: Actor, app: Any, purpose: str) -> None:
    await audit_entry(
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
            "rules": rule_names(list(app.evidence)),
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
        await audit_entry(
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
