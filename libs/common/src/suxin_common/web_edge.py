"""The service's edge conventions in one pure-ASGI layer: request id, language, docs policy.

:class:`EdgeMiddleware` does, with one ``send`` wrapper and one pass over the response headers:
the request id (the caller's ``X-Request-ID`` when `web.acceptable_request_id` allows, else a
new one) in ``request.state.request_id`` and :data:`~suxin_common.web.current_request_id`,
echoed on the response; the language from ``Accept-Language`` (`i18n.negotiate`) in
:data:`~suxin_common.i18n.current_language` for the request, answered with
``Content-Language``; the docs' Content-Security-Policy on /docs and /redoc only. It replaced
three single-purpose layers, each with its own coroutine frame and header rewrite (py-spy,
issue 21), and is the only one: apps and tests that want any of the three add this.
"""

from __future__ import annotations

import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suxin_common.apidocs import DOC_PAGES, DOCS_CSP
from suxin_common.i18n import CONTENT_LANGUAGE, current_language, negotiate
from suxin_common.web import acceptable_request_id, current_request_id

_REQUEST_ID = b"x-request-id"
_CONTENT_LANGUAGE = b"content-language"
_CSP = b"content-security-policy"
_DOCS_CSP = DOCS_CSP.encode()
_LANGUAGE_VALUE = {k: v.encode("latin-1") for k, v in CONTENT_LANGUAGE.items()}


class EdgeMiddleware:
    """Request id, language and the docs' policy (module doc); streaming passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = accept = None
        for name, value in scope.get("headers", ()):
            if name == _REQUEST_ID and incoming is None:
                incoming = value.decode("latin-1")
            elif name == b"accept-language" and accept is None:
                accept = value.decode("latin-1")
        request_id = (
            incoming if incoming is not None and acceptable_request_id(incoming) else None
        ) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        current_request_id.set(request_id)
        language = negotiate(accept)
        token = current_language.set(language)
        ours = [
            (_CONTENT_LANGUAGE, _LANGUAGE_VALUE[language]),
            (_REQUEST_ID, request_id.encode("latin-1")),
        ]
        if scope.get("path") in DOC_PAGES:
            ours.append((_CSP, _DOCS_CSP))
        replaced = (_CONTENT_LANGUAGE, _REQUEST_ID)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", ())
                    if k.lower() not in replaced  # set, not added (as MutableHeaders did)
                ]
                headers += ours
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            current_language.reset(token)
