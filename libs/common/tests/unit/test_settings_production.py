"""Production settings: development secrets refused, HS256 off unless someone insists on it."""

from __future__ import annotations

import pytest

from suxin_common.settings import ServiceSettings

PRODUCTION = dict(
    environment="production",
    person_key_secret="p" * 48,
    field_encryption_keys="k2:" + "B" * 43 + "=",
    audit_chain_keys="a2:" + "C" * 43 + "=",
    auth_jwks_url="https://idp.invalid/jwks.json",
)


def test_production_starts_with_hs256_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTH_JWT_SECRET", raising=False)
    assert ServiceSettings(**PRODUCTION).auth_jwt_secret is None
    monkeypatch.setenv("AUTH_JWT_SECRET", "")
    assert ServiceSettings(**PRODUCTION).auth_jwt_secret is None


def test_production_refuses_a_shared_jwt_secret_and_dev_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUTH_JWT_SECRET", "a-shared-secret")
    with pytest.raises(ValueError, match="AUTH_JWT_SECRET"):
        ServiceSettings(**PRODUCTION)
    monkeypatch.delenv("AUTH_JWT_SECRET")
    with pytest.raises(ValueError, match="PERSON_KEY_SECRET"):
        ServiceSettings(**{**PRODUCTION, "person_key_secret": ServiceSettings().person_key_secret})


def test_production_refuses_the_development_audit_chain_key() -> None:
    dev = ServiceSettings().audit_chain_keys
    with pytest.raises(ValueError, match="AUDIT_CHAIN_KEYS"):
        ServiceSettings(**{**PRODUCTION, "audit_chain_keys": dev})
    # kept as a verify-only key behind a production signing key: still refused (it is public)
    with pytest.raises(ValueError, match="AUDIT_CHAIN_KEYS"):
        ServiceSettings(**{**PRODUCTION, "audit_chain_keys": "a2:" + "C" * 43 + "=," + dev})
