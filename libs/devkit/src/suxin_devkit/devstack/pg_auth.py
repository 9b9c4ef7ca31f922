"""Client authentication of the embedded PostgreSQL (docs/security.md, "Least privilege")."""

from __future__ import annotations

import os
from pathlib import Path


def write_hba(data_dir: Path, superuser: str, uid: int | None, gid: int | None) -> None:
    """Password authentication (SCRAM) over TCP for every role but the superuser, which the
    devstack and the tests use to create databases and roles: the services' roles need their
    passwords, in development too. Rewritten at every start (older clusters were initialised
    with trust for everyone)."""
    hba = data_dir / "pg_hba.conf"
    hba.write_text(
        "# Written by suxin_devkit.devstack.pg_auth at every start.\n"
        "local all all trust\n"
        f"host all {superuser} 127.0.0.1/32 trust\n"
        f"host all {superuser} ::1/128 trust\n"
        # Base backups (the point-in-time restore drill) connect for replication.
        f"host replication {superuser} 127.0.0.1/32 trust\n"
        f"host replication {superuser} ::1/128 trust\n"
        "host all all 127.0.0.1/32 scram-sha-256\n"
        "host all all ::1/128 scram-sha-256\n"
    )
    if uid is not None:
        os.chown(hba, uid, gid if gid is not None else -1)
    hba.chmod(0o600)
