"""Matching, search, applications, separations and the "131" services delivered.

Seeker profile (skills, wishes, skill level, title), job post details (description, required
skills, minimum education, 专精特新 zone, jieba search vector, lifecycle times), applications,
the hire snapshot and its end, services delivered, and the indexes matching and search use.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN_ONLY = sa.text("status = 'open'")


def _now_column(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    text_array = ARRAY(sa.Text)
    for name in (
        "skills",
        "desired_occupations",
        "desired_minor_groups",
        "desired_regions",
        "desired_cities",
    ):
        op.add_column("seekers", sa.Column(name, text_array, nullable=False, server_default="{}"))
    op.add_column("seekers", sa.Column("desired_wage_fen", sa.BigInteger))
    op.add_column("seekers", sa.Column("skill_level", sa.Text))
    op.add_column("seekers", sa.Column("professional_title", sa.Text))
    op.add_column(
        "seekers",
        sa.Column("previously_unemployed", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "seekers", sa.Column("open_to_offers", sa.Boolean, nullable=False, server_default=sa.true())
    )
    op.add_column("seekers", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.add_column(
        "seekers", sa.Column("match_keys", text_array, nullable=False, server_default="{}")
    )

    op.add_column("job_posts", sa.Column("description", sa.Text, nullable=False, server_default=""))
    op.add_column(
        "job_posts", sa.Column("occupation_minor", sa.Text, nullable=False, server_default="")
    )
    op.add_column(
        "job_posts",
        sa.Column("required_skills", text_array, nullable=False, server_default="{}"),
    )
    op.add_column("job_posts", sa.Column("min_education", sa.Text))
    op.add_column(
        "job_posts",
        sa.Column("specialized_zone", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "job_posts", sa.Column("search_vector", TSVECTOR, nullable=False, server_default="")
    )
    op.add_column("job_posts", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("job_posts", sa.Column("opened_at", sa.DateTime(timezone=True)))
    op.add_column("job_posts", sa.Column("closed_at", sa.DateTime(timezone=True)))
    op.add_column("job_posts", sa.Column("close_reason", sa.Text))
    op.add_column(
        "job_posts", sa.Column("match_keys", text_array, nullable=False, server_default="{}")
    )
    # Posts from 0001 were opened when created; their 小类 is the code without its last part.
    op.execute("UPDATE job_posts SET opened_at = created_at WHERE status <> 'draft'")
    op.execute(
        "UPDATE job_posts SET occupation_minor = regexp_replace(occupation_code, '-[^-]*$', '')"
    )

    op.add_column("hires", sa.Column("application_id", UUID(as_uuid=True)))
    op.add_column("hires", sa.Column("snapshot", JSONB, nullable=False, server_default="{}"))
    op.add_column("hires", sa.Column("end_date", sa.Date))
    op.add_column("hires", sa.Column("end_reason", sa.Text))
    op.add_column("hires", sa.Column("ended_at", sa.DateTime(timezone=True)))

    op.create_table(
        "applications",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("seeker_id", UUID(as_uuid=True), sa.ForeignKey("seekers.id"), nullable=False),
        sa.Column("job_post_id", UUID(as_uuid=True), sa.ForeignKey("job_posts.id"), nullable=False),
        sa.Column(
            "enterprise_uscc", sa.String(18), sa.ForeignKey("enterprises.uscc"), nullable=False
        ),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("cover_letter", sa.Text, nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        _now_column("submitted_at"),
        _now_column("updated_at"),
    )
    op.create_table(
        "services_delivered",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("seeker_id", UUID(as_uuid=True), sa.ForeignKey("seekers.id"), nullable=False),
        sa.Column("programme", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("job_post_id", UUID(as_uuid=True), sa.ForeignKey("job_posts.id")),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("delivered_by", sa.Text, nullable=False),
        _now_column("delivered_at"),
    )

    op.create_index("ix_hires_seeker", "hires", ["seeker_id"])
    op.create_index(
        "ix_job_posts_open_minor_city",
        "job_posts",
        ["occupation_minor", "city_code"],
        postgresql_where=OPEN_ONLY,
    )
    op.create_index(
        "ix_job_posts_open_occupation_district",
        "job_posts",
        ["occupation_code", "district_code"],
        postgresql_where=OPEN_ONLY,
    )
    op.create_index(
        "ix_job_posts_open_match_keys",
        "job_posts",
        ["match_keys"],
        postgresql_using="gin",
        postgresql_where=OPEN_ONLY,
    )
    op.create_index(
        "ix_job_posts_open_city_opened",
        "job_posts",
        ["city_code", sa.text("opened_at DESC"), sa.text("id DESC")],
        postgresql_where=OPEN_ONLY,
    )
    op.create_index(
        "ix_job_posts_open_opened",
        "job_posts",
        [sa.text("opened_at DESC"), sa.text("id DESC")],
        postgresql_where=OPEN_ONLY,
    )
    op.create_index("ix_job_posts_search", "job_posts", ["search_vector"], postgresql_using="gin")
    op.create_index(
        "ix_seekers_desired_minor", "seekers", ["desired_minor_groups"], postgresql_using="gin"
    )
    op.create_index("ix_seekers_match_keys", "seekers", ["match_keys"], postgresql_using="gin")
    op.create_index("ix_seekers_account", "seekers", ["account_subject"])
    op.create_index("ix_applications_post", "applications", ["job_post_id", "submitted_at"])
    op.create_index("ix_applications_seeker", "applications", ["seeker_id", "submitted_at"])
    op.create_index(
        "uq_applications_live",
        "applications",
        ["seeker_id", "job_post_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('submitted', 'shortlisted', 'offered', 'hired')"),
    )
    op.create_index("ix_services_delivered_seeker", "services_delivered", ["seeker_id"])
    op.create_index(
        "uq_services_recommendation",
        "services_delivered",
        ["seeker_id", "programme", "job_post_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'job_recommendation'"),
    )


def downgrade() -> None:
    op.drop_table("services_delivered")
    op.drop_table("applications")
    op.drop_index("ix_job_posts_search", table_name="job_posts")
    op.drop_index("ix_job_posts_open_opened", table_name="job_posts")
    op.drop_index("ix_job_posts_open_city_opened", table_name="job_posts")
    op.drop_index("ix_job_posts_open_match_keys", table_name="job_posts")
    op.drop_index("ix_job_posts_open_occupation_district", table_name="job_posts")
    op.drop_index("ix_job_posts_open_minor_city", table_name="job_posts")
    op.drop_index("ix_hires_seeker", table_name="hires")
    for name in ("ix_seekers_desired_minor", "ix_seekers_match_keys"):
        op.drop_index(name, table_name="seekers")
    op.drop_index("ix_seekers_account", table_name="seekers")
    for column in ("application_id", "snapshot", "end_date", "end_reason", "ended_at"):
        op.drop_column("hires", column)
    for column in (
        "description",
        "occupation_minor",
        "required_skills",
        "min_education",
        "specialized_zone",
        "search_vector",
        "version",
        "opened_at",
        "closed_at",
        "close_reason",
        "match_keys",
    ):
        op.drop_column("job_posts", column)
    for column in (
        "skills",
        "desired_occupations",
        "desired_minor_groups",
        "desired_regions",
        "desired_cities",
        "desired_wage_fen",
        "skill_level",
        "professional_title",
        "previously_unemployed",
        "open_to_offers",
        "version",
        "match_keys",
    ):
        op.drop_column("seekers", column)
