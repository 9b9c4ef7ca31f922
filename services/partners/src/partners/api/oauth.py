"""The OAuth 2.0 token endpoint (client credentials), the JWKS services verify partner tokens
with, and the authorization-server metadata (RFC 8414)."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from partners import oauth
from partners.adapters import keys as signing
from partners.api.deps import Deps
from partners.domain.model import GRANTABLE_SCOPES, GrantError
from suxin_common.security import audit

router = APIRouter(tags=["OAuth 2.0 (令牌)"])

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_FIELDS = (
    "grant_type",
    "scope",
    "client_id",
    "client_secret",
    "client_assertion_type",
    "client_assertion",
)


def _error(exc: GrantError, basic: bool) -> JSONResponse:
    headers = dict(_NO_STORE)
    if exc.status == 401 and basic:
        headers["WWW-Authenticate"] = 'Basic realm="suxin"'
    return JSONResponse(
        {"error": exc.error, "error_description": exc.description},
        status_code=exc.status,
        headers=headers,
    )


@router.post(
    "/oauth2/token",
    summary="Get an access token (client credentials) / 获取访问令牌",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type"],
                        "properties": {
                            "grant_type": {
                                "type": "string",
                                "enum": ["client_credentials"],
                                "description": "授权类型 / grant type",
                            },
                            "scope": {
                                "type": "string",
                                "description": "申请的权限，空格分隔 / space-separated scopes",
                            },
                            "client_assertion_type": {
                                "type": "string",
                                "description": oauth.ASSERTION_TYPE,
                            },
                            "client_assertion": {
                                "type": "string",
                                "description": "客户端签名的 JWT (private_key_jwt, RFC 7523)",
                            },
                            "client_id": {"type": "string", "description": "客户端标识"},
                            "client_secret": {
                                "type": "string",
                                "description": "客户端密钥 (client_secret_post only)",
                            },
                        },
                    },
                    "example": {
                        "grant_type": "client_credentials",
                        "scope": "orders:write workers:write",
                        "client_assertion_type": oauth.ASSERTION_TYPE,
                        "client_assertion": "eyJhbGciOiJFUzI1NiIsImtpZCI6InBsYXRmb3JtLWtleS0xIn0.…",
                    },
                }
            },
        }
    },
)
async def token(request: Request, deps: Deps) -> JSONResponse:
    """RFC 6749 §4.4 client-credentials grant. Errors follow RFC 6749 §5.2 (`error`,
    `error_description`), not problem+json, as OAuth clients expect."""
    authorization = request.headers.get("authorization")
    basic = bool(authorization and authorization.lower().startswith("basic "))
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return _error(
            GrantError(
                "invalid_request", "Send the parameters as application/x-www-form-urlencoded."
            ),
            basic,
        )
    try:
        raw = (await request.body()).decode("utf-8")
        form = parse_qs(raw, keep_blank_values=True, strict_parsing=bool(raw), max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        return _error(GrantError("invalid_request", "The form body is malformed."), basic)
    repeated = sorted(k for k, v in form.items() if len(v) > 1)
    if repeated:
        return _error(
            GrantError("invalid_request", "Parameters sent more than once: " + ", ".join(repeated)),
            basic,
        )
    values = {k: (form[k][0] if k in form else None) for k in _FIELDS}
    request_ = oauth.TokenRequest(authorization=authorization, **values)
    try:
        async with deps.uow() as uow:
            issued = await oauth.issue_token(
                uow.session,
                request_,
                deps.settings,
                deps.personal_data.cipher,
                deps.client_keys,
            )
            await audit.record(
                uow,
                None,
                actor=f"client:{issued.client_id}",
                action="oauth.token_issued",
                object_type="partner_client",
                object_id=issued.client_id,
                details={"scope": issued.scope, "expires_in": issued.expires_in},
            )
            await uow.commit()
    except GrantError as exc:
        return _error(exc, basic)
    return JSONResponse(
        {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "scope": issued.scope,
        },
        headers=_NO_STORE,
    )


@router.get("/.well-known/jwks.json", summary="Public keys of partner tokens / 令牌公钥")
async def jwks(deps: Deps) -> JSONResponse:
    """The keys services verify partner access tokens with (AUTH_JWKS_URL points here)."""
    async with deps.uow() as uow:
        await signing.active_key(uow.session, deps.personal_data.cipher)
        document = await signing.jwks(uow.session)
        await uow.commit()
    return JSONResponse(document, headers={"Cache-Control": "public, max-age=300"})


@router.get(
    "/.well-known/oauth-authorization-server",
    summary="Authorization server metadata (RFC 8414) / 授权服务器元数据",
)
async def metadata(request: Request, deps: Deps) -> dict:
    token_url = deps.settings.token_endpoint_url
    base = token_url.rsplit("/oauth2/token", 1)[0]
    scopes = sorted(set().union(*GRANTABLE_SCOPES.values()))
    return {
        "issuer": deps.settings.auth_issuer,
        "token_endpoint": token_url,
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": [
            "private_key_jwt",
            "client_secret_basic",
            "client_secret_post",
        ],
        "token_endpoint_auth_signing_alg_values_supported": oauth.ASSERTION_ALGORITHMS,
        "scopes_supported": scopes,
        "response_types_supported": [],
    }
