"""Schemathesis against every service's OpenAPI: positive and negative data, zero 5xx.

Each service runs in process (schemathesis' ASGI transport, its lifespan started: database
migrated, NATS connected, no background workers) and is called with a development token that
holds every role, so the handlers behind the role checks are reached. Examples per operation
and mode: SUXIN_FUZZ_EXAMPLES (default 10), derandomised so runs repeat.
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.python.asgi import shutdown_lifespans

from security.harness import SERVICES, create_app, service_settings, token_for
from suxin_common.auth import Role

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("SUXIN_FUZZ_EXAMPLES", "10"))
SKIP_PATHS = {"/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"}


def run_async(coro) -> Any:
    """Run a coroutine on a private loop in a helper thread (the test itself is synchronous)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the test's thread
            box["error"] = exc

    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.mark.parametrize("service", SERVICES)
def test_no_input_makes_a_service_fail_with_5xx(infra, service):
    db = run_async(infra.service_database(service, f"sec_{service}"))
    settings = service_settings(service, db.runtime_url, infra.nats_url_for(service))
    app = create_app(service, settings)
    headers = {"Authorization": "Bearer " + token_for(settings, *Role, subject="fuzzer")}
    failures: list[str] = []
    calls = [0]
    operations = 0
    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.path in SKIP_PATHS:
                continue
            operations += 1
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                failures += fuzz(operation, mode, headers, calls)
    finally:
        shutdown_lifespans()
        run_async(infra.drop_database(db.database))
    assert calls[0] >= operations > 0, "the fuzzer did not reach the service"
    assert not failures, f"{service}: server errors\n" + "\n".join(sorted(set(failures)))


def fuzz(operation, mode: GenerationMode, headers: dict[str, str], calls: list[int]) -> list[str]:
    found: list[str] = []

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def probe(case) -> None:
        where = f"{operation.method.upper()} {operation.path} ({mode.value})"
        calls[0] += 1
        try:
            response = case.call(headers=headers)
        except Exception as exc:  # the in-process client re-raises what the app's 500 hid
            found.append(f"{where}: 500 from {type(exc).__name__}: {str(exc)[:160]!r}")
            return
        if response.status_code >= 500:
            found.append(f"{where}: {response.status_code} {response.text[:160]!r}")

    try:
        probe()
    except (hypothesis.errors.Unsatisfiable, hypothesis.errors.FailedHealthCheck):
        pass  # e.g. no negative data exists for an operation without parameters
    return found
