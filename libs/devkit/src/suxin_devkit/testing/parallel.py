"""How ``make test TEST_WORKERS=n`` shares the suite among pytest-xdist workers.

Each worker is a pytest session of its own with its own embedded PostgreSQL and NATS (the root
conftest's ``infra``), so whatever a test module sets up once (module-scoped fixtures: a whole
stack, a built app) must run on one worker, and so must tests that share something across
modules (a session-scoped fixture, a per-process cache, the documented ports).

pytest-xdist's own way to say so, ``@pytest.mark.xdist_group`` with ``--dist loadgroup``, does
nothing with pytest 9: xdist 3.8 renames the test (``item._nodeid``), a field pytest 9 no longer
reads (it keeps ``item._id``), so every test is scheduled on its own. With ``--dist loadgroup``
the root conftest uses :class:`GroupScheduling` instead: a work unit is a whole test module, or
a whole group of :data:`GROUPS` (test paths); the heaviest units (:data:`HEAVY_FIRST`) are handed
out first, so that no long one is left to run alone at the end.
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

# Tests that must share one worker: group name -> path prefixes (from the repository root).
GROUPS: dict[str, tuple[str, ...]] = {
    # One killable stack for the whole chaos suite (tests/chaos/conftest.py: session scope).
    "chaos": ("tests/chaos/",),
    # The image is built once per session (tests/ops/containers.py) in podman's one store.
    "containers": ("tests/ops/test_image_run.py", "tests/ops/test_kube_play.py"),
    # `make run`'s documented ports (8101...): a stack on them may run once at a time.
    "default-ports": ("tests/docs/test_command_blocks.py",),
}

# Units handed out before all others, longest first (seconds in a serial run, load ~5).
HEAVY_FIRST: tuple[str, ...] = (
    "chaos",  # ~400 s
    "containers",  # ~250 s when the image is rebuilt, ~40 s when it is up to date
    "default-ports",  # ~120 s: a stack with the demo data, every README block
    "tests/security/test_fuzz_openapi.py",
    "tests/e2e/test_hire_fanout.py",
    "tests/security/test_leak.py",
    "libs/devkit/tests/integration/test_demo_data.py",
)


def unit_of(nodeid: str) -> str:
    """The work unit of a test: its group, else its module."""
    path = nodeid.split("::", 1)[0]
    for group, prefixes in GROUPS.items():
        if path.startswith(prefixes):
            return group
    return path


class GroupScheduling(LoadScopeScheduling):
    """xdist's load-scope scheduling with :func:`unit_of` as the scope, heaviest units first."""

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node) -> None:  # noqa: ANN001
        def rank(unit: str) -> int:
            return HEAVY_FIRST.index(unit) if unit in HEAVY_FIRST else len(HEAVY_FIRST)

        first = min(self.workqueue, key=rank)  # the queue's order among equals
        self.workqueue.move_to_end(first, last=False)
        super()._assign_work_unit(node)
