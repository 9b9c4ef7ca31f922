"""GIN indexes without a pending list: the candidate keys of posts and seekers (matching's
probes) and the older title-and-description search vector.

A GIN index with `fastupdate` (PostgreSQL's default) queues new entries in a pending list
that only vacuum or the list's 4 MB limit flushes, and every scan reads the whole list: at
200k posts after a bulk load each `match_keys && ...` probe read ~420 pending pages (20-45 ms
under load) even for a key held by 500 posts, and the planner, costing the list in, chose a
btree walk with a filter instead (one probe removed 119,511 rows: seconds). Posts and seekers
are written one at a time, so each write updates the index directly (a little slower) and
every read costs what the keys hold. The search document's index was made this way in 0004.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = (
    "ix_job_posts_open_match_keys",
    "ix_job_posts_search",
    "ix_seekers_match_keys",
    "ix_seekers_desired_minor",
)


def upgrade() -> None:
    for name in INDEXES:
        op.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        # What is already queued moves into the index now (not at the next vacuum).
        op.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"ALTER INDEX {name} RESET (fastupdate)")
