"""Job-fair handlers (招聘会): organise a fair, set up a booth, register, check in, record the
fair as held (JobFairHeld, with its counts, in the same transaction)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

from job_matching import contracts
from job_matching.adapters.repositories import Uow
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
from suxin_common.errors import Conflict, NotFound, RuleViolation


def _problem(exc: FairRuleBroken) -> Exception:
    if exc.field is not None:
        return RuleViolation(str(exc), field=exc.field)
    return Conflict(str(exc), code=exc.code)


async def organise(
    uow: Uow,
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
        await uow.repos.job_fairs.add(fair)
        await uow.commit()
    return fair


async def _fair(uow: Uow, fair_id: uuid.UUID, *, lock: bool = False) -> JobFair:
    fair = await uow.repos.job_fairs.get(fair_id, lock=lock)
    if fair is None:
        raise NotFound(f"job fair {fair_id} does not exist")
    return fair


async def set_up_booth(
    uow: Uow,
    fair_id: uuid.UUID,
    uscc: str,
    post_ids: list[uuid.UUID],
    *,
    today: date | None = None,
) -> int:
    """The enterprise's booth with the posts it shows: its own open posts only."""
    async with uow:
        fair = await _fair(uow, fair_id, lock=True)  # booth numbers are given in turn
        enterprise = await uow.repos.enterprises.get(uscc)
        if enterprise is None:
            raise RuleViolation("register the enterprise first", field="enterprise_uscc")
        try:
            check_taking_part(fair, today or date.today())
            check_booth(fair, enterprise.in_specialized_zone)
        except FairRuleBroken as exc:
            raise _problem(exc) from exc
        for post_id in post_ids:
            post = await uow.repos.posts.get(post_id)
            if post is None or post.enterprise_uscc != uscc or post.status is not PostStatus.OPEN:
                raise RuleViolation(
                    f"{post_id} is not an open post of this enterprise", field="job_post_ids"
                )
        number = await uow.repos.job_fairs.save_booth(
            fair_id, uscc, list(dict.fromkeys(post_ids)), datetime.now(UTC)
        )
        await uow.commit()
    return number


async def register(uow: Uow, fair_id: uuid.UUID, person_key: str, *, today: date | None = None):
    """The seeker registers for the fair and receives the code they show at the door."""
    async with uow:
        fair = await _fair(uow, fair_id)
        try:
            check_taking_part(fair, today or date.today())
        except FairRuleBroken as exc:
            raise _problem(exc) from exc
        registration_id = uuid.uuid4()
        # A code clash (31^8 codes) is all but impossible; the repository draws again anyway.
        added = await uow.repos.job_fairs.add_registration(
            {
                "id": registration_id,
                "fair_id": fair_id,
                "person_key": person_key,
                "registered_at": datetime.now(UTC),
            },
            new_code=registration_code,
        )
        if not added:
            existing = await uow.repos.job_fairs.registration_by(fair_id, person_key=person_key)
            raise Conflict(
                "you are already registered for this fair",
                code="already-registered",
                extra={"registration_id": str(existing.id)},
            )
        row = await uow.repos.job_fairs.registration(registration_id)
        await uow.commit()
    return row


async def check_in(
    uow: Uow,
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
            row = await uow.repos.job_fairs.registration(registration_id)
        else:
            row = await uow.repos.job_fairs.registration_by(fair_id, code=code)
        if row is None or row.fair_id != fair_id:
            raise NotFound("no registration with this code for the fair")
        row = await uow.repos.job_fairs.check_in(row.id, datetime.now(UTC))
        await uow.commit()
    return row


async def record_held(
    uow: Uow, fair_id: uuid.UUID, *, today: date | None = None
) -> tuple[JobFair, dict[str, int]]:
    """Record the fair as held and announce it with its counts (JobFairHeld), once."""
    async with uow:
        fair = await _fair(uow, fair_id, lock=True)
        try:
            check_held(fair, today or date.today())
        except FairRuleBroken as exc:
            raise _problem(exc) from exc
        counts = await uow.repos.job_fairs.counts(fair_id)
        at = datetime.now(UTC)
        await uow.repos.job_fairs.mark_held(fair, at)
        held = replace(fair, status=FairStatus.HELD, version=fair.version + 1)
        uow.publish(contracts.job_fair_held(held, counts, at), key=str(fair_id))
        await uow.commit()
    return held, counts
