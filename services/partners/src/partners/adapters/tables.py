"""Partners' tables: registered clients, the token signing keys, used client assertions,
webhook subscriptions, deliveries and their attempts."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = sa.MetaData()

_now = sa.func.now()

clients = sa.Table(
    "partner_clients",
    metadata,
    sa.Column("client_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    # platform | institution | verifier
    sa.Column("kind", sa.Text, nullable=False),
    # The organisation the client acts for (统一社会信用代码); events name partners by it.
    sa.Column("uscc", sa.String(18), nullable=False),
    # For an institution: its id in training-vouchers (token claim tenant.institution_id).
    sa.Column("institution_id", sa.Text),
    sa.Column("scopes", ARRAY(sa.Text), nullable=False),
    # Services whose APIs accept this client's tokens (token claim `svc`); empty: all.
    sa.Column("services", ARRAY(sa.Text), nullable=False),
    # private_key_jwt | client_secret_basic | client_secret_post
    sa.Column("auth_method", sa.Text, nullable=False),
    sa.Column("jwks", JSONB),
    sa.Column("jwks_uri", sa.Text),
    # scrypt hashes of the client secret and, during a rotation's overlap, of the previous one.
    sa.Column("secret_hash", sa.Text),
    sa.Column("previous_secret_hash", sa.Text),
    sa.Column("previous_secret_until", sa.DateTime(timezone=True)),
    # active | revoked
    sa.Column("status", sa.Text, nullable=False, server_default="active"),
    sa.Column("district_code", sa.String(6)),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_by", sa.Text),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)
sa.Index("ix_partner_clients_uscc", clients.c.uscc)

signing_keys = sa.Table(
    "signing_keys",
    metadata,
    sa.Column("kid", sa.Text, primary_key=True),
    sa.Column("algorithm", sa.Text, nullable=False),
    # The private key (PEM), encrypted with the kit's field cipher.
    sa.Column("private_key", sa.Text, nullable=False),
    sa.Column("public_jwk", JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    # Only the newest key signs; retired keys stay in the JWKS until `publish_until`.
    sa.Column("retired_at", sa.DateTime(timezone=True)),
    sa.Column("publish_until", sa.DateTime(timezone=True)),
)

used_assertions = sa.Table(
    "used_client_assertions",
    metadata,
    sa.Column("client_id", sa.Text, primary_key=True),
    sa.Column("jti", sa.Text, primary_key=True),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("client_id", sa.Text, sa.ForeignKey("partner_clients.client_id"), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("event_types", ARRAY(sa.Text), nullable=False),
    sa.Column("description", sa.Text),
    # Signing secrets (whsec_…), encrypted; the previous one signs too until `previous_until`.
    sa.Column("secret", sa.Text, nullable=False),
    sa.Column("previous_secret", sa.Text),
    sa.Column("previous_until", sa.DateTime(timezone=True)),
    # active | disabled
    sa.Column("status", sa.Text, nullable=False, server_default="active"),
    sa.Column("disabled_reason", sa.Text),
    sa.Column("disabled_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)
sa.Index("ix_webhook_subscriptions_client", subscriptions.c.client_id)

deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    # The webhook-id header: receivers de-duplicate on it across retries and redeliveries.
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column(
        "subscription_id",
        UUID(as_uuid=True),
        sa.ForeignKey("webhook_subscriptions.id"),
        nullable=False,
    ),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("payload", JSONB, nullable=False),
    # pending | delivered | failed (retries exhausted)
    sa.Column("status", sa.Text, nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("claimed_until", sa.DateTime(timezone=True)),
    sa.Column("last_status_code", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    # Exactly one delivery per (subscription, event).
    sa.UniqueConstraint("subscription_id", "event_id", name="uq_webhook_delivery_event"),
)
sa.Index(
    "ix_webhook_deliveries_due",
    deliveries.c.next_attempt_at,
    postgresql_where=deliveries.c.status == "pending",
)
sa.Index(
    "ix_webhook_deliveries_subscription", deliveries.c.subscription_id, deliveries.c.created_at
)

attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("delivery_id", sa.Text, sa.ForeignKey("webhook_deliveries.id"), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("status_code", sa.Integer),
    sa.Column("error", sa.Text),
    sa.Column("duration_ms", sa.Integer, nullable=False),
)
sa.Index("ix_webhook_attempts_delivery", attempts.c.delivery_id)
