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
