"""Platform work: platforms, gig workers, per-order cover, contributions ledger, claims; coverages
also hold platform enrolments and can end.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("coverages", "hire_id", nullable=True)
    op.alter_column("coverages", "district_code", nullable=True)
    op.add_column("coverages", sa.Column("worker_id", sa.Text, nullable=True))
    op.add_column("coverages", sa.Column("end_date", sa.Date, nullable=True))
    op.add_column("coverages", sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
    op.drop_constraint("ck_coverages_status", "coverages", type_="check")
    op.create_check_constraint("ck_coverages_status", "coverages", "status IN ('active', 'ended')")
    op.create_index(
        "uq_coverages_platform_worker",
        "coverages",
        ["enterprise_uscc", "worker_id"],
        unique=True,
        postgresql_where=sa.text("worker_id IS NOT NULL"),
    )

    op.create_table(
        "platforms",
        sa.Column("platform_uscc", sa.String(18), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("pilot", sa.Boolean, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "gig_workers",
        sa.Column("platform_uscc", sa.String(18), primary_key=True),
        sa.Column("worker_id", sa.Text, primary_key=True),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("masked_resident_id", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_gig_workers_person", "gig_workers", ["person_key"])
    op.create_table(
        "order_covers",
        sa.Column("platform_uscc", sa.String(18), primary_key=True),
        sa.Column("order_id", sa.Text, primary_key=True),
        sa.Column("worker_id", sa.Text, nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("industry", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_status", sa.Text, nullable=True),
        sa.Column("contribution_fen", sa.BigInteger, nullable=False),
        sa.Column("rate_version", sa.Text, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("chunk_id", UUID(as_uuid=True), nullable=False),
        sa.Column(
            "covered_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.CheckConstraint("contribution_fen >= 0", name="ck_order_covers_contribution"),
        sa.CheckConstraint(
            "end_status IS NULL OR end_status IN ('completed', 'cancelled')",
            name="ck_order_covers_end_status",
        ),
    )
    op.create_index("ix_order_covers_person", "order_covers", ["person_key", "accepted_at"])
    op.create_index("ix_order_covers_month", "order_covers", ["platform_uscc", "month"])
    op.create_table(
        "contribution_ledger",
        sa.Column("platform_uscc", sa.String(18), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("industry", sa.Text, primary_key=True),
        sa.Column("orders", sa.BigInteger, nullable=False),
        sa.Column("contribution_fen", sa.BigInteger, nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
    )
    op.create_table(
        "claims",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("platform_uscc", sa.String(18), nullable=False),
        sa.Column("worker_id", sa.Text, nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("injured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("order_id", sa.Text, nullable=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("reported_by", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("covering_order_id", sa.Text, nullable=True),
        sa.Column("industry", sa.Text, nullable=True),
        sa.Column("payment_reference", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "stage IN ('reported', 'under_review', 'approved', 'rejected', 'paid')",
            name="ck_claims_stage",
        ),
        sa.CheckConstraint("amount_fen >= 0", name="ck_claims_amount"),
    )
    op.create_index("ix_claims_created", "claims", ["created_at", "id"])
    op.create_index("ix_claims_platform", "claims", ["platform_uscc", "created_at", "id"])
    op.create_table(
        "claim_history",
        sa.Column("claim_id", UUID(as_uuid=True), sa.ForeignKey("claims.id"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("claim_history")
    op.drop_table("claims")
    op.drop_table("contribution_ledger")
    op.drop_table("order_covers")
    op.drop_table("gig_workers")
    op.drop_table("platforms")
    op.drop_index("uq_coverages_platform_worker", table_name="coverages")
    op.execute("DELETE FROM coverages WHERE hire_id IS NULL")
    op.drop_constraint("ck_coverages_status", "coverages", type_="check")
    op.execute("UPDATE coverages SET status = 'active'")
    op.create_check_constraint("ck_coverages_status", "coverages", "status IN ('active')")
    op.drop_column("coverages", "ended_at")
    op.drop_column("coverages", "end_date")
    op.drop_column("coverages", "worker_id")
    op.execute("UPDATE coverages SET district_code = '' WHERE district_code IS NULL")
    op.alter_column("coverages", "district_code", nullable=False)
    op.alter_column("coverages", "hire_id", nullable=False)
