"""The live stream of an inbox (Server-Sent Events), shared by 站内消息 (a person's) and 单位消息
(an enterprise's): each notice is an event whose ``id`` is the notice id, oldest first; a
connection lasts ``notification_stream_seconds`` and the client reconnects with
``Last-Event-ID`` (browsers' EventSource do so by themselves) to get exactly the notices after
it. New notices are looked for every ``notification_poll_seconds``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.api.deps import JobMatchingDeps
from suxin_common.errors import RuleViolation

MAX_ID = 2**63 - 1
STREAM_BATCH = 100
# The inbox's notices after an id, oldest first: (session, recipient, after id, limit=...).
After = Callable[..., Awaitable[list[dict[str, Any]]]]
SSE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/event-stream": {}}, "description": "SSE notices"}
}


def last_event_id(header: str | None) -> int:
    """The notice id the client last saw (0: none)."""
    if header is None or not header.strip():
        return 0
    if not header.strip().isdigit() or int(header) > MAX_ID:
        raise RuleViolation("Last-Event-ID must be a notice id.", field="Last-Event-ID")
    return int(header)


def inbox_stream(
    request: Request,
    deps: JobMatchingDeps,
    *,
    recipient: str | None,
    last: int,
    after: After,
    model: type[BaseModel],
) -> StreamingResponse:
    """The recipient's notices after ``last``, then each new one as it arrives, until the
    connection's time is up (no recipient: only the retry hint and keep-alives end it)."""
    settings = deps.settings

    def sse(row: dict[str, Any]) -> str:
        data = model(**row).model_dump_json()
        return f"id: {row['id']}\nevent: notification\ndata: {data}\n\n"

    async def events() -> AsyncIterator[str]:
        seen = last
        yield f"retry: {int(settings.notification_poll_seconds * 1000)}\n\n"
        loop = asyncio.get_running_loop()
        ends = loop.time() + settings.notification_stream_seconds
        while recipient is not None:
            session: AsyncSession
            async with deps.sessions() as session:
                rows = await after(session, recipient, seen, limit=STREAM_BATCH)
            for row in rows:
                seen = row["id"]
                yield sse(row)
            if len(rows) == STREAM_BATCH:
                continue
            if loop.time() >= ends or await request.is_disconnected():
                return
            yield ": keep-alive\n\n"
            await asyncio.sleep(settings.notification_poll_seconds)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
