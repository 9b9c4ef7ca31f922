"""Kit table: shared rate-limit counters (one row per caller and window), so a limit holds
across replicas.

Revision ID: k0004
Revises: k0003
"""

from alembic import op

from suxin_common.tables import rate_limit_windows

revision = "k0004"
down_revision = "k0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    rate_limit_windows.create(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    rate_limit_windows.drop(op.get_bind(), checkfirst=True)
