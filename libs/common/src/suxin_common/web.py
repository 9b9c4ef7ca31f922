"""The HTTP conventions every service shares.

- Errors are problem details (RFC 9457, `application/problem+json`) with `type` values
  `urn:suxin:problem:<slug>`; raise a `ProblemError` subclass from anywhere and
  `install_problem_handlers` turns it, request validation errors, HTTP errors and crashes into
  one shape. Validation problems name the failing fields but never echo their values, since a
  value may be a resident ID.
- Every request gets an `X-Request-ID` (`suxin_common.web_edge.EdgeMiddleware`; the rules for
  reusing the caller's are `acceptable_request_id`).
- `health_router` serves `/livez` (the process answers) and `/readyz` (its dependencies do).
- Cursor pagination: opaque `encode_cursor`/`decode_cursor` and the `Page[T]` response model;
  `page_size()` is the `limit` query parameter capped at `max_page_size`.
- `InputModel`: the base of every request body (unknown fields refused, strings stripped and
  bounded), so a body cannot set fields the caller may not (no mass assignment).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextvars
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from http import HTTPStatus
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from suxin_common import errors, messages
from suxin_common.db import database_unreachable
from suxin_common.i18n import current_language
from suxin_common.privacy import mask_personal_data

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:suxin:problem:"
REQUEST_ID_HEADER = "X-Request-ID"
_RESERVED_MEMBERS = frozenset({"type", "title", "status", "detail", "instance", "code"})
# Problem titles are shown to people: Chinese unless the request asked for English
# (suxin_common.i18n); the machine-readable `code` (the type's slug) is the same in both.
PROBLEM_TITLES_ZH = messages.TITLES_ZH  # titles and details: suxin_common.messages
# The current request's id, for code far from the request (audit entries, log records).
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "suxin_request_id", default=None
)


# --- problems -----------------------------------------------------------------------------


class ProblemError(Exception):
    """An error the client should see as a problem detail. Subclasses fix status and slug.

    `extra` adds extension members (e.g. `{"hire_id": ...}`); `headers` go on the response.
    """

    status: int = 500
    title: str = "Internal Server Error"
    slug: str = "internal-error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        slug: str | None = None,
        title: str | None = None,
        status: int | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title or self.title)
        self.detail = detail
        # Instance attributes shadow the class defaults only when given.
        if slug is not None:
            self.slug = slug
        if title is not None:
            self.title = title
        if status is not None:
            self.status = status
        clash = _RESERVED_MEMBERS.intersection(extra or {})
        if clash:
            raise ValueError(f"extension members may not redefine {sorted(clash)}")
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    @property
    def type(self) -> str:
        return PROBLEM_TYPE_PREFIX + self.slug

    def body(self) -> dict[str, Any]:
        # Chinese unless the request asked for English: the catalogue renders by code.
        language = current_language.get()
        problem: dict[str, Any] = {
            "type": self.type,
            "title": messages.title(self.slug, self.title, language),
            "status": self.status,
            "code": self.slug,
        }
        detail = messages.detail(self.slug, self.detail, language)
        if detail:
            problem["detail"] = detail
        return problem | _said(self.extra, self.detail, detail)


def _said(extra: dict[str, Any], raised: str | None, shown: str | None) -> dict[str, Any]:
    """An `errors` entry that repeats the raised detail repeats it as shown."""
    errors = extra.get("errors")
    if not raised or shown == raised or not isinstance(errors, list):
        return extra
    same = [isinstance(e, dict) and e.get("message") == raised for e in errors]
    if not any(same):
        return extra
    said = [e | {"message": shown} if s else e for e, s in zip(errors, same, strict=True)]
    return extra | {"errors": said}


class NotFound(ProblemError):
    status = 404
    title = "Not Found"
    slug = "not-found"


class Conflict(ProblemError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class Forbidden(ProblemError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class Unauthenticated(ProblemError):
    status = 401
    title = "Unauthorized"
    slug = "unauthenticated"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, **kwargs)
        self.headers.setdefault("WWW-Authenticate", "Bearer")


class Unprocessable(ProblemError):
    """The request is well-formed but its content is invalid; `field` names the culprit."""

    status = 422
    title = "Unprocessable Content"
    slug = "unprocessable"

    def __init__(
        self, detail: str | None = None, *, field: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(detail, **kwargs)
        self.field = field
        if field is not None:
            self.extra.setdefault("errors", [{"field": field, "message": detail or self.title}])


class ServiceUnavailable(ProblemError):
    status = 503
    title = "Service Unavailable"
    slug = "service-unavailable"


_PROBLEMS_OF_DOMAIN_ERRORS: tuple[tuple[type[errors.DomainError], type[ProblemError]], ...] = (
    (errors.NotFound, NotFound),
    (errors.Forbidden, Forbidden),
    (errors.Conflict, Conflict),
    (errors.RuleViolation, Unprocessable),
)


def problem_response(problem: ProblemError, request: Request | None = None) -> JSONResponse:
    """Render a problem as an `application/problem+json` response."""
    headers = dict(problem.headers)
    request_id = _request_id_of(request)
    if request_id:
        # The 500 handler runs outside every middleware, so it sets the header itself.
        headers[REQUEST_ID_HEADER] = request_id
    # No `instance`: a path can itself hold personal data (/persons/{resident_id}).
    return JSONResponse(
        problem.body(),
        status_code=problem.status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error the app can raise answer as a problem detail."""
    app.add_exception_handler(ProblemError, _handle_problem)
    app.add_exception_handler(errors.DomainError, _handle_domain_error)
    app.add_exception_handler(RequestValidationError, _handle_request_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)
    app.add_exception_handler(Exception, _handle_unexpected)


