"""Vouchers know the district that issued them, so HRSS staff are scoped by district.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("vouchers", sa.Column("district_code", sa.String(6), nullable=True))
    op.create_index("ix_vouchers_division", "vouchers", ["city_code", "district_code"])


def downgrade() -> None:
    op.drop_index("ix_vouchers_division", table_name="vouchers")
    op.drop_column("vouchers", "district_code")
