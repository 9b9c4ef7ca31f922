"""Pages plumbing: templates, the signed-in staff member, CSRF, security headers."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.middleware.base import BaseHTTPMiddleware

from staff_workbench.adapters import sessions
from staff_workbench.adapters.sessions import StaffSession
from staff_workbench.backends import BackendError, Backends, SessionExpired
from staff_workbench.domain.queues import fen
from suxin_common.codes import name_of

SESSION_COOKIE = "wb_session"
HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["fen"] = fen
templates.env.filters["region"] = lambda code: (name_of("regions", code) or code) if code else "—"


class SignInRequired(Exception):
    """Raised by a page whose visitor has no (valid) session; answered with a redirect."""

    def __init__(self, next_path: str = "/") -> None:
        self.next_path = next_path


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member of this request, with the cookie token of the session."""

    session: StaffSession
    cookie: str

    @property
    def token(self) -> str:
        return self.session.access_token

    @property
    def subject(self) -> str:
        return self.session.subject

    @property
    def level(self) -> str:
        d = self.session.district
        if not d or len(d) <= 2:
            return "省级"
        return "市级" if len(d) <= 4 else "区县级"


async def current_staff(request: Request) -> Staff:
    cookie = request.cookies.get(SESSION_COOKIE)
    runtime = request.app.state.runtime
    if cookie and runtime is not None:
        async with runtime.sessions() as db:
            found = await sessions.find(db, runtime.personal_data.cipher, cookie)
        if found is not None:
            return Staff(found, cookie)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise SignInRequired(path if request.method == "GET" else "/")


CurrentStaff = Annotated[Staff, Depends(current_staff)]


def backends(request: Request) -> Backends:
    return request.app.state.backends


def check_csrf(staff: Staff, submitted: str | None) -> None:
    if not submitted or not secrets.compare_digest(submitted, staff.session.csrf):
        raise BackendError(403, "表单已失效，请刷新页面后重试。", "csrf")


def render(request: Request, template: str, staff: Staff | None, status_code: int = 200, **context):
    return templates.TemplateResponse(
        request,
        template,
        {"staff": staff, "flash": request.query_params.get("msg"), **context},
        status_code=status_code,
    )


def see_other(path: str, message: str | None = None) -> RedirectResponse:
    target = path if not message else f"{path}{'&' if '?' in path else '?'}msg={quote(message)}"
    return RedirectResponse(target, status_code=303)


def safe_next(path: str | None) -> str:
    """Only a local path: an open redirect would send staff to a look-alike site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def install_handlers(app) -> None:
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(safe_next(exc.next_path))}", status_code=303)

    async def expired(request: Request, exc: SessionExpired) -> Response:
        response = RedirectResponse("/login?expired=1", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    async def refused(request: Request, exc: BackendError) -> Response:
        status = exc.status if exc.status in (403, 404, 409, 422) else 502
        title = {403: "无权操作", 404: "未找到", 409: "状态已变化", 422: "输入有误"}.get(
            status, "服务暂不可用"
        )
        return render(
            request, "error.html", None, status_code=status, title=title, detail=exc.detail
        )

    app.add_exception_handler(SignInRequired, sign_in)
    app.add_exception_handler(SessionExpired, expired)
    app.add_exception_handler(BackendError, refused)


class PageSecurityHeaders(BaseHTTPMiddleware):
    """A strict Content-Security-Policy on every page: nothing but the workbench's own
    stylesheet, no script at all, forms post only to the workbench (and, for signing out,
    to the identity provider)."""

    def __init__(self, app, issuer: str) -> None:
        super().__init__(app)
        parts = urlsplit(issuer)
        self.csp = (
            "default-src 'none'; style-src 'self'; img-src 'self'; "
            f"form-action 'self' {parts.scheme}://{parts.netloc}; "
            "frame-ancestors 'none'; base-uri 'none'"
        )

    async def dispatch(self, request: Request, call_next):
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith("text/html") and not (
            request.url.path.startswith(("/docs", "/redoc"))
        ):
            response.headers["Content-Security-Policy"] = self.csp
            response.headers["X-Content-Type-Options"] = "nosniff"
            response.headers["Referrer-Policy"] = "same-origin"
            response.headers["Cache-Control"] = "no-store"
        return response


__all__ = ["HTMLResponse", "CurrentStaff", "Staff", "render", "see_other", "check_csrf"]
