"""Kit: the audit log is several hash chains (no single serial section for every transaction).

Revision ID: k0005
Revises: k0004

Each row records its chain (0 for the rows written before: they stay one chain). A transaction
claims a chain with ``suxin_audit_claim(chains)``: the first chain whose transaction-scoped
advisory lock is free, starting from one that depends on the backend (so a pooled connection
keeps to its chain), waiting only if every chain is taken; it returns the chain and its head, read
by a statement of its own after the lock was granted (a VOLATILE function's statements each take
a new snapshot under READ COMMITTED), so the head is the committed one.
"""

from alembic import op

revision = "k0005"
down_revision = "k0004"
branch_labels = None
depends_on = None

# Lock space of the chains: (this key, chain number); two-int advisory locks, apart from the
# one-bigint lock the single chain took before.
CLAIM_FUNCTION = """
CREATE OR REPLACE FUNCTION suxin_audit_claim(p_chains integer)
RETURNS TABLE (claimed integer, head text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    start integer := pg_backend_pid() % p_chains;
    c integer;
BEGIN
    FOR i IN 0 .. p_chains - 1 LOOP
        c := (start + i) % p_chains;
        IF pg_try_advisory_xact_lock(1398102089, c) THEN
            claimed := c;
            head := (SELECT a.hash FROM audit_log a WHERE a.chain = c ORDER BY a.id DESC LIMIT 1);
            RETURN NEXT;
            RETURN;
        END IF;
    END LOOP;
    PERFORM pg_advisory_xact_lock(1398102089, start);
    claimed := start;
    head := (SELECT a.hash FROM audit_log a WHERE a.chain = start ORDER BY a.id DESC LIMIT 1);
    RETURN NEXT;
END;
$$
"""


def upgrade() -> None:
    op.execute("ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS chain smallint NOT NULL DEFAULT 0")
    op.execute("CREATE INDEX IF NOT EXISTS ix_audit_log_chain ON audit_log (chain, id)")
    op.execute(CLAIM_FUNCTION)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS suxin_audit_claim(integer)")
    op.execute("DROP INDEX IF EXISTS ix_audit_log_chain")
    op.execute("ALTER TABLE audit_log DROP COLUMN IF EXISTS chain")
