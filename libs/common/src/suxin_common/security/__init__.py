"""Security mechanisms of the platform kit: dev token issuer, audit trail, abuse limits,
idempotency keys, key rotation and the authorization matrix (docs/security.md)."""
