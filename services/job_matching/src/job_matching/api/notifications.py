"""站内消息 (the person's inbox): notices built from domain events that concern them (see
``job_matching.notifications``), newest first with cursor paging, and their read state.

Only the caller's own (token claim ``person_key``, role ``seeker``): another person's notice
answers 404. Listing the inbox is audited (the notices say what happened to the person).

``GET /v1/me/notifications/stream`` is the live stream for the app (Server-Sent Events): each
notice is an event whose ``id`` is the notice id, oldest first; the client reconnects with
``Last-Event-ID`` to get exactly the notices after it (``api.inbox_stream``, shared with 单位消息).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from job_matching.adapters import notifications_repository as repo
from job_matching.api import inbox_stream as stream
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.inbox_stream import MAX_ID, SSE_RESPONSES
from suxin_common.auth import CurrentPrincipal, Role, require_roles
from suxin_common.errors import NotFound, RuleViolation
from suxin_common.security import audit
from suxin_common.web import decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1/me/notifications", tags=["me"])
PERSON = Depends(require_roles(Role.SEEKER))
Limit = Annotated[int, Depends(page_size())]
Cursor = Annotated[str | None, Query(max_length=2048)]


class NotificationOut(BaseModel):
    id: int = Field(description="消息标识 / notification id")
    kind: str = Field(description="消息类型 / what happened (e.g. subsidy_case_decided)")
    title: str = Field(description="标题 / title, in Chinese")
    body: str = Field(description="内容 / body, in Chinese")
    service: str = Field(description="所属服务 / the service holding the object")
    link: str = Field(description="链接 / path of the object in that service's 我的 API")
    occurred_at: datetime = Field(description="发生时间 / when it happened")
    created_at: datetime = Field(description="送达时间 / when it reached the inbox")
    read_at: datetime | None = Field(description="已读时间 / when it was read; null if unread")


class InboxPage(BaseModel):
    items: list[NotificationOut] = Field(description="消息 / notices, newest first")
    next_cursor: str | None = Field(description="下一页游标 / pass as cursor for the next page")
    unread: int = Field(description="未读数 / unread notices in the inbox")


def cursor_before(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    position = decode_cursor(cursor)
    before = position.get("id")
    if not isinstance(before, int) or isinstance(before, bool) or not 0 < before <= MAX_ID:
        raise RuleViolation("The cursor is invalid.", field="cursor")
    return before


@router.get("", response_model=InboxPage, dependencies=[PERSON])
async def my_notifications(
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    limit: Limit,
    cursor: Cursor = None,
    unread_only: bool = False,
):
    """站内消息: the caller's notices, newest first; ``unread_only`` keeps the unread ones."""
    before = cursor_before(cursor)
    key = principal.person_key
    if key is None:
        return InboxPage(items=[], next_cursor=None, unread=0)
    async with deps.uow() as uow:
        rows = await repo.inbox(
            uow.session, key, limit=limit + 1, before=before, unread_only=unread_only
        )
        unread = await repo.unread_count(uow.session, key)
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="notification_inbox",
            object_id=principal.subject,
            purpose="站内消息 / the person's inbox",
            details={"notices": len(rows[:limit])},
        )
        await uow.commit()
    page = rows[:limit]
    next_cursor = encode_cursor({"id": page[-1]["id"]}) if len(rows) > limit else None
    return InboxPage(
        items=[NotificationOut(**r) for r in page], next_cursor=next_cursor, unread=unread
    )


@router.post("/{notification_id}/read", response_model=NotificationOut, dependencies=[PERSON])
async def read_notification(
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    notification_id: Annotated[int, Path(ge=1, le=MAX_ID)],
):
    """Mark one of the caller's notices read (again: no change); another's answers 404."""
    if principal.person_key is None:
        raise NotFound("notification not found")
    async with deps.uow() as uow:
        row = await repo.mark_read(
            uow.session, principal.person_key, notification_id, datetime.now(UTC)
        )
        if row is None:
            raise NotFound("notification not found")
        await uow.commit()
    return NotificationOut(**row)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    dependencies=[PERSON],
    responses=SSE_RESPONSES,
)
async def notification_stream(
    request: Request,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
):
    """站内消息 live (Server-Sent Events): the caller's notices after ``Last-Event-ID`` (all of
    them without it), then each new one as it arrives, until the connection's time is up."""
    last = stream.last_event_id(last_event_id)
    key = principal.person_key
    if key is not None:
        async with deps.uow() as uow:
            await audit.record(
                uow,
                principal,
                action=audit.READ_PERSONAL_DATA,
                object_type="notification_stream",
                object_id=principal.subject,
                purpose="站内消息 / the person's inbox, live",
                details={"after": last},
            )
            await uow.commit()
    return stream.inbox_stream(
        request, deps, recipient=key, last=last, after=repo.after, model=NotificationOut
    )
