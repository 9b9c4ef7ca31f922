"""Store outbox payloads uncompressed in gig-market's database.

An OrdersReported chunk is ~170 kB of protobuf (2,000 orders); PostgreSQL's default pglz TOAST
compression of it costs ~4 ms per chunk on the order-ingest path, about 2 µs per order, to
save ~40 % of a row that the relay deletes after its retention period anyway. EXTERNAL keeps
it out of line but uncompressed. (Storage is physical: the table's shape does not change.)

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.execute("ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTENDED")
