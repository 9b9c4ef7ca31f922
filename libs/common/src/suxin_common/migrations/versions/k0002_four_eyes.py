"""Kit table: maker-checker requests (approvals), the four-eyes record of every decision that
pays or changes what will be paid.

Revision ID: k0002
Revises: k0001
"""

from alembic import op

from suxin_common.tables import approvals

revision = "k0002"
down_revision = "k0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    approvals.create(op.get_bind())


def downgrade() -> None:
    approvals.drop(op.get_bind())
