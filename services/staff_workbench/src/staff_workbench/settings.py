"""Staff workbench settings: the identity provider, the services it reads, the session."""

from pydantic import Field, model_validator

from suxin_common.settings import ServiceSettings

DEV_SESSION_SECRET = "suxin-dev-workbench-session-secret-not-for-production"


class Settings(ServiceSettings):
    service_name: str = "staff-workbench"

    # The OpenID provider staff sign in with (authorization code + PKCE). Development: the
    # dev provider of the local stack (suxin_devkit.oidc); production: the province's IdP.
    oidc_issuer: str = "http://127.0.0.1:8110"
    oidc_client_id: str = "staff-workbench"
    # Empty: a public client (PKCE only); set for an IdP that wants a confidential client.
    oidc_client_secret: str | None = None
    oidc_scope: str = "openid profile"
    # The workbench's own public URL (the redirect URI is <public_url>/auth/callback).
    public_url: str = "http://127.0.0.1:8109"

    # Signs the short-lived cookie that carries the login's state, nonce and PKCE verifier.
    session_secret: str = DEV_SESSION_SECRET
    # A signed-in session lasts at most this long (and never beyond its access token).
    session_ttl_s: int = Field(8 * 3600, ge=300)

    # The services whose APIs the workbench reads and acts through, with the staff member's
    # own token (backend for frontend: it owns no business data).
    training_vouchers_url: str = "http://127.0.0.1:8104"
    injury_insurance_url: str = "http://127.0.0.1:8103"
    data_exchange_url: str = "http://127.0.0.1:8107"
    job_matching_url: str = "http://127.0.0.1:8101"
    employment_monitor_url: str = "http://127.0.0.1:8106"
    # Time limits the queues count down (calendar days): 工伤认定 within 60 days of acceptance
    # (《工伤保险条例》第二十条); 就业困难人员认定 and 失业登记 within the service promise.
    claim_decision_days: int = Field(60, ge=1)
    record_decision_days: int = Field(15, ge=1)
    backend_timeout_s: float = Field(10.0, gt=0, le=60)

    @model_validator(mode="after")
    def _refuse_dev_session_secret(self) -> "Settings":
        if self.environment == "production" and self.session_secret == DEV_SESSION_SECRET:
            raise ValueError("refusing development defaults in production: SESSION_SECRET")
        return self

    @property
    def redirect_uri(self) -> str:
        return self.public_url.rstrip("/") + "/auth/callback"

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")
