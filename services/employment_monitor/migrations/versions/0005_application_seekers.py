"""求人倍率 divides by job seekers (求职人数), not applications: application_facts keeps the
applicant's pseudonymous person key (ApplicationSubmitted.person_key; never a resident ID).
Rows stored before have none and count one seeker per application.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("application_facts", sa.Column("person_key", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("application_facts", "person_key")
