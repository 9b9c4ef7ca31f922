"""Kit tables: append-only, hash-chained audit log; idempotency keys.

The audit log refuses UPDATE, DELETE and TRUNCATE by trigger, whoever the caller is (only a
role that may drop triggers, i.e. the table owner, can get round it, which is why production
runs the services under a role that does not own the schema). PUBLIC loses UPDATE, DELETE and
TRUNCATE; if SUXIN_APP_DB_ROLE names the services' runtime role, it is granted SELECT and
INSERT only.

Revision ID: k0001
Revises:
"""

import os
import re

from alembic import op

from suxin_common.tables import audit_log, idempotency_keys

revision = "k0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION suxin_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    bind = op.get_bind()
    audit_log.create(bind)
    idempotency_keys.create(bind)
    op.execute(APPEND_ONLY_FUNCTION)
    op.execute(
        "CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION suxin_audit_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION suxin_audit_log_append_only()"
    )
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC")
    role = os.environ.get("SUXIN_APP_DB_ROLE")
    if role:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
            raise ValueError("SUXIN_APP_DB_ROLE must be a plain role name")
        op.execute(f'REVOKE ALL ON audit_log FROM "{role}"')
        op.execute(f'GRANT SELECT, INSERT ON audit_log TO "{role}"')


def downgrade() -> None:
    bind = op.get_bind()
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update_delete ON audit_log")
    idempotency_keys.drop(bind)
    audit_log.drop(bind)
    op.execute("DROP FUNCTION IF EXISTS suxin_audit_log_append_only()")