async def _handle_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(exc, request)


def problem_of(error: errors.DomainError) -> ProblemError:
    """The problem detail that answers a handler's domain error (same code, field, members)."""
    kind: type[ProblemError] = ProblemError
    for domain, problem in _PROBLEMS_OF_DOMAIN_ERRORS:
        if isinstance(error, domain):
            kind = problem
            break
    extra = dict(error.extra)
    if kind is Unprocessable:
        return Unprocessable(error.detail, field=error.field, slug=error.code, extra=extra)
    if error.field is not None:
        extra.setdefault("errors", [{"field": error.field, "message": error.detail or kind.title}])
    return kind(error.detail, slug=error.code, extra=extra)


async def _handle_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.DomainError)
    return problem_response(problem_of(exc), request)


async def _handle_request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    raw_errors = exc.errors()
    errors = [_validation_error(error) for error in raw_errors]
    fields = list(dict.fromkeys(e["field"] for e in errors if e["field"]))
    json_invalid = any(error.get("type") == "json_invalid" for error in raw_errors)
    language = current_language.get()
    detail = messages.validation_detail(fields, json_invalid, language)
    problem = Unprocessable(detail, slug="validation-failed", extra={"errors": errors})
    return problem_response(problem, request)


def _validation_error(error: Mapping[str, Any]) -> dict[str, Any]:
    # Built from loc/msg and the limits in ctx only: `input` (and the rest of ctx) may hold
    # the submitted value.
    location, *path = error.get("loc") or ("body",)
    kind, language = str(error.get("type", "")), current_language.get()
    if kind == "json_invalid":
        # Its "path" is a character offset into the unparsable body, not a field.
        message = messages.validation_message(kind, "not valid JSON", None, language)
        return {"field": None, "location": str(location), "message": message}
    english = _plain_message(str(error.get("msg", "invalid value")))
    context = {k: _ENUM_REPR.sub(r"\1", str(v)) for k, v in (error.get("ctx") or {}).items()}
    return {
        "field": ".".join(str(part) for part in path) or None,
        "location": str(location),
        "message": messages.validation_message(kind, english, context, language),
    }


# pydantic words a Literal of enum members as their Python repr ("<PostStatus.OPEN: 'open'>");
# a client only ever sends and sees the value.
_ENUM_REPR = re.compile(r"<[A-Za-z_][\w.]*: ('[^']*'|\"[^\"]*\"|-?\d+)>")


