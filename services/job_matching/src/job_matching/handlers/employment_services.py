"""Employment services of the "131" and "1+3" programmes delivered to a person."""

from __future__ import annotations

import uuid
from datetime import date

from job_matching.adapters import repository as rows
from job_matching.adapters.repositories import Uow
from job_matching.domain import commands
from job_matching.domain import employment_services as services
from job_matching.domain.model import Actor, PostStatus
from suxin_common.errors import Conflict, NotFound, RuleViolation


async def record_service_delivered(
    uow: Uow,
    cmd: commands.RecordServiceDelivered,
    actor: Actor,
    *,
    today: date | None = None,
) -> uuid.UUID:
    """HRSS staff (of the person's district) record one service of the "131" or "1+3"
    programme for a person."""
    today = today or date.today()
    service_id = uuid.uuid4()
    async with uow:
        row = await uow.repos.seekers.row(cmd.seeker_id)
        if row is None or not actor.owns_seeker(row.account_subject, row.district_code):
            raise NotFound(f"seeker {cmd.seeker_id} is not registered")
        employed = await uow.repos.hires.has_active(cmd.seeker_id)
        eligible = services.programmes_for(
            rows.seeker_from_row(row).key_groups, row.graduation_date, employed, today
        )
        try:
            services.check_deliverable(cmd.programme, cmd.kind, eligible)
        except services.NotEligible as exc:
            raise Conflict(str(exc)) from exc
        if cmd.kind is services.ServiceKind.JOB_RECOMMENDATION:
            if cmd.job_post_id is None:
                raise RuleViolation("a job recommendation names the post", field="job_post_id")
            post = await uow.repos.posts.get(cmd.job_post_id)
            if post is None:
                raise NotFound(f"job post {cmd.job_post_id} does not exist")
            if post.status is not PostStatus.OPEN:
                raise Conflict(f"the job post is {post.status.value}; recommend an open one")
        inserted = await uow.repos.services.add(
            {
                "id": service_id,
                "seeker_id": cmd.seeker_id,
                "programme": cmd.programme.value,
                "kind": cmd.kind.value,
                "job_post_id": cmd.job_post_id,
                "note": cmd.note,
                "delivered_by": cmd.delivered_by,
            },
        )
        if not inserted:
            raise Conflict("this post was already recommended to this person")
        await uow.commit()
    return service_id
