"""The district whose employment office serves a seeker, for HRSS staff district scoping.

Nullable: rows registered before it (and people from outside Jiangsu who gave none) are seen by
province-level staff only, until the person or province staff set it.

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
    op.add_column("seekers", sa.Column("district_code", sa.String(6)))
    # district_clause filters by prefix (LIKE '3210%'): text_pattern_ops serves it in any locale.
    op.create_index(
        "ix_seekers_district_code",
        "seekers",
        ["district_code"],
        postgresql_ops={"district_code": "text_pattern_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_seekers_district_code", table_name="seekers")
    op.drop_column("seekers", "district_code")