def _plain_message(message: str) -> str:
    message = _ENUM_REPR.sub(r"\1", message)
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message.removeprefix(prefix)
    return message


async def _handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = _phrase(exc.status_code)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    problem = ProblemError(
        detail,
        status=exc.status_code,
        title=phrase,
        slug=re.sub(r"[^a-z0-9]+", "-", phrase.lower()).strip("-") or "error",
        headers=exc.headers,
    )
    return problem_response(problem, request)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# SQLSTATEs a request can cause (its data, not our code): the answer is a 4xx naming what is
# wrong, never the statement or its parameters.
_CLIENT_SQLSTATES: Mapping[str, tuple[int, str, str]] = {
    "22021": (422, "unstorable-text", "Text contains characters that cannot be stored (NUL)."),
    "22P05": (422, "unstorable-text", "Text contains characters that cannot be stored."),
    "22001": (422, "value-too-long", "A value is longer than allowed."),
    "22003": (422, "number-out-of-range", "A number is out of range."),
    "22007": (422, "invalid-date", "A date or time is invalid."),
    "22008": (422, "invalid-date", "A date or time is out of range."),
    "23502": (422, "missing-value", "A required value is missing."),
    "23503": (422, "unknown-reference", "The request refers to something that does not exist."),
    "23514": (422, "constraint-violated", "A value breaks a rule of the data."),
    "23505": (409, "conflict", "It exists already."),
    "23P01": (409, "conflict", "It overlaps with something that exists."),
}


def _client_caused(exc: BaseException) -> tuple[int, str, str] | None:
    """(status, slug, detail) when the error comes from the request's data, else None."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, UnicodeEncodeError):
            # A lone surrogate (e.g. "\ud800") cannot even be encoded for the database.
            return 422, "unstorable-text", "Text contains characters that cannot be stored."
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(state, str) and state in _CLIENT_SQLSTATES:
            return _CLIENT_SQLSTATES[state]
        cause = getattr(cause, "orig", None) or cause.__cause__ or cause.__context__
    return None


async def _handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    if database_unreachable(exc):
        logger.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc)
        return problem_response(
            ServiceUnavailable(
                "The service's database is unavailable; retry shortly.",
                headers={"Retry-After": "1"},
            ),
            request,
        )
    client_fault = _client_caused(exc)
    if client_fault is not None:
        status, slug, detail = client_fault
        logger.info(
            "refused %s %s: %s (%s)", request.method, request.url.path, slug, type(exc).__name__
        )
        title = "Conflict" if status == 409 else "Unprocessable Content"
        return problem_response(
            ProblemError(detail, status=status, slug=slug, title=title), request
        )
    # Method and path only: the query string and body may carry personal data.
    logger.error(
        "unhandled error on %s %s (request id %s)",
        request.method,
        request.url.path,
        _request_id_of(request),
        exc_info=exc,
    )
    problem = ProblemError("An unexpected error occurred; it has been logged.")
    return problem_response(problem, request)


# --- request ids --------------------------------------------------------------------------

# An incoming id is reused only if it is short and plain, so it is safe in logs, headers and
# the audit trail: at most 64 characters of [A-Za-z0-9._:-], and nothing shaped like a resident
# ID or a mobile number (a client could otherwise store personal data in every audit entry).
# Anything else is replaced by a fresh id, never echoed, logged or stored.
MAX_REQUEST_ID_LENGTH = 64
_ACCEPTABLE_REQUEST_ID = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_REQUEST_ID_LENGTH}}}")


def acceptable_request_id(candidate: str) -> bool:
    """Whether a client's request id may be reused as ours (see `_ACCEPTABLE_REQUEST_ID`)."""
    return (
        _ACCEPTABLE_REQUEST_ID.fullmatch(candidate) is not None
        and mask_personal_data(candidate) == candidate
    )


def _request_id_of(request: Request | None) -> str | None:
    if request is None:
        return None
    return request.scope.get("state", {}).get("request_id")


