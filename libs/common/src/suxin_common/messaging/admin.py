"""Dead letters, for operators: list them, look at one, replay it after a fix, or discard it.

Mounted by ``build_service_app`` on every service that consumes events, under
``/v1/admin/dead-letters``, for the ``ops`` role. A replay runs the service's own handlers on
the stored message in-process (through the inbox, so an event handled meanwhile is not applied
twice); nothing is re-published to the bus, so other consumers are not disturbed.
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Request
from google.protobuf import json_format
from google.protobuf.message import DecodeError
from pydantic import BaseModel

from suxin_common.auth import Principal, Role, require_roles
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import PoisonMessage
from suxin_common.tables import dead_letters
from suxin_common.web import (
    Conflict,
    NotFound,
    Page,
    ServiceUnavailable,
    Unprocessable,
    decode_cursor,
    encode_cursor,
)

log = logging.getLogger(__name__)

MAX_PAGE = 100

router = APIRouter(prefix="/v1/admin/dead-letters", tags=["operations"])
Operator = Annotated[Principal, Depends(require_roles(Role.OPS))]
LetterId = Annotated[int, Path(ge=1, le=2**63 - 1, description="dead letter id")]


class DeadLetter(BaseModel):
    id: int
    consumer: str
    stream: str
    stream_seq: int
    subject: str
    event_id: str | None
    ce_type: str | None
    error: str
    deliveries: int
    created_at: datetime


class DeadLetterDetail(DeadLetter):
    headers: dict[str, Any]
    # The payload decoded as protobuf JSON when it can be; else None and `payload_base64`.
    payload: dict[str, Any] | None
    payload_base64: str


class ReplayResult(BaseModel):
    id: int
    outcome: str  # "replayed" | "duplicate"


def _runtime(request: Request):  # noqa: ANN202 - avoids importing service.py (cycle)
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise ServiceUnavailable("service is starting")
    return runtime


def _columns() -> list[sa.Column]:
    return [c for c in dead_letters.c if c.name not in ("headers", "payload")]


@router.get("", response_model=Page[DeadLetter], summary="List dead letters, oldest first")
async def list_dead_letters(
    request: Request,
    _: Operator,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    subject: str | None = None,
) -> Page[DeadLetter]:
    runtime = _runtime(request)
    query = sa.select(*_columns()).order_by(dead_letters.c.id).limit(limit + 1)
    if cursor:
        position = decode_cursor(cursor)
        after = position.get("id")
        if not isinstance(after, int):
            raise Unprocessable("The cursor is not valid.", field="cursor")
        query = query.where(dead_letters.c.id > after)
    if subject:
        query = query.where(dead_letters.c.subject == subject)
    async with runtime.sessions() as session:
        rows = (await session.execute(query)).all()
    items = [DeadLetter.model_validate(r._mapping) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items=items, next_cursor=encode_cursor({"id": items[-1].id}) if more else None)


@router.get("/{letter_id}", response_model=DeadLetterDetail, summary="One dead letter")
async def get_dead_letter(request: Request, _: Operator, letter_id: LetterId) -> DeadLetterDetail:
    runtime = _runtime(request)
    async with runtime.sessions() as session:
        row = (
            await session.execute(sa.select(dead_letters).where(dead_letters.c.id == letter_id))
        ).first()
    if row is None:
        raise NotFound(f"No dead letter {letter_id}.")
    payload: dict[str, Any] | None = None
    try:
        message = event_type_for_subject(row.subject).message.FromString(row.payload)
        payload = json_format.MessageToDict(message, preserving_proto_field_name=True)
    except (LookupError, DecodeError):
        payload = None
    data = {c.name: getattr(row, c.name) for c in _columns()}
    return DeadLetterDetail(
        **data,
        headers=dict(row.headers or {}),
        payload=payload,
        payload_base64=base64.b64encode(row.payload).decode(),
    )


@router.post(
    "/{letter_id}/replay",
    response_model=ReplayResult,
    summary="Handle the message again, now (after the cause was fixed)",
)
async def replay_dead_letter(request: Request, who: Operator, letter_id: LetterId) -> ReplayResult:
    runtime = _runtime(request)
    if runtime.consumers is None:
        raise ServiceUnavailable("this replica runs no consumers")
    try:
        outcome = await runtime.consumers.replay_dead_letter(letter_id)
    except LookupError:
        raise NotFound(f"No dead letter {letter_id}.") from None
    except PoisonMessage as exc:
        raise Unprocessable(f"The message cannot be handled: {exc}") from None
    except Exception as exc:
        raise Conflict(
            f"The handler failed again: {type(exc).__name__}. The dead letter is kept.",
        ) from None
    log.info("dead letter %s replayed by %s: %s", letter_id, who.subject, outcome)
    return ReplayResult(id=letter_id, outcome=outcome)


@router.delete("/{letter_id}", status_code=204, summary="Discard a dead letter for good")
async def discard_dead_letter(request: Request, who: Operator, letter_id: LetterId) -> None:
    runtime = _runtime(request)
    async with runtime.sessions() as session:
        result = await session.execute(
            sa.delete(dead_letters)
            .where(dead_letters.c.id == letter_id)
            .returning(dead_letters.c.event_id, dead_letters.c.subject)
        )
        row = result.first()
        await session.commit()
    if row is None:
        raise NotFound(f"No dead letter {letter_id}.")
    log.warning(
        "dead letter %s (%s, event %s) discarded by %s",
        letter_id,
        row.subject,
        row.event_id,
        who.subject,
    )
