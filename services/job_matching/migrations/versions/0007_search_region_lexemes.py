"""Search: a post's city and district codes become lexemes of its search document
("~c3202", "~c320211"), so a search filtered by region narrows in the GIN index instead of
reading every match of a broad word in every city (issue 26, latency).

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A tsvector is a set: concatenating a lexeme it has already is harmless.
    op.execute(
        "UPDATE job_posts SET search_doc = search_doc || setweight(array_to_tsvector("
        "array_remove(ARRAY['~c' || city_code, '~c' || district_code], NULL)), 'C')"
        " WHERE search_doc IS NOT NULL"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE job_posts SET search_doc = ts_delete(search_doc,"
        " array_remove(ARRAY['~c' || city_code, '~c' || district_code], NULL))"
        " WHERE search_doc IS NOT NULL"
    )
