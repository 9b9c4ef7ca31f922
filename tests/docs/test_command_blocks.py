"""The command blocks of README.md and docs/partners.md run verbatim against `make run`.

The stack starts as `make run` starts it — embedded PostgreSQL and NATS, every service on its
documented port, the demo data loaded — and each document's ```bash blocks run in order in one
bash shell from the repository root (`set -euo pipefail`: a failing command fails the test), as
a reader pasting them would. Blocks fenced ```sh hold only `make` commands (they would start
another stack), which this test checks so that nothing else escapes being run.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from suxin_devkit.devstack._proc import private_tmpdir
from suxin_devkit.devstack.stack import DEV_BASE_PORT, SERVICES, Stack, default_ports

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.timeout(900)]

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = ["README.md", "docs/partners.md"]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(document: str, language: str) -> list[str]:
    text = (REPO / document).read_text(encoding="utf-8")
    return [body for lang, body in FENCE.findall(text) if lang == language]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("document", DOCUMENTS)
def test_sh_blocks_hold_only_make_commands(document: str) -> None:
    for body in blocks(document, "sh"):
        for line in body.splitlines():
            command = line.split("#", 1)[0].strip()
            assert not command or command.startswith("make "), f"{document}: {line!r}"


@pytest.fixture(scope="module")
def stack():
    ports = default_ports(DEV_BASE_PORT, SERVICES)
    busy = [p for p in ports.values() if not _port_free(p)]
    if busy:
        pytest.skip(f"the documented ports {busy} are in use (is `make run` running?)")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DATABASE_URL", raising=False)
        mp.delenv("NATS_URL", raising=False)
        workdir = private_tmpdir("suxin-docs-test-")
        stack = Stack(
            workdir / "devstack",
            services=ports,
            load_demo=True,
            ready_timeout=180.0,
            extra_env={"LOG_LEVEL": "warning"},
            out=sys.stderr,
        )
        try:
            stack.start()
            yield stack
        finally:
            stack.stop()
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_bash_block_runs_verbatim(stack, document: str, tmp_path: Path) -> None:
    commands = blocks(document, "bash")
    assert commands, f"{document} has no command blocks"
    script = tmp_path / "blocks.sh"
    script.write_text(
        "set -euo pipefail\n"
        + "".join(f"\n# --- block {n}\n{body}" for n, body in enumerate(commands, 1)),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL")}
    env["SUXIN_DEVSTACK_DIR"] = str(stack.dir)
    log = tmp_path / "output.txt"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", str(script)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: background commands end with it
        )
        try:
            process.wait(timeout=600)
        finally:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    output = log.read_text(errors="replace")
    assert process.returncode == 0, f"{document}: a command failed\n{output[-6000:]}"
