"""Bulk order reports (订单报送) and the order list of a platform.

The batch body is read and validated here, not by FastAPI's body parsing: one bad row must not
refuse the whole batch, and thousands of rows must not go through per-row model dumps. The
JSON is validated in one pass by pydantic-core; only when some rows fail are the others
validated again on their own, so the good rows are stored and the bad ones answered by index.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select

from gig_market import handlers
from gig_market.adapters.tables import orders
from gig_market.api.access import ORDERS_READ, ORDERS_WRITE, platform_scopes, visible_platform
from gig_market.api.deps import GigMarketDeps
from gig_market.api.schemas import PLAIN_ID, OrderBatchIn, OrderOut, OrderReportOut, OrderRowIn
from gig_market.domain.commands import ReportOrders
from gig_market.domain.orders import OrderStatus, RowProblem
from gig_market.settings import Settings
from suxin_common.auth import CurrentPrincipal, Role, require_roles, require_scopes
from suxin_common.errors import RuleViolation
from suxin_common.identity import Uscc
from suxin_common.security import reads
from suxin_common.web import Page, ProblemError, decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1", tags=["orders"])
PlatformUscc = Annotated[Uscc, Path(description="the platform's USCC")]

_BATCH = TypeAdapter(OrderBatchIn)
_ROWS = TypeAdapter(list[OrderRowIn])
_ROW = TypeAdapter(OrderRowIn)


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema with its ``$defs`` inlined, so the OpenAPI document has no dangling
    ``#/$defs/...`` references (the batch body is not one of FastAPI's component models)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


class ContentTooLarge(ProblemError):
    status = 413
    title = "Content Too Large"
    slug = "content-too-large"


@router.post(
    "/platforms/{uscc}/order-reports",
    response_model=OrderReportOut,
    dependencies=[Depends(require_roles(Role.PLATFORM)), Depends(require_scopes(ORDERS_WRITE))],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline_refs(_BATCH.json_schema())}},
        }
    },
    responses={413: {"description": "the body or the number of rows is over the limit"}},
)
async def report_orders(
    uscc: PlatformUscc,
    request: Request,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
) -> Response:
    """Report orders in bulk: accepted, completed or cancelled, up to 10,000 rows a request.

    Idempotent per (platform, order id). Good rows are stored even when others are refused;
    each refused row comes back in `errors` as a problem detail with its `index`.
    """
    uow = deps.uow()
    settings: Settings = deps.settings  # type: ignore[assignment]
    platform = await visible_platform(deps, principal, uscc, staff=False)
    body = await _read_body(request, settings.orders_max_body_bytes)
    cmd = parse_batch(platform.uscc, body, max_rows=settings.orders_max_rows)
    outcome = await handlers.report_orders(
        uow,
        cmd,
        chunk_size=settings.orders_chunk_size,
        skew=timedelta(seconds=settings.orders_clock_skew_s),
    )
    order_ids = _order_ids(cmd)
    result = {
        "received": outcome.received,
        "new": outcome.new,
        "changed": outcome.changed,
        "unchanged": outcome.unchanged,
        "rejected": len(outcome.problems),
        "chunks": outcome.chunks,
        "errors": [_row_error(i, order_ids.get(i), p) for i, p in outcome.problems],
    }
    return Response(orjson.dumps(result), media_type="application/json")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ContentTooLarge(f"the body is over {limit} bytes; send smaller batches")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ContentTooLarge(f"the body is over {limit} bytes; send smaller batches")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_batch(platform_uscc: str, body: bytes, *, max_rows: int) -> ReportOrders:
    """Validate a batch body; rows that fail are refused by index, the rest go on."""
    try:
        batch = _BATCH.validate_json(body)
    except ValidationError as exc:
        return _parse_with_bad_rows(platform_uscc, body, exc, max_rows)
    _check_size(len(batch.orders), max_rows)
    rows = list(enumerate(batch.orders))
    return ReportOrders(platform_uscc, rows, [], len(rows))


def _parse_with_bad_rows(
    platform_uscc: str, body: bytes, exc: ValidationError, max_rows: int
) -> ReportOrders:
    by_row: dict[int, list[tuple[str, str]]] = {}
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        loc = error["loc"]
        if len(loc) < 2 or loc[0] != "orders" or not isinstance(loc[1], int):
            raise _envelope_problem(exc)
        field = ".".join(str(part) for part in loc[2:]) or "(row)"
        by_row.setdefault(loc[1], []).append((field, _plain(error["msg"])))
    try:
        raw = orjson.loads(body)["orders"]
    except orjson.JSONDecodeError:  # e.g. integers beyond 64 bits, which pydantic accepted
        raw = json.loads(body)["orders"]
    _check_size(len(raw), max_rows)
    good = [(index, row) for index, row in enumerate(raw) if index not in by_row]
    try:
        parsed = _ROWS.validate_python([row for _, row in good])
        rows = [(index, row) for (index, _), row in zip(good, parsed, strict=True)]
    except ValidationError:
        # Python-mode validation refused what JSON mode let through: judge row by row.
        rows = []
        for index, row in good:
            try:
                rows.append((index, _ROW.validate_python(row)))
            except ValidationError as row_exc:
                by_row[index] = [
                    (".".join(str(p) for p in e["loc"]) or "(row)", _plain(e["msg"]))
                    for e in row_exc.errors(include_url=False, include_input=False)
                ]
    refused = [(index, _parse_problem(errors)) for index, errors in sorted(by_row.items())]
    return ReportOrders(platform_uscc, rows, refused, len(raw))


def _check_size(rows: int, max_rows: int) -> None:
    if rows > max_rows:
        raise ContentTooLarge(f"a batch holds at most {max_rows} rows, not {rows}")


def _envelope_problem(exc: ValidationError) -> RuleViolation:
    errors = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        if error["type"] == "json_invalid":
            return RuleViolation("The request body is not valid JSON.", code="validation-failed")
        field = ".".join(str(part) for part in error["loc"]) or None
        errors.append({"field": field, "message": _plain(error["msg"])})
    return RuleViolation(
        "The batch must be an object with a non-empty `orders` list.",
        code="validation-failed",
        extra={"errors": errors[:20]},
    )


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ")


def _parse_problem(errors: list[tuple[str, str]]) -> RowProblem:
    fields = list(dict.fromkeys(field for field, _ in errors))
    return RowProblem(
        "validation-failed",
        422,
        "Invalid value for " + ", ".join(fields) + ".",
        fields[0],
        tuple(errors),
    )


def _order_ids(cmd: ReportOrders) -> dict[int, str]:
    return {index: report.order_id for index, report in cmd.rows}


def _row_error(index: int, order_id: str | None, problem: RowProblem) -> dict[str, Any]:
    errors = problem.errors
    if not errors and problem.field is not None:
        errors = ((problem.field, problem.detail),)
    return {
        "index": index,
        "order_id": order_id,
        "type": "urn:suxin:problem:" + problem.slug,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "errors": [{"field": field, "message": message} for field, message in errors],
    }


@router.get(
    "/platforms/{uscc}/orders",
    response_model=Page[OrderOut],
    dependencies=[
        Depends(require_roles(Role.PLATFORM, Role.HRSS_STAFF)),
        Depends(platform_scopes(ORDERS_READ)),
    ],
)
async def list_orders(
    uscc: PlatformUscc,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
    limit: Annotated[int, Depends(page_size(100))],
    worker_id: Annotated[str | None, Query(pattern=PLAIN_ID)] = None,
    status: OrderStatus | None = None,
    cursor: str | None = None,
):
    """A platform's orders by order id (the platform itself or HRSS staff)."""
    platform = await visible_platform(deps, principal, uscc)
    query = (
        select(orders)
        .where(orders.c.platform_uscc == platform.uscc)
        .order_by(orders.c.order_id)
        .limit(limit + 1)
    )
    if worker_id is not None:
        query = query.where(orders.c.worker_id == worker_id)
    if status is not None:
        query = query.where(orders.c.status == status.value)
    if cursor is not None:
        after = decode_cursor(cursor).get("after")
        if not isinstance(after, str):
            raise RuleViolation("The cursor is invalid.", field="cursor")
        query = query.where(orders.c.order_id > after)
    async with deps.sessions() as session:
        rows = (await session.execute(query)).all()
    items = [OrderOut.model_validate(r._mapping, from_attributes=False) for r in rows[:limit]]
    if principal.has_role(Role.HRSS_STAFF):  # a platform reading its own orders discloses nothing
        await reads.audited(
            deps,
            principal,
            object_type="gig_order",
            object_ids=[f"{platform.uscc}/{i.order_id}" for i in items],
            purpose="platform orders",
        )
    next_cursor = encode_cursor({"after": items[-1].order_id}) if len(rows) > limit else None
    return Page[OrderOut](items=items, next_cursor=next_cursor)
