"""Handlers of the market itself: gig profiles, applications and invitations, 零工驿站.

Every change of an application is announced (GigApplicationChanged, in the same transaction);
the inboxes of the worker and the poster are built from it elsewhere.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

from gig_market import contracts
from gig_market.adapters import gig_work_store as store
from gig_market.adapters import repository as repo
from gig_market.domain.gig_work import (
    Actor,
    ApplicationStatus,
    GigApplication,
    GigProfile,
    GigRuleBroken,
    OpeningHours,
    Step,
    check_open_for_workers,
    check_opening_hours,
    next_status,
)
from gig_market.domain.model import Posting
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, NotFound, RuleViolation


def _conflict(exc: GigRuleBroken) -> Conflict:
    return Conflict(str(exc), code=exc.code)


async def save_profile(uow: UnitOfWork, person_key: str, values: dict) -> GigProfile:
    async with uow:
        profile = await store.save_profile(
            uow.session,
            values
            | {"person_key": person_key, "id": uuid.uuid4(), "updated_at": datetime.now(UTC)},
        )
        await uow.commit()
    return profile


def _announce(uow: UnitOfWork, a: GigApplication, posting: Posting) -> None:
    uow.publish(contracts.gig_application_changed(a, posting), key=str(a.posting_id))


async def _open_posting(uow: UnitOfWork, posting_id: uuid.UUID, today: date) -> Posting:
    posting = await repo.get_posting(uow.session, posting_id)
    if posting is None:
        raise NotFound(f"gig posting {posting_id} does not exist")
    try:
        check_open_for_workers(posting.status.value, posting.ends_on, today)
    except GigRuleBroken as exc:
        raise _conflict(exc) from exc
    return posting


async def _new_application(
    uow: UnitOfWork, posting: Posting, profile: GigProfile, *, invited: bool
) -> GigApplication:
    now = datetime.now(UTC)
    application = GigApplication(
        id=uuid.uuid4(),
        posting_id=posting.id,
        person_key=profile.person_key,
        profile_id=profile.id,
        invited=invited,
        status=ApplicationStatus.INVITED if invited else ApplicationStatus.APPLIED,
        version=1,
        created_at=now,
        updated_at=now,
    )
    if not await store.add_application(uow.session, application):
        existing = await store.application_of(uow.session, posting.id, profile.person_key)
        raise Conflict(
            "this worker already has an application for the posting",
            code="already-applied",
            extra={"application_id": str(existing.id) if existing else None},
        )
    _announce(uow, application, posting)
    return application


async def apply(
    uow: UnitOfWork, person_key: str, posting_id: uuid.UUID, *, today: date | None = None
) -> GigApplication:
    """The worker applies for an open posting (needs a gig profile: skills and place)."""
    async with uow:
        profile = await store.get_profile(uow.session, person_key)
        if profile is None:
            raise Conflict(
                "register your gig profile first (PUT /v1/me/gig-profile)",
                code="gig-profile-missing",
            )
        posting = await _open_posting(uow, posting_id, today or date.today())
        application = await _new_application(uow, posting, profile, invited=False)
        await uow.commit()
    return application


async def invite(
    uow: UnitOfWork, posting: Posting, profile_id: uuid.UUID, *, today: date | None = None
) -> GigApplication:
    """The poster invites a worker found among the posting's matches (the caller checked who
    may manage the posting)."""
    async with uow:
        profile = await store.profile_by_id(uow.session, profile_id)
        if profile is None or not profile.available:
            raise RuleViolation("no available worker has this gig profile", field="profile_id")
        current = await _open_posting(uow, posting.id, today or date.today())
        application = await _new_application(uow, current, profile, invited=True)
        await uow.commit()
    return application


async def take_step(
    uow: UnitOfWork,
    application_id: uuid.UUID,
    step: Step,
    actor: Actor,
    *,
    today: date | None = None,
) -> GigApplication:
    """Move an application on (the caller checked that the actor may touch it)."""
    today = today or date.today()
    async with uow:
        current = await store.get_application(uow.session, application_id)
        if current is None:
            raise NotFound(f"gig application {application_id} does not exist")
        # Lock the posting first, then the application: confirmations of one posting take
        # turns, so two of them cannot both take the last place.
        row = await store.lock_posting(uow.session, current.posting_id)
        current = await store.get_application(uow.session, application_id, lock=True)
        posting = repo.posting_from_row(row)
        confirmed = await store.count_confirmed(uow.session, posting.id)
        try:
            status = next_status(
                current.status,
                step,
                actor,
                confirmed=confirmed,
                headcount=posting.headcount,
                starts_on=posting.starts_on,
                today=today,
            )
        except GigRuleBroken as exc:
            raise _conflict(exc) from exc
        changed = replace(
            current, status=status, version=current.version + 1, updated_at=datetime.now(UTC)
        )
        await store.save_application(uow.session, changed)
        _announce(uow, changed, posting)
        await uow.commit()
    return changed


async def register_station(uow: UnitOfWork, values: dict, hours: list[OpeningHours]) -> uuid.UUID:
    try:
        check_opening_hours(hours)
    except ValueError as exc:
        raise RuleViolation(str(exc), field="opening_hours") from exc
    station_id = uuid.uuid4()
    async with uow:
        if values.get("market_id") is not None:
            market = await repo.get_market(uow.session, values["market_id"])
            if market is None:
                raise RuleViolation("no such gig market", field="market_id")
        if not await store.add_station(uow.session, values | {"id": station_id}):
            raise Conflict(f"a station named {values['name']} is already registered")
        await uow.commit()
    return station_id
