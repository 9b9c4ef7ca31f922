"""Signed credentials and status lists, eligibility, offers, applications, entitlement uses,
employment history, and industry and level on talent flows.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CARD_COLUMNS = [
    sa.Column("valid_from", sa.Date),
    sa.Column("valid_until", sa.Date),
    sa.Column("status_index", sa.BigInteger),
    sa.Column("holder_subject", sa.Text),
    sa.Column("owner_subject", sa.Text),
    sa.Column("signing_kid", sa.Text),
    sa.Column("credential", sa.Text),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("criteria_version", sa.Text),
    sa.Column("evidence", JSONB),
    sa.Column("proactive", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("industry_code", sa.String(1)),
    sa.Column("status_reason", sa.Text),
]


def upgrade() -> None:
    op.execute("CREATE SEQUENCE card_status_index_seq")
    for column in CARD_COLUMNS:
        op.add_column("cards", column)
    op.create_unique_constraint("cards_status_index_key", "cards", ["status_index"])
    op.create_unique_constraint("cards_holder_subject_key", "cards", ["holder_subject"])
    op.create_index("ix_cards_owner_subject", "cards", ["owner_subject"])
    op.add_column("talent_flows", sa.Column("from_industry_code", sa.String(1)))
    op.add_column("talent_flows", sa.Column("to_industry_code", sa.String(1)))
    op.add_column("talent_flows", sa.Column("level", sa.Text))

    op.create_table(
        "card_employments",
        sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id"), nullable=False),
        sa.Column("employer_uscc", sa.String(18), nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("industry_code", sa.String(1)),
        sa.Column("job_kind", sa.Text),
        sa.Column("started_on", sa.Date),
        sa.Column("ended_on", sa.Date),
    )
    op.create_index("ix_card_employments_card", "card_employments", ["card_id"])

    op.create_table(
        "card_offers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("source_key", sa.Text, nullable=False, unique=True),
        sa.Column("source_event_id", sa.Text, nullable=False),
        sa.Column("level", sa.Text, nullable=False),
        sa.Column("criteria_version", sa.Text, nullable=False),
        sa.Column("evidence", JSONB, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("employer_uscc", sa.String(18)),
        sa.Column("industry_code", sa.String(1)),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id")),
        sa.CheckConstraint("level IN ('A', 'B', 'C')", name="ck_card_offers_level"),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'declined')", name="ck_card_offers_status"
        ),
    )
    op.create_index("ix_card_offers_person", "card_offers", ["person_key", "status"])

    op.create_table(
        "card_applications",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("resident_id_encrypted", sa.Text, nullable=False),
        sa.Column("resident_id_masked", sa.Text, nullable=False),
        sa.Column("owner_subject", sa.Text),
        sa.Column("attributes", JSONB, nullable=False),
        sa.Column("documents", JSONB, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("employer_uscc", sa.String(18)),
        sa.Column("proposed_level", sa.Text),
        sa.Column("criteria_version", sa.Text, nullable=False),
        sa.Column("evidence", JSONB, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("reviewer", sa.Text),
        sa.Column("review_note", sa.Text),
        sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id")),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')", name="ck_card_applications_status"
        ),
    )
    op.create_index("ix_card_applications_status", "card_applications", ["status", "id"])

    op.create_table(
        "entitlement_uses",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id"), nullable=False),
        sa.Column("entitlement_code", sa.Text, nullable=False),
        sa.Column("partner_uscc", sa.String(18), nullable=False),
        sa.Column("partner_subject", sa.Text, nullable=False),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("used_on", sa.Date, nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("partner_uscc", "reference", name="uq_entitlement_uses_reference"),
    )
    op.create_index(
        "ix_entitlement_uses_card",
        "entitlement_uses",
        ["card_id", "entitlement_code", "used_on"],
    )
    op.create_index("ix_entitlement_uses_partner", "entitlement_uses", ["partner_uscc", "id"])


def downgrade() -> None:
    op.drop_table("entitlement_uses")
    op.drop_table("card_applications")
    op.drop_table("card_offers")
    op.drop_table("card_employments")
    for name in ("level", "to_industry_code", "from_industry_code"):
        op.drop_column("talent_flows", name)
    op.drop_index("ix_cards_owner_subject", table_name="cards")
    op.drop_constraint("cards_holder_subject_key", "cards", type_="unique")
    op.drop_constraint("cards_status_index_key", "cards", type_="unique")
    for column in reversed(CARD_COLUMNS):
        op.drop_column("cards", column.name)
    op.execute("DROP SEQUENCE card_status_index_seq")
