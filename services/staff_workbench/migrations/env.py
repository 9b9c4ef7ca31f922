"""Alembic environment of staff_workbench (own database, own version table)."""

from staff_workbench.adapters.tables import metadata
from suxin_common.migrate import run_migrations_env
from suxin_common.tables import platform_metadata

run_migrations_env([metadata, platform_metadata], version_table="alembic_version_staff_workbench")
