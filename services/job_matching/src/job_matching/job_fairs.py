"""Job-fair handlers (招聘会): organise a fair, set up a booth, register, check in, record the
fair as held (JobFairHeld, with its counts, in the same transaction)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy.exc import IntegrityError

from job_matching import contracts
from job_matching.adapters import job_fairs_store as store
from job_matching.adapters import repository as repo
from job_matching.domain.job_fairs import (
    FairMode,
    FairRuleBroken,
    FairStatus,
    FairTheme,
    JobFair,
    check_booth,
    check_check_in,
    check_fair,
    check_held,
    check_taking_part,
    registration_code,
)
from job_matching.domain.model import PostStatus
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, NotFound, RuleViolation


def _problem(exc: FairRuleBroken) -> Exception:
    if exc.field is not None:
        return RuleViolation(str(exc), field=exc.field)
    return Conflict(str(exc), code=exc.code)


async def organise(
    uow: UnitOfWork,
    *,
    name: str,
    mode: FairMode,
    theme: FairTheme,
    city_code: str,
    district_code: str | None,
    starts_on: date,
    ends_on: date,
    venue: str | None,
    link: str | None,
    today: date | None = None,
) -> JobFair:
    try:
        check_fair(
            mode, city_code, district_code, starts_on, ends_on, venue, link, today or date.today()
        )
    except FairRuleBroken as exc:
        raise _problem(exc) from exc
    fair = JobFair(
        id=uuid.uuid4(),
        name=name,
        mode=mode,
        theme=theme,
        city_code=city_code,
        district_code=district_code,
        starts_on=starts_on,
        ends_on=ends_on,
        venue=venue,
        link=link,
        status=FairStatus.SCHEDULED,
        version=1,
        created_at=datetime.now(UTC),
    )
    async with uow:
        await store.add_fair(uow.session, fair)
        await uow.commit()
    return fair


async def _fair(uow: UnitOfWork, fair_id: uuid.UUID, *, lock: bool = False) -> JobFair:
    fair = await store.get_fair(uow.session, fair_id, lock=lock)
    if fair is None:
        raise NotFound(f"job fair {fair_id} does not exist")
    return fair


async def set_up_booth(
    uow: UnitOfWork,
    fair_id: uuid.UUID,
    uscc: str,
    post_ids: list[uuid.UUID],
    *,
    today: date | None = None,
) -> int:
    """The enterprise's booth with the posts it shows: its own open posts only."""
    async with uow:
        fair = await _fair(uow, fair_id, lock=True)  # booth numbers are given in turn
        enterprise = await repo.get_enterprise(uow.session, uscc)
        if enterprise is None:
            raise RuleViolation("register the enterprise first", field="enterprise_uscc")
        try:
            check_taking_part(fair, today or date.today())
            check_booth(fair, enterprise.in_specialized_zone)
        except FairRuleBroken as exc:
            raise _problem(exc) from exc
        for post_id in post_ids:
            post = await repo.get_job_post(uow.session, post_id)
            if post is None or post.enterprise_uscc != uscc or post.status is not PostStatus.OPEN:
                raise RuleViolation(
                    f"{post_id} is not an open post of this enterprise", field="job_post_ids"
                )
        number = await store.save_booth(
            uow.session, fair_id, uscc, list(dict.fromkeys(post_ids)), datetime.now(UTC)
        )
        await uow.commit()
    return number


async def register(
    uow: UnitOfWork, fair_id: uuid.UUID, person_key: str, *, today: date | None = None
):
    """The seeker registers for the fair and receives the code they show at the door."""
    async with uow:
        fair = await _fair(uow, fair_id)
        try:
            check_taking_part(fair, today or date.today())
        except FairRuleBroken as exc:
            raise _problem(exc) from exc
        registration_id = uuid.uuid4()
        added = False
        for _ in range(3):  # a code clash (31^8 codes) is all but impossible; retry anyway
            try:
                async with uow.session.begin_nested():
                    added = await store.add_registration(
                        uow.session,
                        {
                            "id": registration_id,
                            "fair_id": fair_id,
                            "person_key": person_key,
                            "code": registration_code(),
                            "registered_at": datetime.now(UTC),
                        },
                    )
                break
            except IntegrityError:
                continue
        if not added:
            existing = await store.registration_by(uow.session, fair_id, person_key=person_key)
            raise Conflict(
                "you are already registered for this fair",
                code="already-registered",
                extra={"registration_id": str(existing.id)},
            )
        row = await store.registration(uow.session, registration_id)
        await uow.commit()
    return row


async def check_in(
    uow: UnitOfWork,
    fair_id: uuid.UUID,
    *,
    code: str | None = None,
    registration_id: uuid.UUID | None = None,
    today: date | None = None,
):
    """Check a registration in: by its code at the door (the organiser), or by the seeker
    themselves at an online fair. Checking in twice keeps the first time."""
    async with uow:
        fair = await _fair(uow, fair_id)
        try:
            check_check_in(fair, today or date.today(), self_service=registration_id is not None)
        except FairRuleBroken as exc:
            raise _problem(exc) from exc
        if registration_id is not None:
            row = await store.registration(uow.session, registration_id)
        else:
            row = await store.registration_by(uow.session, fair_id, code=code)
        if row is None or row.fair_id != fair_id:
            raise NotFound("no registration with this code for the fair")
        row = await store.check_in(uow.session, row.id, datetime.now(UTC))
        await uow.commit()
    return row


async def record_held(
    uow: UnitOfWork, fair_id: uuid.UUID, *, today: date | None = None
) -> tuple[JobFair, dict[str, int]]:
    """Record the fair as held and announce it with its counts (JobFairHeld), once."""
    async with uow:
        fair = await _fair(uow, fair_id, lock=True)
        try:
            check_held(fair, today or date.today())
        except FairRuleBroken as exc:
            raise _problem(exc) from exc
        counts = await store.counts(uow.session, fair_id)
        at = datetime.now(UTC)
        await store.mark_held(uow.session, fair, at)
        held = replace(fair, status=FairStatus.HELD, version=fair.version + 1)
        uow.publish(contracts.job_fair_held(held, counts, at), key=str(fair_id))
        await uow.commit()
    return held, counts
