"""The local stack: embedded PostgreSQL and NATS, migrations, the six services (`make run`).

- :class:`~suxin_devkit.devstack.postgres.EmbeddedPostgres`: a private PostgreSQL on 127.0.0.1
  (pgserver wheel or system binaries; as a non-root OS user when started as root).
- :class:`~suxin_devkit.devstack.nats.EmbeddedNats`: `nats-server -js` on 127.0.0.1.
- :class:`~suxin_devkit.devstack.stack.Stack`: both (unless `DATABASE_URL`/`NATS_URL` are
  given), one database per service, migrations, the services, demo data.
- :mod:`~suxin_devkit.devstack.control`: `suxin dev up|down|status` (the stack in the background).
- :mod:`~suxin_devkit.devstack.testinfra`: PostgreSQL and NATS for the test suite.

Submodules are imported on first use, so `import suxin_devkit.devstack` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EmbeddedPostgres": "suxin_devkit.devstack.postgres",
    "EmbeddedNats": "suxin_devkit.devstack.nats",
    "Stack": "suxin_devkit.devstack.stack",
    "SERVICES": "suxin_devkit.devstack.stack",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(module), name)
