"""Kit: the audit chain is keyed (HMAC-SHA256); each entry records the id of its key.

Revision ID: k0003
Revises: k0002

k0001 creates audit_log from the current table definition, which already has `kid`; a database
made before this revision gets it here (NULL on old rows: legacy plain SHA-256 entries).
"""

from alembic import op

revision = "k0003"
down_revision = "k0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS kid text")


def downgrade() -> None:
    op.execute("ALTER TABLE audit_log DROP COLUMN IF EXISTS kid")
