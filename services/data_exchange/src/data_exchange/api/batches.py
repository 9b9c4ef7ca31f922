"""Batches over HTTP: a department client declares a batch by its manifest, PUTs the file
(streamed to disk), then follows its status, progress and per-row error report."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.requests import ClientDisconnect

from data_exchange.adapters import batch_store
from data_exchange.api.access import (
    batch_reader,
    department_client,
    department_of,
    own_department,
    sender_of,
)
from data_exchange.api.deps import DataExchangeDeps
from data_exchange.api.schemas import BatchOut, ManifestIn, RowErrorOut
from data_exchange.domain.manifest import FileFormat, ManifestError, parse_manifest
from data_exchange.handlers import batches as handlers
from suxin_common import reasons
from suxin_common.auth import Principal
from suxin_common.errors import Conflict, NotFound, RuleViolation
from suxin_common.web import Page, ProblemError, decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1/batches", tags=["batches 批次"])
Reader = Annotated[Principal, Depends(batch_reader())]
WRITE_BLOCK = 1024 * 1024


def manifest_problem(exc: ManifestError) -> RuleViolation:
    return RuleViolation(
        exc.reason,
        field=exc.field,
        code=exc.code.replace("_", "-"),
        extra={"errors": [{"field": exc.field, "code": exc.code, "message": exc.reason}]},
    )


def duplicate_problem(first: uuid.UUID) -> Conflict:
    return Conflict(
        "This department already delivered the same file; nothing was changed.",
        code="duplicate-batch",
        extra={"duplicate_of": str(first)},
    )


async def visible_batch(deps: DataExchangeDeps, principal: Principal, batch_id: uuid.UUID) -> dict:
    """The batch, if the caller may see it: its department's client, or staff."""
    async with deps.sessions() as session:
        batch = await batch_store.get(session, batch_id)
    own = own_department(principal)
    if batch is None or (own is not None and batch["department"] != own.value):
        raise NotFound("batch not found")
    return batch


@router.post("", status_code=201, response_model=BatchOut)
async def declare_batch(
    deps: DataExchangeDeps,
    response: Response,
    principal: Annotated[Principal, Depends(department_client())],
    manifest: ManifestIn,
) -> BatchOut:
    """Declare a batch by its manifest (批次清单); then PUT the file to `upload`."""
    try:
        parsed = parse_manifest(
            manifest.model_dump(exclude_none=True, by_alias=True), sender=department_of(principal)
        )
    except ManifestError as exc:
        raise manifest_problem(exc) from None
    try:
        batch_id = await handlers.declare(
            deps.uow(), parsed, sender=sender_of(principal), source="upload"
        )
    except handlers.Duplicate as dup:
        raise duplicate_problem(dup.first) from None
    async with deps.sessions() as session:
        batch = await batch_store.get(session, batch_id)
    response.headers["Location"] = f"/v1/batches/{batch_id}"
    return BatchOut.of(batch)  # type: ignore[arg-type]


@router.put("/{batch_id}/file", status_code=202, response_model=BatchOut)
async def upload_file(
    batch_id: uuid.UUID,
    request: Request,
    response: Response,
    deps: DataExchangeDeps,
    principal: Annotated[Principal, Depends(department_client())],
) -> BatchOut:
    """The batch file (CSV or JSON Lines, UTF-8), streamed: Content-Length is required."""
    batch = await visible_batch(deps, principal, batch_id)
    if batch["status"] != "awaiting_file":
        raise Conflict(f"the batch is {batch['status']}, not awaiting its file")
    path = handlers.spool_path(deps.settings, batch_id, FileFormat(batch["format"]))
    sha256 = await _stream_to(request, path)
    try:
        await handlers.receive(deps.uow(), batch_id, path, sha256)
    except handlers.Rejected as exc:
        reason = reasons.render(exc.reason)
        raise RuleViolation(
            reason,
            field="sha256",
            code="checksum-mismatch",
            extra={"errors": [{"field": "sha256", "code": exc.code, "message": reason}]},
        ) from None
    except handlers.Duplicate as dup:
        raise duplicate_problem(dup.first) from None
    except handlers.NotAwaitingFile as exc:
        raise Conflict(str(exc)) from None
    deps.wake_batch_worker()
    async with deps.sessions() as session:
        batch = await batch_store.get(session, batch_id)
    response.headers["Location"] = f"/v1/batches/{batch_id}"
    return BatchOut.of(batch)  # type: ignore[arg-type]


