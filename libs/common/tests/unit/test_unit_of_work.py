"""The unit of work's repositories and the in-memory fake handlers are unit-tested with."""

from __future__ import annotations

import asyncio

import pytest

from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.db import UnitOfWork, Work, unit_of_work_factory, with_repositories
from suxin_devkit.testing.uow import FakeUnitOfWork


class Repos:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow


def test_repositories_are_built_once_with_the_unit_of_work() -> None:
    open_unit = unit_of_work_factory(None, source="/suxin/t", repositories=Repos)  # type: ignore[arg-type]
    uow = open_unit()
    assert isinstance(uow.repos, Repos) and uow.repos.uow is uow
    assert uow.repos is uow.repos
    assert open_unit().repos is not uow.repos


def test_a_unit_of_work_without_repositories_says_so() -> None:
    uow: UnitOfWork = UnitOfWork(None, source="/suxin/t")  # type: ignore[arg-type]
    with pytest.raises(RuntimeError, match="repositories"):
        _ = uow.repos


def test_with_repositories_gives_an_event_handler_the_services_repositories() -> None:
    seen = []

    async def on_event(uow: Work[Repos], obj: str) -> None:
        seen.append((uow.repos.uow is uow, obj))

    handle = with_repositories(Repos, on_event)
    asyncio.run(handle(UnitOfWork(None, source="/suxin/t"), "x"))  # type: ignore[arg-type]
    assert seen == [(True, "x")] and handle.__name__ == "on_event"


def test_the_fake_keeps_what_was_committed_and_drops_the_rest() -> None:
    uow = FakeUnitOfWork({"hires": {}})
    fake: Work[dict] = uow  # the fake is a Work

    async def scenario() -> None:
        async with fake:
            fake.publish(hiring.HireRecorded(hire_id="h1"), key="h1")
            await fake.append_audit([{"action": "record_hire"}])
            await fake.commit()
        async with fake:  # refused: nothing recorded survives
            fake.publish(hiring.HireRecorded(hire_id="h2"), key="h2")
            await fake.append_audit([{"action": "record_hire"}])

    asyncio.run(scenario())
    assert [e.key for e in uow.published] == ["h1"]
    assert [m.hire_id for m in uow.events_named("HireRecorded")] == ["h1"]
    assert [e["action"] for e in uow.audit_entries] == ["record_hire"]
    assert (uow.commits, uow.rollbacks) == (1, 1)


def test_deps_open_units_of_work_with_the_services_repositories() -> None:
    from suxin_common.service import Deps, Runtime

    runtime = Runtime(None, None, None, None, "/suxin/t", repositories=Repos)  # type: ignore[arg-type]
    deps: Deps = Deps(runtime, None)  # type: ignore[arg-type]
    uow = deps.uow()
    assert isinstance(uow.repos, Repos) and uow.source == "/suxin/t"
    assert deps.clock().tzinfo is not None
    runtime.settings = "replaced"  # type: ignore[assignment]
    assert deps.settings == "replaced"


def test_routes_of_a_service_not_started_yet_are_told_so() -> None:
    from types import SimpleNamespace

    from suxin_common.service import get_deps
    from suxin_common.web import ServiceUnavailable

    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(deps=None)))
    with pytest.raises(ServiceUnavailable):
        asyncio.run(get_deps(request))  # type: ignore[arg-type]