# --- health -------------------------------------------------------------------------------

HealthCheck = Callable[[], Awaitable[None]]


def health_router(checks: Mapping[str, HealthCheck], *, timeout_s: float = 2.0) -> APIRouter:
    """`/livez` answers while the process runs; `/readyz` also runs every check (e.g. the
    database and NATS), each within `timeout_s`, and answers 503 naming those that failed."""
    router = APIRouter(tags=["health"])

    @router.get("/livez")
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", response_model=None)
    async def readyz(request: Request) -> dict[str, Any] | JSONResponse:
        names = list(checks)
        outcomes = await asyncio.gather(*(_run_check(n, checks[n], timeout_s) for n in names))
        results = dict(zip(names, outcomes, strict=True))
        failed = [name for name, outcome in results.items() if outcome != "ok"]
        if not failed:
            return {"status": "ok", "checks": results}
        problem = ServiceUnavailable(
            "Not ready: " + ", ".join(failed) + ".",
            slug="not-ready",
            extra={"checks": results},
        )
        return problem_response(problem, request)

    return router


async def _run_check(name: str, check: HealthCheck, timeout_s: float) -> str:
    try:
        await asyncio.wait_for(check(), timeout_s)
    except TimeoutError:
        logger.warning("readiness check %s timed out after %.1f s", name, timeout_s)
        return "timeout"
    except Exception:
        # Logged, not returned: messages can include connection strings.
        logger.warning("readiness check %s failed", name, exc_info=True)
        return "failed"
    return "ok"


# --- pagination ---------------------------------------------------------------------------

T = TypeVar("T")
_MAX_CURSOR_LENGTH = 2048


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` back as `cursor` to get the next one."""

    items: list[T]
    next_cursor: str | None = None


def encode_cursor(position: Mapping[str, Any]) -> str:
    """An opaque cursor for a keyset position (JSON-serialisable values only).

    Not signed: a client can forge one, so queries must still apply the caller's access rules.
    """
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """The position in a cursor from `encode_cursor`; a damaged one is a 422 on `cursor`."""
    try:
        if len(cursor) > _MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        position = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Unprocessable("The cursor is invalid.", field="cursor") from None
    if not isinstance(position, dict):
        raise Unprocessable("The cursor is invalid.", field="cursor")
    return position


DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def page_size(default: int = DEFAULT_PAGE_SIZE, maximum: int | None = None):
    """A dependency for a list endpoint's `limit`: 1..maximum (the app's `max_page_size`
    setting unless given); a larger value is a 422 naming `limit`, not a silent cut, so a
    client never mistakes a capped page for the whole list::

        async def list_cases(limit: Annotated[int, Depends(page_size())]): ...
    """

    async def limit_dependency(
        request: Request,
        limit: int = Query(default, ge=1, description="page size"),
    ) -> int:
        settings = getattr(request.app.state, "settings", None)
        cap = maximum or getattr(settings, "max_page_size", None) or MAX_PAGE_SIZE
        if limit > cap:
            raise Unprocessable(f"limit may be at most {cap}.", field="limit")
        return limit

    return limit_dependency


# --- input models -------------------------------------------------------------------------

MAX_STRING_LENGTH = 1000


class InputModel(BaseModel):
    """Base of request bodies: unknown fields are refused (a body carrying `status` or
    `amount` the model does not declare is a 422), strings are stripped of surrounding
    whitespace and at most `MAX_STRING_LENGTH` characters unless a field says otherwise."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        str_max_length=MAX_STRING_LENGTH,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any, info: ValidationInfo) -> Any:
        """PostgreSQL stores no NUL character and no lone surrogate: refused here, by name."""
        if _unstorable(value):
            raise ValueError(
                "text contains a character that cannot be stored (NUL or a lone surrogate)"
            )
        return value


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable(value: Any, depth: int = 0) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if depth > 4:
        return False
    if isinstance(value, list | tuple | set | frozenset):
        return any(_unstorable(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(_unstorable(k, depth + 1) or _unstorable(v, depth + 1) for k, v in value.items())
    return False
