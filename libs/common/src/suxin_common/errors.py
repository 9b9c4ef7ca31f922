"""Domain errors: what a handler refuses, said in the domain's words, not HTTP's.

Handlers (the only place that changes state) raise these; they know nothing of status codes.
The kit's web layer (:func:`suxin_common.web.install_problem_handlers`) answers each as a
problem detail (RFC 9457): NotFound 404, Forbidden 403, Conflict 409, RuleViolation 422.

Every error carries a stable ``code`` (the problem's ``code`` member and the last part of its
``type``; messages are looked up by it) and, where one input is at fault, the ``field`` that
names it. ``extra`` adds members to the answer (e.g. ``{"current_status": "closed"}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """Base of the refusals a handler may raise. Subclasses fix the default ``code``."""

    code: str = "domain-error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        if code is not None:
            self.code = code
        self.field = field
        self.extra = dict(extra or {})


class NotFound(DomainError):
    """No such object, or not one the caller may know of (another tenant's answers the same)."""

    code = "not-found"


class Forbidden(DomainError):
    """The caller may not do this (and may know the object exists)."""

    code = "forbidden"


class Conflict(DomainError):
    """The object's current state refuses it (already done, changed meanwhile, a duplicate)."""

    code = "conflict"


class RuleViolation(DomainError):
    """The request is understood, but a business rule refuses its content; ``field`` names the
    input at fault."""

    code = "unprocessable"
