"""单位消息 (the enterprise's inbox): notices built from domain events that need its attention
(see ``job_matching.enterprise_notifications``), newest first with cursor paging, and their
read state. Only the caller's own enterprise (token tenant ``uscc``): another enterprise's
notice answers 404.

``GET /v1/enterprise/notifications/stream``: the same inbox live (Server-Sent Events, resumable
with ``Last-Event-ID``), by the stream code the person's inbox uses (``api.inbox_stream``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from fastapi.responses import StreamingResponse

from job_matching.adapters import enterprise_inbox as repo
from job_matching.api import inbox_stream as stream
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.inbox_stream import MAX_ID, SSE_RESPONSES
from job_matching.api.notifications import (
    Cursor,
    InboxPage,
    Limit,
    NotificationOut,
    cursor_before,
)
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.errors import NotFound
from suxin_common.web import encode_cursor

router = APIRouter(prefix="/v1/enterprise/notifications", tags=["enterprise inbox"])
ENTERPRISE = Depends(require_roles(Role.ENTERPRISE))


def _uscc(principal: Principal) -> str | None:
    return principal.tenant.uscc


@router.get("", response_model=InboxPage, dependencies=[ENTERPRISE])
async def enterprise_notifications(
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    limit: Limit,
    cursor: Cursor = None,
    unread_only: bool = False,
):
    """单位消息: my enterprise's notices, newest first; ``unread_only`` keeps the unread ones."""
    before = cursor_before(cursor)
    uscc = _uscc(principal)
    if uscc is None:
        return InboxPage(items=[], next_cursor=None, unread=0)
    async with deps.sessions() as session:
        rows = await repo.inbox(
            session, uscc, limit=limit + 1, before=before, unread_only=unread_only
        )
        unread = await repo.unread_count(session, uscc)
    page = rows[:limit]
    next_cursor = encode_cursor({"id": page[-1]["id"]}) if len(rows) > limit else None
    return InboxPage(
        items=[NotificationOut(**r) for r in page], next_cursor=next_cursor, unread=unread
    )


@router.post("/{notification_id}/read", response_model=NotificationOut, dependencies=[ENTERPRISE])
async def read_enterprise_notification(
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    notification_id: Annotated[int, Path(ge=1, le=MAX_ID)],
):
    """Mark one of my enterprise's notices read (again: no change); another's answers 404."""
    uscc = _uscc(principal)
    if uscc is None:
        raise NotFound("notification not found")
    async with deps.uow() as uow:
        row = await repo.mark_read(uow.session, uscc, notification_id, datetime.now(UTC))
        if row is None:
            raise NotFound("notification not found")
        await uow.commit()
    return NotificationOut(**row)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    dependencies=[ENTERPRISE],
    responses=SSE_RESPONSES,
)
async def enterprise_notification_stream(
    request: Request,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
):
    """单位消息 live (Server-Sent Events): my enterprise's notices after ``Last-Event-ID`` (all
    of them without it), then each new one as it arrives, until the connection's time is up."""
    return stream.inbox_stream(
        request,
        deps,
        recipient=_uscc(principal),
        last=stream.last_event_id(last_event_id),
        after=repo.after,
        model=NotificationOut,
    )
