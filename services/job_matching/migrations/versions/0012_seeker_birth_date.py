"""Seekers' date of birth, so ages are counted to the day (周岁), not by year of birth.

The 16-24 bound of 就业见习 and 扩岗补助 (登记失业的16-24岁青年) is a person's age in whole
years on the hire's start date. With only the year of birth, someone born on 31 December was
counted a year older all year. The date comes from the resident ID at registration, like the
year of birth and the gender; seekers registered before this revision keep NULL and are
counted by year until they register again.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("seekers", sa.Column("birth_date", sa.Date, nullable=True))


def downgrade() -> None:
    op.drop_column("seekers", "birth_date")
