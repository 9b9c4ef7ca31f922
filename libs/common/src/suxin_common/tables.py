"""Platform tables every service database has: outbox, inbox and dead letters.

They live in their own MetaData so each service's alembic env can target
``[service_metadata, platform_metadata]``; each service's first migration calls
:func:`create_platform_tables` so the schema stays in migrations (one source of truth).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import BYTEA, JSONB, UUID

platform_metadata = sa.MetaData()

outbox = sa.Table(
    "outbox",
    platform_metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("ce_type", sa.Text, nullable=False),
    sa.Column("ce_source", sa.Text, nullable=False),
    sa.Column("ce_subject", sa.Text, nullable=False),
    sa.Column("payload", BYTEA, nullable=False),
    # W3C trace context of the span that produced the event, so the relay can continue the trace.
    sa.Column("trace_headers", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("claimed_until", sa.DateTime(timezone=True)),
    sa.Column("claimed_by", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("published_at", sa.DateTime(timezone=True)),
)
sa.Index(
    "ix_outbox_pending",
    outbox.c.created_at,
    postgresql_where=outbox.c.published_at.is_(None),
)
sa.Index(
    "ix_outbox_published_at",
    outbox.c.published_at,
    postgresql_where=outbox.c.published_at.isnot(None),
)

inbox = sa.Table(
    "inbox",
    platform_metadata,
    sa.Column("consumer", sa.Text, primary_key=True),
    sa.Column("event_id", sa.Text, primary_key=True),
    sa.Column(
        "processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

dead_letters = sa.Table(
    "dead_letters",
    platform_metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("consumer", sa.Text, nullable=False),
    sa.Column("stream", sa.Text, nullable=False),
    sa.Column("stream_seq", sa.BigInteger, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("event_id", sa.Text),
    sa.Column("ce_type", sa.Text),
    sa.Column("headers", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("payload", BYTEA, nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("deliveries", sa.Integer, nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.UniqueConstraint("consumer", "stream", "stream_seq", name="uq_dead_letters_message"),
)


def create_platform_tables(op: Any) -> None:
    """Create the platform tables from a service migration (``op`` is alembic's)."""
    bind = op.get_bind()
    platform_metadata.create_all(bind)


def drop_platform_tables(op: Any) -> None:
    bind = op.get_bind()
    platform_metadata.drop_all(bind)


# --- kit tables: their own migration stream -------------------------------------------------
# The audit trail and idempotency records belong to the kit, not to a service's schema: they
# are created by the kit's alembic stream (suxin_common/migrations, version table
# `alembic_version_suxin_kit`), which `suxin_common.migrate.upgrade` runs after the service's.

kit_metadata = sa.MetaData()

audit_log = sa.Table(
    "audit_log",
    kit_metadata,
    # Chain order. Rows of one chain are appended under that chain's transaction-scoped
    # advisory lock, so ids increase along each chain (a rolled-back append leaves a gap, which
    # the chain does not mind).
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    # Which of the database's chains the row is linked into (security/audit.py: several chains,
    # so concurrent transactions need not wait for each other's COMMIT); 0 for older rows.
    sa.Column("chain", sa.SmallInteger, nullable=False, server_default=sa.text("0")),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("actor_roles", sa.Text, nullable=False),
    sa.Column("client_id", sa.Text),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("object_type", sa.Text, nullable=False),
    sa.Column("object_id", sa.Text, nullable=False),
    sa.Column("purpose", sa.Text),
    sa.Column("request_id", sa.Text),
    # Codes and amounts only: never personal data (the trail is itself read by auditors).
    sa.Column("details", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    # The chain key that signed `hash` (HMAC-SHA256); NULL: a legacy plain SHA-256 entry.
    sa.Column("kid", sa.Text),
)
sa.Index("ix_audit_log_object", audit_log.c.object_type, audit_log.c.object_id)
sa.Index("ix_audit_log_actor", audit_log.c.actor, audit_log.c.occurred_at)
sa.Index("ix_audit_log_chain", audit_log.c.chain, audit_log.c.id)

# Shared rate-limit counters (security/shared_limits.py): one row per caller and fixed window,
# so a limit holds across replicas. Old windows are pruned by the limiter itself.
rate_limit_windows = sa.Table(
    "rate_limit_windows",
    kit_metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("window_start", sa.BigInteger, primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    kit_metadata,
    # Keys are per caller and endpoint: two clients may pick the same key.
    sa.Column("owner", sa.Text, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("method", sa.Text, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("response_status", sa.Integer),
    sa.Column("response_headers", JSONB),
    sa.Column("response_body", BYTEA),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("completed_at", sa.DateTime(timezone=True)),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_idempotency_keys_expires_at", idempotency_keys.c.expires_at)

# Maker-checker (四眼原则) requests: what one staff member proposed that changes what will be
# paid, and the different staff member who confirmed or refused it (security/four_eyes.py).
approvals = sa.Table(
    "approvals",
    kit_metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    # What is to be done (subsidy_approval, payment_release, ...) and to which object.
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("object_type", sa.Text, nullable=False),
    sa.Column("object_id", sa.Text, nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    # What the checker confirms, exactly as the maker proposed it (codes and amounts).
    sa.Column("payload", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("maker", sa.Text, nullable=False),
    sa.Column("maker_level", sa.Text, nullable=False),
    sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    # Others who took part in the object earlier and may not check it either.
    sa.Column("excluded", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("required_level", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # pending | confirmed | refused
    sa.Column("checker", sa.Text),
    sa.Column("checker_level", sa.Text),
    sa.Column("checked_at", sa.DateTime(timezone=True)),
    sa.Column("check_reason", sa.Text),
    sa.CheckConstraint("amount_fen >= 0", name="ck_approvals_amount"),
    sa.CheckConstraint("checker IS NULL OR checker <> maker", name="ck_approvals_four_eyes"),
)
# One open request per action and object: a second proposal waits for the first to be checked.
sa.Index(
    "uq_approvals_pending",
    approvals.c.action,
    approvals.c.object_id,
    unique=True,
    postgresql_where=approvals.c.status == "pending",
)
sa.Index("ix_approvals_status_made", approvals.c.status, approvals.c.made_at)