async def _stream_to(request: Request, path: Path) -> str:
    """Write the body to ``path`` in blocks, hashing it; memory holds one block at most."""
    part = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    digest = hashlib.sha256()
    handle = await asyncio.to_thread(part.open, "wb")
    try:
        buffer = bytearray()
        async for chunk in request.stream():
            digest.update(chunk)
            buffer += chunk
            if len(buffer) >= WRITE_BLOCK:
                await asyncio.to_thread(handle.write, bytes(buffer))
                buffer.clear()
        if buffer:
            await asyncio.to_thread(handle.write, bytes(buffer))
    except ClientDisconnect:
        await asyncio.to_thread(handle.close)
        await asyncio.to_thread(part.unlink, missing_ok=True)
        raise ProblemError(
            "the upload was interrupted", status=400, slug="upload-interrupted"
        ) from None
    except BaseException:
        await asyncio.to_thread(handle.close)
        await asyncio.to_thread(part.unlink, missing_ok=True)
        raise
    await asyncio.to_thread(handle.close)
    await asyncio.to_thread(part.replace, path)
    return digest.hexdigest()


@router.get("/{batch_id}", response_model=BatchOut)
async def get_batch(batch_id: uuid.UUID, deps: DataExchangeDeps, principal: Reader) -> BatchOut:
    """Status and progress of a batch."""
    return BatchOut.of(await visible_batch(deps, principal, batch_id))


@router.get("/{batch_id}/errors", response_model=Page[RowErrorOut])
async def list_errors(
    batch_id: uuid.UUID,
    deps: DataExchangeDeps,
    principal: Reader,
    limit: Annotated[int, Depends(page_size(200, 1000))],
    cursor: str | None = None,
) -> Page[RowErrorOut]:
    """The per-row error report: row number, field, English code and the reason (Chinese, or
    English with `Accept-Language: en`)."""
    await visible_batch(deps, principal, batch_id)
    after = (-1, "", "")
    if cursor:
        position = decode_cursor(cursor)
        try:
            after = (int(position["row"]), str(position["field"]), str(position["code"]))
        except (KeyError, TypeError, ValueError):
            raise RuleViolation("The cursor is invalid.", field="cursor") from None
    async with deps.sessions() as session:
        rows = await batch_store.errors(session, batch_id, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        RowErrorOut(row=r["row_no"], field=r["field"], code=r["code"], reason=r["reason"])
        for r in rows
    ]
    next_cursor = (
        encode_cursor(
            {"row": rows[-1]["row_no"], "field": rows[-1]["field"], "code": rows[-1]["code"]}
        )
        if more
        else None
    )
    return Page[RowErrorOut](items=items, next_cursor=next_cursor)


@router.get("", response_model=Page[BatchOut])
async def list_batches(
    deps: DataExchangeDeps,
    principal: Reader,
    limit: Annotated[int, Depends(page_size())],
    cursor: str | None = None,
) -> Page[BatchOut]:
    """Batches, newest first: a department client sees its own department's."""
    before = None
    if cursor:
        position = decode_cursor(cursor)
        try:
            before = (datetime.fromisoformat(position["at"]), uuid.UUID(position["id"]))
        except (KeyError, TypeError, ValueError):
            raise RuleViolation("The cursor is invalid.", field="cursor") from None
    own = own_department(principal)
    async with deps.sessions() as session:
        rows = await batch_store.list_batches(
            session, department=own.value if own else None, before=before, limit=limit + 1
        )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor({"at": rows[-1]["created_at"].isoformat(), "id": str(rows[-1]["id"])})
        if more
        else None
    )
    return Page[BatchOut](items=[BatchOut.of(r) for r in rows], next_cursor=next_cursor)
