"""Alembic environment of talent-card (own database, own version table)."""

from suxin_common.migrate import run_migrations_env
from suxin_common.tables import platform_metadata
from talent_card.adapters.tables import metadata

run_migrations_env([metadata, platform_metadata], version_table="alembic_version_talent_card")
