"""What `build_service_app` installs for security, in one call."""

from __future__ import annotations

from fastapi import FastAPI

from suxin_common.privacy import install_log_masking
from suxin_common.security.audit import audit_router
from suxin_common.security.denied import DeniedAttemptAuditMiddleware
from suxin_common.security.idempotency import IdempotencyMiddleware
from suxin_common.security.limits import BodySizeLimitMiddleware, RateLimitMiddleware
from suxin_common.settings import ServiceSettings


def install_security(app: FastAPI, settings: ServiceSettings) -> None:
    """Abuse limits, Idempotency-Key handling, refused attempts audited, the auditor API and
    log masking.

    Call before adding the edge layer (`web_edge.EdgeMiddleware`), so that it stays outermost
    and the 413/429 answers carry a request id. Order inside (outer to inner): body size, rate
    limit, idempotency, the audit of refused attempts (after the rate limit: a flood is cut
    before it reaches the audit), the app.
    """
    install_log_masking()
    app.add_middleware(DeniedAttemptAuditMiddleware)
    app.add_middleware(IdempotencyMiddleware, ttl_s=settings.idempotency_ttl_s)
    if settings.rate_limiting:
        app.add_middleware(
            RateLimitMiddleware,
            rate=settings.rate_limit_per_s,
            burst=settings.rate_limit_burst,
            shared=settings.rate_limit_shared,
        )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_request_body_bytes,
        streamed_paths=settings.streamed_upload_paths,
        streamed_max_bytes=settings.max_streamed_upload_bytes,
    )
    app.include_router(audit_router())
