"""What create_app wires into the routes' one dependency object (api/deps.py), without a server:
the monitoring configuration, the replay lock (one rebuild at a time) and the dashboard's
assets."""

from __future__ import annotations

import asyncio

import pytest

from employment_monitor import replay
from employment_monitor.api import admin
from employment_monitor.api.deps import ServiceDeps
from employment_monitor.app import create_app
from employment_monitor.settings import Settings
from suxin_common.errors import Conflict


def deps_of_app() -> ServiceDeps:
    return create_app(Settings(environment="test")).state.service_deps


def test_create_app_builds_the_deps_once_with_the_packaged_configuration():
    deps = deps_of_app()

    assert deps.runtime is None  # the lifespan installs it
    assert deps.config.warning.period_months > 0
    assert deps.settings.replay_batch_size == 50_000


async def test_a_replay_while_one_runs_is_refused_and_the_next_one_runs(monkeypatch):
    deps = deps_of_app()
    calls = []

    async def rebuild(database_url, nats_url, *, batch_size):
        calls.append(batch_size)
        return replay.ReplayReport(events=3)

    monkeypatch.setattr(replay, "rebuild", rebuild)

    async with deps.replay_lock:
        with pytest.raises(Conflict):
            await admin.replay_read_models(deps)
    answer = await admin.replay_read_models(deps)

    assert calls == [50_000] and answer["events"] == 3
    assert not deps.replay_lock.locked()


def test_the_dashboard_assets_are_known_by_name_only():
    deps = deps_of_app()

    content, media_type = deps.assets.get("dashboard.js")
    assert media_type == "text/javascript" and content
    assert deps.assets.get("../settings.py") is None
    # Read once: the same bytes object again.
    assert deps.assets.get("dashboard.js")[0] is content


def test_each_app_has_its_own_replay_lock():
    assert deps_of_app().replay_lock is not deps_of_app().replay_lock
    assert isinstance(deps_of_app().replay_lock, asyncio.Lock)
