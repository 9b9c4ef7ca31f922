"""Partners settings."""

from pydantic import Field

from partners.domain.model import DEFAULT_RETRY_DELAYS_S
from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "partners"

    # The token endpoint's own URL: client assertions (RFC 7523 §3) must name it (or the
    # issuer) as their audience. Behind an ingress, set it to the public URL.
    token_endpoint_url: str = "http://127.0.0.1:8108/oauth2/token"
    # Lifetime of the access tokens issued; at most the services' AUTH_MAX_TOKEN_LIFETIME_S.
    access_token_ttl_s: int = Field(900, ge=60, le=3600)
    # Longest lifetime a client assertion may claim (exp - now), and tolerated clock drift.
    assertion_max_lifetime_s: int = Field(300, ge=30, le=3600)
    # How long a rotated client secret or webhook secret keeps working beside the new one.
    secret_overlap_s: int = Field(24 * 3600, ge=0)
    # How long a retired token-signing key stays in the JWKS (>= token TTL + JWKS cache).
    retired_key_publish_s: int = Field(2 * 3600, ge=60)
    # Client JWKS fetched from a jwks_uri are cached this long.
    client_jwks_cache_s: float = 300.0

    # Webhooks: retry delays after each failed attempt (about a day in all), the request
    # timeout, how often the dispatcher looks for due deliveries and how many it sends at once.
    webhook_retry_delays_s: tuple[float, ...] = DEFAULT_RETRY_DELAYS_S
    webhook_timeout_s: float = Field(10.0, gt=0, le=60)
    webhook_poll_s: float = Field(1.0, gt=0)
    webhook_batch: int = Field(20, ge=1, le=200)
    # Webhook targets: https only and public addresses only in production; development and
    # test may post to http://127.0.0.1 receivers.
    webhook_allow_insecure_targets: bool = False

    def allows_insecure_targets(self) -> bool:
        return self.webhook_allow_insecure_targets or self.environment != "production"
