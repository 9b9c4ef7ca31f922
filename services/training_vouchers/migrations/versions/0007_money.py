"""Money under four eyes: maker-checker columns on cases, versioned occupation tables,
payment queue, batches and result files, appeals with attachments.

The catalogue's current rows become version 1 of each occupation's table, approved by
"migration" and in force since 2000-01-01, so what was in force stays in force.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from training_vouchers.adapters.tables import (
    appeal_attachments,
    appeals,
    occupation_versions,
    payment_batches,
    payment_result_files,
    subsidy_payments,
)

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NEW_TABLES = (
    occupation_versions,
    subsidy_payments,
    payment_batches,
    payment_result_files,
    appeals,
    appeal_attachments,
)


def upgrade() -> None:
    for column in ("approved_by", "reduction_reason"):
        op.add_column("subsidy_cases", sa.Column(column, sa.Text, nullable=True))
    op.add_column("subsidy_cases", sa.Column("rule_amount_fen", sa.BigInteger, nullable=True))
    op.add_column(
        "subsidy_cases",
        sa.Column("reopened_by_appeal", sa.dialects.postgresql.UUID(as_uuid=True), nullable=True),
    )
    op.add_column("vouchers", sa.Column("table_version", sa.Integer, nullable=True))
    op.add_column("vouchers", sa.Column("subsidy_table_version", sa.Integer, nullable=True))
    bind = op.get_bind()
    for table in NEW_TABLES:
        table.create(bind)
    op.execute(
        "INSERT INTO occupation_versions (code, version, name, subsidy_fen, digital_skills,"
        " shortage, specialised_sme_oriented, active, effective_from, status, proposed_by,"
        " proposed_at, approved_by)"
        " SELECT code, 1, name, subsidy_fen, digital_skills, shortage, specialised_sme_oriented,"
        " active, DATE '2000-01-01', 'approved', 'migration', now(), 'migration'"
        " FROM occupations"
    )
    op.execute("UPDATE vouchers SET table_version = 1")
    op.drop_table("occupations")


def downgrade() -> None:
    # Back to one row per occupation: the latest approved version of each.
    op.execute(
        "CREATE TABLE occupations (code VARCHAR(20) PRIMARY KEY, name TEXT NOT NULL,"
        " subsidy_fen JSONB NOT NULL, digital_skills BOOLEAN NOT NULL, shortage BOOLEAN NOT NULL,"
        " specialised_sme_oriented BOOLEAN NOT NULL, active BOOLEAN NOT NULL)"
    )
    op.execute(
        "INSERT INTO occupations SELECT DISTINCT ON (code) code, name, subsidy_fen,"
        " digital_skills, shortage, specialised_sme_oriented, active FROM occupation_versions"
        " WHERE status = 'approved' ORDER BY code, effective_from DESC, version DESC"
    )
    bind = op.get_bind()
    for table in reversed(NEW_TABLES):
        table.drop(bind)
    op.drop_column("vouchers", "subsidy_table_version")
    op.drop_column("vouchers", "table_version")
    for column in ("reopened_by_appeal", "rule_amount_fen", "reduction_reason", "approved_by"):
        op.drop_column("subsidy_cases", column)
