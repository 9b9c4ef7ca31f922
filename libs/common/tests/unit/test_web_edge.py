"""EdgeMiddleware: the docs' policy on the docs pages only, and its headers set, not doubled."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from httpx import ASGITransport, AsyncClient

from suxin_common.apidocs import DOCS_CSP
from suxin_common.web_edge import EdgeMiddleware


def _app() -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None)
    app.add_middleware(EdgeMiddleware)

    @app.get("/docs")
    async def docs() -> dict[str, str]:
        return {"page": "docs"}

    @app.get("/plain")
    async def plain() -> JSONResponse:
        # a response that already carries the edge's headers gets them replaced, not doubled
        return JSONResponse({}, headers={"X-Request-ID": "stale", "Content-Language": "fr"})

    return app


async def test_policy_on_docs_only_and_headers_set_once() -> None:
    transport = ASGITransport(app=_app())
    async with AsyncClient(transport=transport, base_url="http://t") as client:
        docs = await client.get("/docs", headers={"X-Request-ID": "abc-1"})
        plain = await client.get("/plain", headers={"Accept-Language": "en"})
    assert docs.headers["content-security-policy"] == DOCS_CSP
    assert docs.headers["x-request-id"] == "abc-1"
    assert docs.headers["content-language"] == "zh-CN"
    assert "content-security-policy" not in plain.headers
    assert plain.headers.get_list("x-request-id") != ["stale"]
    assert len(plain.headers.get_list("x-request-id")) == 1
    assert plain.headers.get_list("content-language") == ["en"]
