"""Staff sign-in with OpenID Connect (authorization code + PKCE), and sign-out.

The workbench is a relying party of the configured provider (``OIDC_ISSUER``): authlib fetches
its discovery document, sends the browser there with ``state``, ``nonce`` and an S256 code
challenge (kept in a short-lived signed cookie), exchanges the code and validates the ID token.
The access token is then verified exactly as the services will verify it (the kit's
``Authenticator``): only HRSS staff get in, and the session remembers their district. The
session itself stays on the server (``staff_sessions``); the browser holds a random cookie.
"""

from __future__ import annotations

from urllib.parse import urlencode

from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from staff_workbench.adapters import sessions
from staff_workbench.settings import Settings
from staff_workbench.web import SESSION_COOKIE, CurrentStaff, check_csrf, render, safe_next
from suxin_common.auth import Role
from suxin_common.web import Unauthenticated

router = APIRouter(include_in_schema=False)


def make_oauth(settings: Settings) -> OAuth:
    oauth = OAuth()
    oauth.register(
        "staff",
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": settings.oidc_scope,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": (
                "client_secret_basic" if settings.oidc_client_secret else "none"
            ),
            "trust_env": False,
        },
    )
    return oauth


@router.get("/login")
async def login_page(request: Request, next: str = "/", expired: bool = False) -> Response:
    return render(request, "login.html", None, next=safe_next(next), expired=expired, error=None)


@router.get("/auth/start")
async def start(request: Request, next: str = "/") -> Response:
    settings: Settings = request.app.state.settings
    request.session.clear()
    request.session["next"] = safe_next(next)
    client = request.app.state.oauth.create_client("staff")
    return await client.authorize_redirect(request, settings.redirect_uri)


@router.get("/auth/callback")
async def callback(request: Request) -> Response:
    app = request.app
    settings: Settings = app.state.settings
    client = app.state.oauth.create_client("staff")
    try:
        token = await client.authorize_access_token(request)
    except OAuthError as exc:
        return _refused(request, f"身份认证未完成：{exc.description or exc.error}")
    try:
        principal = await app.state.authenticator.authenticate(token["access_token"])
    except Unauthenticated as exc:
        return _refused(request, f"访问令牌无效：{exc}")
    if not principal.has_role(Role.HRSS_STAFF):
        return _refused(request, "该账号不是人社工作人员，不能使用工作台。", status=403)
    claims = token.get("userinfo") or {}
    expires_in = float(token.get("expires_in") or settings.session_ttl_s)
    district = principal.tenant.district or (
        principal.tenant.districts[0] if principal.tenant.districts else None
    )
    runtime = app.state.runtime
    async with runtime.sessions() as db:
        cookie = await sessions.create(
            db,
            runtime.personal_data.cipher,
            subject=principal.subject,
            name=str(claims.get("name") or claims.get("preferred_username") or principal.subject),
            district=district,
            roles=sorted(r.value for r in principal.roles),
            access_token=token["access_token"],
            id_token=token.get("id_token"),
            lifetime_s=min(expires_in, settings.session_ttl_s),
        )
        await db.commit()
    next_path = safe_next(request.session.pop("next", "/"))
    request.session.clear()
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=int(min(expires_in, settings.session_ttl_s)),
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        path="/",
    )
    return response


def _refused(request: Request, message: str, status: int = 401) -> Response:
    request.session.clear()
    return render(
        request, "login.html", None, status_code=status, next="/", expired=False, error=message
    )


@router.post("/logout")
async def logout(request: Request, staff: CurrentStaff, csrf: str = Form("")) -> Response:
    check_csrf(staff, csrf)
    settings: Settings = request.app.state.settings
    runtime = request.app.state.runtime
    async with runtime.sessions() as db:
        await sessions.delete(db, staff.cookie)
        await db.commit()
    target = "/login"
    client = request.app.state.oauth.create_client("staff")
    try:
        metadata = await client.load_server_metadata()
    except Exception:  # the provider is down: the local session is gone all the same
        metadata = {}
    end_session = metadata.get("end_session_endpoint")
    if end_session:
        query = {"post_logout_redirect_uri": settings.public_url.rstrip("/") + "/"}
        if staff.session.id_token:
            query["id_token_hint"] = staff.session.id_token
        target = f"{end_session}?{urlencode(query)}"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
