"""Job posts (岗位): publishing, opening and closing."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from job_matching import contracts
from job_matching.adapters.repositories import Uow
from job_matching.domain import commands
from job_matching.domain.matching import normalize_skill, occupation_minor_group, post_match_keys
from job_matching.domain.model import (
    Actor,
    Enterprise,
    JobPost,
    JobPostClosed,
    JobPostOpened,
    PostCloseReason,
    PostStatus,
    TransitionRefused,
    check_post_transition,
)
from suxin_common.errors import Conflict, NotFound, RuleViolation
from suxin_common.regions import city_of


def _now() -> datetime:
    return datetime.now(UTC)


async def publish_job_post(uow: Uow, cmd: commands.PublishJobPost) -> uuid.UUID:
    if cmd.wage_min_fen > cmd.wage_max_fen:
        raise RuleViolation("wage_min_fen exceeds wage_max_fen", field="wage_min_fen")
    if cmd.status not in (PostStatus.DRAFT, PostStatus.OPEN):
        raise RuleViolation("a new job post is a draft or open", field="status")
    post_id = uuid.uuid4()
    now = _now()
    async with uow:
        enterprise = await uow.repos.enterprises.get(cmd.enterprise_uscc)
        if enterprise is None:
            raise NotFound(f"enterprise {cmd.enterprise_uscc} is not registered")
        skills = sorted({normalize_skill(s) for s in cmd.required_skills})
        values = {
            "id": post_id,
            "enterprise_uscc": cmd.enterprise_uscc,
            "title": cmd.title,
            "description": cmd.description,
            "occupation_code": cmd.occupation_code,
            "occupation_minor": occupation_minor_group(cmd.occupation_code),
            "city_code": city_of(cmd.district_code),
            "district_code": cmd.district_code,
            "kind": cmd.kind.value,
            "status": cmd.status.value,
            "headcount": cmd.headcount,
            "wage_min_fen": cmd.wage_min_fen,
            "wage_max_fen": cmd.wage_max_fen,
            "required_skills": skills,
            "match_keys": post_match_keys(cmd.occupation_code, city_of(cmd.district_code), skills),
            "min_education": cmd.min_education.value if cmd.min_education else None,
            "specialized_zone": enterprise.in_specialized_zone,
            "opened_at": now if cmd.status is PostStatus.OPEN else None,
        }
        await uow.repos.posts.add(values, enterprise_name=enterprise.name)
        if cmd.status is PostStatus.OPEN:
            post = await uow.repos.posts.get(post_id)
            assert post is not None
            publish_opened(uow, post, enterprise, now)
        await uow.commit()
    return post_id


def publish_opened(uow: Uow, post: JobPost, enterprise: Enterprise, at: datetime) -> None:
    post = replace(post, industry_code=enterprise.industry_code)
    uow.publish(contracts.job_post_opened(JobPostOpened(post, at)), key=str(post.id))


def publish_closed(uow: Uow, post: JobPost, reason: PostCloseReason, at: datetime) -> None:
    uow.publish(contracts.job_post_closed(JobPostClosed(post, reason, at)), key=str(post.id))


async def change_post_status(uow: Uow, cmd: commands.ChangePostStatus, actor: Actor) -> PostStatus:
    """Open a draft, or close a post (岗位关闭). Another enterprise's post is not found."""
    now = _now()
    async with uow:
        post = await uow.repos.posts.get(cmd.job_post_id, lock=True)
        if post is None or not actor.owns_enterprise(post.enterprise_uscc, post.district_code):
            raise NotFound(f"job post {cmd.job_post_id} does not exist")
        if cmd.status not in (PostStatus.OPEN, PostStatus.CLOSED):
            raise RuleViolation("a post is opened or closed; it fills by hires", field="status")
        try:
            check_post_transition(post.status, cmd.status)
        except TransitionRefused as exc:
            raise Conflict(str(exc), extra={"current_status": post.status.value}) from exc
        if cmd.status is PostStatus.OPEN:
            post = await uow.repos.posts.set_status(post, PostStatus.OPEN, opened_at=now)
            enterprise = await uow.repos.enterprises.get(post.enterprise_uscc)
            assert enterprise is not None
            await uow.repos.posts.index_opened(post.id)
            publish_opened(uow, post, enterprise, now)
        else:
            was_open = post.status is PostStatus.OPEN
            post = await uow.repos.posts.set_status(
                post, PostStatus.CLOSED, closed_at=now, close_reason=cmd.reason.value
            )
            if was_open:  # a draft or a filled post was never (or no longer) open
                publish_closed(uow, post, cmd.reason, now)
        await uow.commit()
    return post.status
