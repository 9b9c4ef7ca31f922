"""Claims record the district of the injury (optional), so district-level HRSS staff see the
claims of their district.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("district_code", sa.String(6), nullable=True))
    op.create_check_constraint(
        "ck_claims_district_in_city",
        "claims",
        "district_code IS NULL OR left(district_code, 4) = city_code",
    )


def downgrade() -> None:
    op.drop_constraint("ck_claims_district_in_city", "claims", type_="check")
    op.drop_column("claims", "district_code")
