"""Development OpenID provider (开发用统一身份认证): authorization code flow with PKCE.

Serves what a relying party needs and nothing more: discovery
(``/.well-known/openid-configuration``), the JWKS, a Chinese login form at ``/authorize``, the
token endpoint and the end-session endpoint. Clients are public (no secret) and must use PKCE
(S256); codes live 60 s in memory and work once. Tokens are ES256 JWTs signed with a key made at
start-up (the services refetch the JWKS on an unknown ``kid``):

- the ID token for the client (``aud`` = client id, ``nonce``, ``name``);
- an access token for the Suxin services (``aud`` = ``suxin``, ``roles`` and ``tenant.district``
  as ``suxin_common.auth`` reads them). A real IdP maps its users' attributes onto the same
  two claims (docs/workbench.md).

Run: ``python -m uvicorn --factory suxin_devkit.oidc.provider:create_app --port 8110``; the dev
stack starts it. Configuration (environment): ``OIDC_DEV_ISSUER`` (its own public URL),
``OIDC_DEV_CLIENTS`` (``client_id=redirect_uri[ redirect_uri...]``, several separated by ``;``),
``OIDC_DEV_AUDIENCE``, ``OIDC_DEV_TOKEN_TTL_S``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from joserfc import jwt
from joserfc.jwk import ECKey

from suxin_devkit.oidc.staff import DEMO_PASSWORD, DEMO_STAFF, DemoStaff

DEFAULT_ISSUER = "http://127.0.0.1:8110"
DEFAULT_CLIENTS = "staff-workbench=http://127.0.0.1:8109/auth/callback"
CODE_TTL_S = 60.0
AUTHORIZE_PARAMS = ("client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge")


@dataclass
class Grant:
    staff: DemoStaff
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str
    expires: float


@dataclass
class ProviderConfig:
    issuer: str = DEFAULT_ISSUER
    clients: dict[str, tuple[str, ...]] = field(default_factory=dict)
    audience: str = "suxin"
    token_ttl_s: int = 1800

    @classmethod
    def from_env(cls) -> ProviderConfig:
        return cls(
            issuer=os.environ.get("OIDC_DEV_ISSUER", DEFAULT_ISSUER).rstrip("/"),
            clients=parse_clients(os.environ.get("OIDC_DEV_CLIENTS", DEFAULT_CLIENTS)),
            audience=os.environ.get("OIDC_DEV_AUDIENCE", "suxin"),
            token_ttl_s=int(os.environ.get("OIDC_DEV_TOKEN_TTL_S", "1800")),
        )


def parse_clients(spec: str) -> dict[str, tuple[str, ...]]:
    clients = {}
    for entry in spec.split(";"):
        if "=" in entry:
            client_id, uris = entry.split("=", 1)
            clients[client_id.strip()] = tuple(uris.split())
    return clients


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def create_app(config: ProviderConfig | None = None) -> FastAPI:
    config = config or ProviderConfig.from_env()
    key = ECKey.generate_key("P-256", auto_kid=True)
    grants: dict[str, Grant] = {}
    app = FastAPI(title="Suxin development OpenID provider", docs_url=None, redoc_url=None)
    app.state.config = config

    def sign(claims: dict) -> str:
        return jwt.encode({"alg": "ES256", "kid": key.kid, "typ": "JWT"}, claims, key)

    @app.get("/livez")
    async def livez() -> dict:
        return {"status": "ok"}

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> dict:
        base = config.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks.json",
            "end_session_endpoint": f"{base}/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile"],
            "claims_supported": ["sub", "name", "preferred_username", "roles", "tenant"],
        }

    @app.get("/jwks.json")
    async def jwks() -> dict:
        return {"keys": [{**key.as_dict(private=False), "use": "sig", "alg": "ES256"}]}

    def client_error(message: str) -> HTMLResponse:
        # A bad client_id or redirect_uri is never redirected to (RFC 6749 §4.1.2.1).
        return HTMLResponse(_page("无法登录", f"<p>{html.escape(message)}</p>"), status_code=400)

    def check_request(params: dict[str, str]) -> str | None:
        uris = config.clients.get(params.get("client_id", ""))
        if uris is None:
            return "未知的客户端 (client_id)。"
        if params.get("redirect_uri") not in uris:
            return "回调地址 (redirect_uri) 未登记。"
        return None

    def redirect_error(params: dict[str, str], error: str) -> RedirectResponse:
        query = {"error": error, "state": params.get("state", "")}
        return RedirectResponse(f"{params['redirect_uri']}?{urlencode(query)}", status_code=303)

    def login_form(params: dict[str, str], error: str = "", status: int = 200) -> HTMLResponse:
        hidden = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(params.get(k, ""))}">'
            for k in AUTHORIZE_PARAMS
        )
        accounts = "".join(
            f"<li><code>{s.username}</code> {html.escape(s.name)}（{html.escape(s.title)}）</li>"
            for s in DEMO_STAFF.values()
        )
        alert = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
        body = (
            f"{alert}<form method="
            f'"post" action="/authorize">{hidden}'
            '<label for="username">用户名</label>'
            '<input id="username" name="username" autocomplete="username" required>'
            '<label for="password">密码</label>'
            '<input id="password" name="password" type="password" '
            'autocomplete="current-password" required>'
            '<button type="submit">登录</button></form>'
            f"<h2>开发环境演示账号（密码 <code>{DEMO_PASSWORD}</code>）</h2><ul>{accounts}</ul>"
        )
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(params.get("redirect_uri", "")))
        return HTMLResponse(
            _page("人社工作人员登录", body),
            status_code=status,
            # Chrome applies form-action to the redirect after the post too.
            headers={"Content-Security-Policy": _csp(f"'self' {origin}")},
        )

    @app.get("/authorize")
    async def authorize(request: Request) -> Response:
        params = dict(request.query_params)
        problem = check_request(params)
        if problem:
            return client_error(problem)
        if params.get("response_type") != "code":
            return redirect_error(params, "unsupported_response_type")
        if "openid" not in params.get("scope", "").split():
            return redirect_error(params, "invalid_scope")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return redirect_error(params, "invalid_request")
        return login_form(params)

    @app.post("/authorize")
    async def sign_in(request: Request) -> Response:
        form = await request.form()
        params = {k: str(form.get(k, "")) for k in AUTHORIZE_PARAMS}
        problem = check_request(params)
        if problem or not params["code_challenge"]:
            return client_error(problem or "缺少 code_challenge。")
        staff = DEMO_STAFF.get(str(form.get("username", "")).strip())
        password = str(form.get("password", ""))
        if staff is None or not secrets.compare_digest(password, DEMO_PASSWORD):
            return login_form(params, "用户名或密码不正确。", status=401)
        code = secrets.token_urlsafe(32)
        now = time.monotonic()
        for stale in [c for c, g in grants.items() if g.expires < now]:
            del grants[stale]
        grants[code] = Grant(
            staff=staff,
            client_id=params["client_id"],
            redirect_uri=params["redirect_uri"],
            nonce=params["nonce"] or None,
            code_challenge=params["code_challenge"],
            expires=now + CODE_TTL_S,
        )
        query = {"code": code, "state": params["state"], "iss": config.issuer}
        return RedirectResponse(f"{params['redirect_uri']}?{urlencode(query)}", status_code=303)

    def token_error(error: str, description: str) -> JSONResponse:
        return JSONResponse(
            {"error": error, "error_description": description},
            status_code=400,
            headers={"Cache-Control": "no-store"},
        )

    @app.post("/token")
    async def token(request: Request) -> Response:
        form = await request.form()
        if form.get("grant_type") != "authorization_code":
            return token_error("unsupported_grant_type", "authorization_code only")
        grant = grants.pop(str(form.get("code", "")), None)
        if grant is None or grant.expires < time.monotonic():
            return token_error("invalid_grant", "unknown, used or expired code")
        if form.get("client_id") != grant.client_id or form.get("redirect_uri") != (
            grant.redirect_uri
        ):
            return token_error("invalid_grant", "client_id or redirect_uri do not match")
        verifier = str(form.get("code_verifier", ""))
        if not verifier or not secrets.compare_digest(s256(verifier), grant.code_challenge):
            return token_error("invalid_grant", "PKCE verification failed")
        now = int(time.time())
        person = grant.staff.claims()
        common = {"iss": config.issuer, "iat": now, "exp": now + config.token_ttl_s}
        access = sign(
            {
                **common,
                "aud": config.audience,
                "sub": person["sub"],
                "client_id": grant.client_id,
                "roles": person["roles"],
                "tenant": person["tenant"],
                "name": person["name"],
            }
        )
        id_claims = {**common, **person, "aud": grant.client_id, "auth_time": now}
        if grant.nonce:
            id_claims["nonce"] = grant.nonce
        return JSONResponse(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": config.token_ttl_s,
                "id_token": sign(id_claims),
                "scope": "openid profile",
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    @app.get("/logout")
    async def logout(request: Request) -> Response:
        target = request.query_params.get("post_logout_redirect_uri", "")
        allowed = {
            "{0.scheme}://{0.netloc}/".format(urlsplit(uri))
            for uris in config.clients.values()
            for uri in uris
        }
        if target in allowed:
            return RedirectResponse(target, status_code=303)
        return HTMLResponse(_page("已退出", "<p>您已退出登录。</p>"))

    @app.get("/login.css")
    async def stylesheet() -> Response:
        return Response(_CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    return app


def _csp(form_action: str = "'self'") -> str:
    return (
        "default-src 'none'; style-src 'self'; form-action "
        f"{form_action}; frame-ancestors 'none'; base-uri 'none'"
    )


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title}</title><link rel="stylesheet" href="/login.css"></head>'
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )


_CSS = (
    'body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0}\n'
    "body{background:#f3f5f8;color:#1a1a1a}\n"
    "main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}\n"
    "h1{font-size:1.4rem}h2{font-size:1rem;margin-top:2rem}\n"
    "label{display:block;margin-top:1rem;font-weight:600}\n"
    "input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem}\n"
    "input{border:1px solid #555;border-radius:4px}\n"
    "button{margin-top:1.2rem;width:100%;padding:.7rem;font-size:1rem}\n"
    "button{background:#0b5cad;color:#fff;border:0;border-radius:4px}\n"
    ".error{color:#a40000;font-weight:600}code{background:#eef;padding:0 .2rem}\n"
)
