"""Search that finds things: weighted lexemes per post and the search vocabulary.

`job_posts.search_doc` holds the lexemes of title and occupation (A), enterprise and skills
(B), place (C) and description (D), GIN-indexed while open; `search_terms` is the vocabulary
for autocomplete and for reading pinyin and initials. Existing posts are indexed here.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    op.add_column("job_posts", sa.Column("search_doc", TSVECTOR, nullable=False, server_default=""))
    op.create_table(
        "search_terms",
        sa.Column("term", sa.Text, primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("pinyin", sa.Text, nullable=False),
        sa.Column("initials", sa.Text, nullable=False),
        sa.Column("posts", sa.Integer, nullable=False, server_default="0"),
    )
    for column in ("term", "pinyin", "initials"):
        op.create_index(
            f"ix_search_terms_{column}_prefix",
            "search_terms",
            [column],
            postgresql_ops={column: "text_pattern_ops"},
        )
    _index_existing_posts()
    op.create_index(
        "ix_job_posts_open_search_doc",
        "job_posts",
        ["search_doc"],
        postgresql_using="gin",
        postgresql_where=sa.text("status = 'open'"),
        # No pending list: posts arrive one at a time, and a pending list (flushed only by
        # vacuum) makes every search scan it and the planner avoid the index.
        postgresql_with={"fastupdate": "off"},
    )


def _index_existing_posts() -> None:
    from job_matching.adapters.search import DOC_SQL, TERMS_SQL, post_text_of
    from job_matching.search import post_lexemes, post_terms

    bind = op.get_bind()
    last = None
    while True:
        rows = (
            bind.execute(
                sa.text(
                    "SELECT p.id, p.title, p.description, p.required_skills, p.occupation_code,"
                    " p.city_code, p.district_code, p.status, p.opened_at,"
                    " e.name AS enterprise_name"
                    " FROM job_posts p JOIN enterprises e ON e.uscc = p.enterprise_uscc"
                    + (" WHERE p.id > :last" if last else "")
                    + " ORDER BY p.id LIMIT :n"
                ),
                {"last": last, "n": BATCH},
            )
            .mappings()
            .all()
        )
        if not rows:
            return
        for row in rows:
            text = post_text_of(row)
            lexemes = post_lexemes(text)
            bind.execute(
                sa.text(f"UPDATE job_posts SET search_doc = {DOC_SQL} WHERE id = :id"),
                {"id": row["id"], **{w.lower(): v for w, v in lexemes.items()}},
            )
            if row["status"] == "open":
                for term in post_terms(text):
                    bind.execute(sa.text(TERMS_SQL), term.__dict__ | {"n": 1})
        last = rows[-1]["id"]


def downgrade() -> None:
    op.drop_index("ix_job_posts_open_search_doc", table_name="job_posts")
    op.drop_table("search_terms")
    op.drop_column("job_posts", "search_doc")
