"""Alembic environment of the kit's own tables (audit trail, idempotency keys), run in every
service database after the service's stream, with its own version table."""

from suxin_common.migrate import KIT_VERSION_TABLE, run_migrations_env
from suxin_common.tables import kit_metadata

run_migrations_env(kit_metadata, version_table=KIT_VERSION_TABLE)
