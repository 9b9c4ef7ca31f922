"""Applications (求职申请): submitting, reviewing, withdrawing, accepting an offer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from job_matching import contracts
from job_matching.adapters import repository as rows
from job_matching.adapters.repositories import Uow
from job_matching.domain import commands
from job_matching.domain.model import (
    Actor,
    ApplicationStatus,
    ApplicationSubmitted,
    PostStatus,
    TransitionRefused,
    check_application_transition,
)
from suxin_common.errors import Conflict, NotFound, RuleViolation


def _now() -> datetime:
    return datetime.now(UTC)


async def submit_application(uow: Uow, cmd: commands.SubmitApplication, actor: Actor) -> uuid.UUID:
    """A seeker applies to an open post (求职申请)."""
    application_id = uuid.uuid4()
    now = _now()
    async with uow:
        seeker_row = await uow.repos.seekers.row(cmd.seeker_id)
        if seeker_row is None or not actor.owns_seeker(
            seeker_row.account_subject, seeker_row.district_code
        ):
            raise NotFound(f"seeker {cmd.seeker_id} is not registered")
        post = await uow.repos.posts.get(cmd.job_post_id)
        if post is None or (post.status is PostStatus.DRAFT and not actor.staff):
            raise NotFound(f"job post {cmd.job_post_id} does not exist")
        if post.status is not PostStatus.OPEN:
            raise Conflict(f"the job post is {post.status.value}, not open to applications")
        inserted = await uow.repos.applications.add(
            {
                "id": application_id,
                "seeker_id": cmd.seeker_id,
                "job_post_id": post.id,
                "enterprise_uscc": post.enterprise_uscc,
                "status": ApplicationStatus.SUBMITTED.value,
                "cover_letter": cmd.cover_letter,
                "submitted_at": now,
                "updated_at": now,
            },
        )
        if not inserted:
            raise Conflict("this seeker already has a live application to this post")
        event = ApplicationSubmitted(application_id, post, rows.seeker_from_row(seeker_row), now)
        uow.publish(contracts.application_submitted(event), key=str(application_id))
        await uow.commit()
    return application_id


_BY_ENTERPRISE = frozenset(
    {ApplicationStatus.SHORTLISTED, ApplicationStatus.REJECTED, ApplicationStatus.OFFERED}
)


async def review_application(
    uow: Uow, cmd: commands.ReviewApplication, actor: Actor
) -> ApplicationStatus:
    """Shortlist, reject or offer (the enterprise), or withdraw (the seeker)."""
    async with uow:
        row = await uow.repos.applications.row(cmd.application_id, lock=True)
        if row is None:
            raise NotFound(f"application {cmd.application_id} does not exist")
        if cmd.status in _BY_ENTERPRISE:
            district = await uow.repos.posts.district(row.job_post_id)
            allowed = actor.owns_enterprise(row.enterprise_uscc, district)
        elif cmd.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.ACCEPTED):
            seeker = await uow.repos.seekers.row(row.seeker_id)
            allowed = seeker is not None and actor.owns_seeker(
                seeker.account_subject, seeker.district_code
            )
        else:
            raise RuleViolation("an application is hired by recording the hire", field="status")
        if not allowed:
            raise NotFound(f"application {cmd.application_id} does not exist")
        try:
            check_application_transition(ApplicationStatus(row.status), cmd.status)
        except TransitionRefused as exc:
            raise Conflict(str(exc), extra={"current_status": row.status}) from exc
        await uow.repos.applications.set_status(row.id, cmd.status.value, cmd.note)
        await uow.commit()
    return cmd.status
