"""The workbench's own tables: signed-in staff sessions only (no business data)."""

import sqlalchemy as sa

metadata = sa.MetaData()

# One row per signed-in browser. The cookie holds a random token; the row is found by its
# SHA-256, so the table alone cannot be replayed. The access token is field-encrypted.
staff_sessions = sa.Table(
    "staff_sessions",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("district", sa.Text, nullable=True),
    sa.Column("roles", sa.ARRAY(sa.Text), nullable=False),
    sa.Column("access_token", sa.Text, nullable=False),
    sa.Column("id_token", sa.Text, nullable=True),
    sa.Column("csrf", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
)
