"""Staff workbench (人社经办工作台, port 8109): the web pages district staff work in.

A backend for frontend (docs/workbench.md): server-rendered Chinese pages, no script, every
asset served here. Staff sign in with OpenID Connect (``api/signin.py``); the work queues
(``api/queues.py``), the object pages (``api/objects.py``, ``api/profiles.py``) and the
decisions (``api/decisions.py``) call the owning services' HTTP APIs with the staff member's
own token. It owns one table (signed-in sessions), subscribes to nothing, publishes nothing.
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from staff_workbench.api import decisions, objects, profiles, queues, signin
from staff_workbench.backends import Backends
from staff_workbench.settings import Settings
from staff_workbench.web import HERE, PageSecurityHeaders, install_handlers
from suxin_common.service import Runtime, build_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    async def started(runtime: Runtime) -> None:
        backends = Backends(settings)
        app.state.backends = backends

        async def close_on_stop() -> None:
            await runtime.stop.wait()
            await backends.close()

        runtime.tasks.append(asyncio.create_task(close_on_stop()))

    app = build_service_app(
        settings,
        title="Suxin staff workbench (人社经办工作台)",
        description="Pages for HRSS staff: work queues, object pages, decisions (maker-checker).",
        routers=[signin.router, queues.router, objects.router, profiles.router, decisions.router],
        on_started=started,
    )
    app.state.oauth = signin.make_oauth(settings)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_handlers(app)
    # Only the login's transient state (state, nonce, PKCE verifier, where to go next) lives
    # in this signed cookie, for ten minutes; the session itself is server-side.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie="wb_login",
        max_age=600,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(PageSecurityHeaders, issuer=settings.oidc_issuer)
    return app
