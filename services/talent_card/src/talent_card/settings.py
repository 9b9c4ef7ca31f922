"""Talent-card settings."""

from __future__ import annotations

from pydantic import model_validator

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "talent-card"

    # The issuer named in every credential (`iss`) and the public base URL under which partners
    # fetch the JWKS and the status lists (the credentials link to them).
    card_issuer: str = "https://talent.suxin.dev/issuer"
    card_public_base_url: str = "http://127.0.0.1:8105"
    # Ed25519 signing keys as "kid:base64(32-byte seed),kid2:…" or a file holding that text
    # (a mounted secret). The first key signs new credentials; every listed key is published
    # in the JWKS, so a rotated-out key keeps verifying the cards it signed until an operator
    # removes it after they expired (GET /v1/signing-keys says when that is).
    # Unset in development and test: one key is derived from PERSON_KEY_SECRET, never stored.
    card_signing_keys: str | None = None
    card_signing_keys_file: str | None = None
    # How long verifiers may cache a status list (Cache-Control max-age) and how long its
    # signature stays valid (`exp`): a revocation reaches a cache within max-age.
    status_list_max_age_s: int = 300
    status_list_ttl_s: int = 24 * 3600

    @model_validator(mode="after")
    def _signing_keys_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        if not (self.card_signing_keys or self.card_signing_keys_file):
            raise ValueError(
                "CARD_SIGNING_KEYS or CARD_SIGNING_KEYS_FILE must be set in production"
            )
        if "127.0.0.1" in self.card_public_base_url or "localhost" in self.card_public_base_url:
            # Every credential links its status lists under this URL: partners must reach it.
            raise ValueError("CARD_PUBLIC_BASE_URL must be the public address in production")
        return self
