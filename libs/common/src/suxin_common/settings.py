"""Typed settings shared by every service (standard names: DATABASE_URL, NATS_URL, OTEL_*).

Development defaults make `make run` work with no configuration; outside development the
defaults for secrets are refused, so a forgotten variable fails at start-up, not in production.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Development-only secrets. They are public (in the repository) and refused outside development.
DEV_PERSON_KEY_SECRET = "suxin-dev-person-key-secret-not-for-production"
DEV_FIELD_ENCRYPTION_KEYS = "dev1:ZGV2LW9ubHktZmllbGQta2V5LXN1eGluLTMyYnl0ZXM="
# Same value as suxin_common.security.audit.DEV_AUDIT_CHAIN_KEYS (kept here: no import cycle).
DEV_AUDIT_CHAIN_KEYS = "dev1:c3V4aW4tZGV2LWF1ZGl0LWNoYWluLWtleS0wMDAwMDAx"
DEV_JWT_SECRET = "suxin-dev-jwt-secret-do-not-use-outside-development"


class ServiceSettings(BaseSettings):
    """Settings of one service process. Each service subclasses this to add its own."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    environment: Literal["development", "test", "production"] = "development"
    service_name: str = "suxin"

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    db_pool_size: int = 10
    db_max_overflow: int = 10
    nats_url: str = "nats://127.0.0.1:4222"
    # The service's own NATS user (suxin_common.natsauth), unless the URL carries credentials.
    nats_user: str | None = None
    nats_password: str | None = None
    # JetStream stream settings; production raises replicas to 3 (ARCHITECTURE.md, "Events").
    stream_replicas: int = 1
    stream_duplicate_window_s: float = 3600.0

    # OpenTelemetry: OTEL_EXPORTER_OTLP_ENDPOINT enables OTLP export; otherwise spans stay local.
    otel_exporter_otlp_endpoint: str | None = None
    otel_service_name: str | None = None
    otel_sdk_disabled: bool = False

    # Auth: either a JWKS document (inline JSON or a file) or, in development/test only,
    # the shared HS256 development secret used by `suxin token`.
    auth_jwks: str | None = None
    auth_jwks_file: str | None = None
    auth_jwt_secret: str | None = DEV_JWT_SECRET
    auth_issuer: str = "suxin-dev"
    # Further issuers whose tokens are accepted (comma-separated), e.g. the staff identity
    # provider's URL: its access tokens carry its own `iss` (RFC 9068), signed with keys from
    # one of the AUTH_JWKS_URL documents.
    auth_extra_issuers: str | None = None
    auth_audience: str = "suxin"
    # JWKS fetched from the identity provider; cached, refetched after `auth_jwks_cache_s` and
    # on an unknown `kid` (at most every `auth_jwks_min_refresh_s`), so keys rotate without
    # downtime. Can be combined with AUTH_JWKS/AUTH_JWKS_FILE.
    auth_jwks_url: str | None = None
    auth_jwks_cache_s: float = 300.0
    auth_jwks_min_refresh_s: float = 10.0
    auth_jwks_timeout_s: float = 5.0
    # Tolerated clock drift between issuer and pods, and the longest lifetime (exp - iat) of a
    # JWKS-signed token: partner credentials must be short-lived.
    auth_leeway_s: int = 30
    auth_max_token_lifetime_s: int = 3600
    # Where `suxin token --client` keeps the development issuer's keys and JWKS file.
    auth_dev_issuer_dir: str | None = None

    # Abuse limits (suxin_common.security.limits): bodies larger than this answer 413; each
    # client (token subject, else IP) gets a token bucket of `rate_limit_burst` requests
    # refilled at `rate_limit_per_s`. In-process: every replica counts on its own. Unset,
    # rate limiting is on in production only (tests and benchmarks generate load on purpose);
    # RATE_LIMIT_ENABLED=true turns it on anywhere.
    max_request_body_bytes: int = 1_048_576
    # Routes (a path regex) that stream a large file to disk instead of reading it: they must
    # send Content-Length, up to `max_streamed_upload_bytes`, and are never buffered.
    streamed_upload_paths: str | None = None
    max_streamed_upload_bytes: int = 0
    rate_limit_enabled: bool | None = None
    rate_limit_per_s: float = 50.0
    rate_limit_burst: int = 100
    # Also count in the service database so the limit holds across replicas (one UPSERT per
    # request the in-process bucket allows; security/shared_limits.py).
    rate_limit_shared: bool = False
    # Idempotency-Key records are kept this long (suxin_common.security.idempotency).
    idempotency_ttl_s: float = 24 * 3600.0
    # Largest page a list endpoint returns (suxin_common.web.page_size).
    max_page_size: int = 200

    # Personal data: keyed hash for the pseudonymous person key; field-encryption keys as
    # "kid:base64key,kid2:base64key" (first one encrypts, all decrypt: rotation); an entry
    # "kid:sm4:base64key" selects SM4-GCM (GB/T 32907) for that key instead of AES-256-GCM.
    person_key_secret: str = DEV_PERSON_KEY_SECRET
    field_encryption_keys: str = DEV_FIELD_ENCRYPTION_KEYS
    # Audit chain HMAC keys (security/audit.py), "kid:base64key,..." (32+ bytes each): the first
    # signs, all verify. Held outside the database; refused at its default in production.
    audit_chain_keys: str = DEV_AUDIT_CHAIN_KEYS
    # Signed checkpoints of the audit chain's head to JetStream (security/audit_checkpoints.py).
    audit_checkpoint_interval_s: float = 60.0

    # Outbox relay.
    outbox_batch_size: int = 200
    outbox_poll_interval_s: float = 1.0
    outbox_lease_s: float = 30.0
    outbox_retention_s: float = 7 * 24 * 3600.0
    outbox_cleanup_interval_s: float = 300.0

    # Consumers.
    consumer_batch_size: int = 50
    # Commit a fetched batch in one transaction (per-message inbox rows); False: one by one.
    consumer_batch_commit: bool = True
    # Inbox rows (handled event ids) are kept this long, then pruned: far longer than any
    # redelivery or relay resend can arrive late (duplicate window, outages).
    inbox_retention_s: float = 14 * 24 * 3600
    inbox_prune_interval_s: float = 3600
    consumer_fetch_timeout_s: float = 2.0
    # A fetched batch smaller than consumer_batch_size waits this long for more messages
    # (bigger batches at moderate rates, for this much latency); 0: no wait.
    consumer_batch_linger_s: float = 0.02
    consumer_ack_wait_s: float = 30.0
    consumer_max_deliver: int = 8
    consumer_backoff_s: list[float] = Field(default_factory=lambda: [0.5, 2.0, 10.0, 30.0])
    # Fault injection for tests only: nak every message once after its handler committed, so
    # every consumer receives every message twice. Refused in production.
    fault_redeliver_after_commit: bool = False
    # Chaos suite only (tests/chaos): the share of messages after whose commit a consumer
    # process exits before acking, and of relay batches after whose PubAck the process exits
    # before marking the rows sent. Refused in production.
    fault_crash_after_commit_rate: float = 0.0
    fault_relay_crash_after_puback_rate: float = 0.0
    # Chaos suite only: every handler transaction sleeps this long before its commit.
    fault_handler_delay_s: float = 0.0

    run_background_workers: bool = True

    @model_validator(mode="after")
    def _refuse_dev_secrets_outside_development(self) -> ServiceSettings:
        if self.auth_jwt_secret == "":
            self.auth_jwt_secret = None  # AUTH_JWT_SECRET= (empty) switches HS256 off
        if self.environment != "production":
            return self
        left_default = "auth_jwt_secret" not in self.model_fields_set
        if self.auth_jwt_secret == DEV_JWT_SECRET and left_default:
            # Left at its development default: production simply accepts no HS256 tokens.
            self.auth_jwt_secret = None
        problems = []
        if self.person_key_secret == DEV_PERSON_KEY_SECRET:
            problems.append("PERSON_KEY_SECRET")
        if self.field_encryption_keys == DEV_FIELD_ENCRYPTION_KEYS:
            problems.append("FIELD_ENCRYPTION_KEYS")
        if DEV_AUDIT_CHAIN_KEYS.split(":", 1)[1] in self.audit_chain_keys:
            problems.append("AUDIT_CHAIN_KEYS")
        if self.auth_jwt_secret is not None:
            problems.append("AUTH_JWT_SECRET (production verifies JWKS keys only)")
        if not (self.auth_jwks or self.auth_jwks_file or self.auth_jwks_url):
            problems.append("AUTH_JWKS, AUTH_JWKS_FILE or AUTH_JWKS_URL")
        if self.fault_redeliver_after_commit:
            problems.append("FAULT_REDELIVER_AFTER_COMMIT must be off")
        if (
            self.fault_crash_after_commit_rate
            or self.fault_relay_crash_after_puback_rate
            or self.fault_handler_delay_s
        ):
            problems.append("FAULT_*_RATE must be 0")
        if problems:
            raise ValueError("refusing development defaults in production: " + ", ".join(problems))
        return self

    @property
    def rate_limiting(self) -> bool:
        if self.rate_limit_enabled is None:
            return self.environment == "production"
        return self.rate_limit_enabled

    @property
    def otel_name(self) -> str:
        return self.otel_service_name or self.service_name
