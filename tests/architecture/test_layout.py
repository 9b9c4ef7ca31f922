"""docs/architecture.md, kept true: the layout it describes, checked from the source tree.

Pure file reading and `ast` parsing (no imports of the code, no servers): part of `make unit`.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "src" / p.name).is_dir())
KIT, DEVKIT = "suxin_common", "suxin_devkit"
DOC = ROOT / "docs" / "architecture.md"

# What every service's package holds (a handlers package once handlers.py passes ~400 lines).
PACKAGES = ("domain", "adapters", "api")
MODULES = ("app.py", "consumers.py", "contracts.py", "settings.py")
# Fronts own no business state and take part in no event flow (the staff workbench renders
# pages over the services' APIs): they have only domain/, api/, app.py and settings.py.
FRONTS = {"staff_workbench"}
FRONT_PACKAGES = ("domain", "api")
FRONT_MODULES = ("app.py", "settings.py")

# No module grows past this many lines; split by aggregate instead. The modules already past it
# wait for their split here (remove a line when its module is split; never add one lightly).
MAX_LINES = 600
OVER_THE_LIMIT: set[str] = set()
# What the pure domain model may not import: I/O, frameworks, and the outer floors.
DOMAIN_FORBIDDEN = (
    "sqlalchemy",
    "asyncpg",
    "fastapi",
    "starlette",
    "nats",
    "httpx",
    "suxin_common.db",
    "suxin_common.web",
    "suxin_common.service",
)


def _package(service: str) -> Path:
    return ROOT / "services" / service / "src" / service


def _sources(top: Path) -> list[Path]:
    return sorted(p for p in top.rglob("*.py") if "__pycache__" not in p.parts)


@cache
def _imports(path: Path) -> frozenset[str]:
    """Every module `path` imports (absolute names; relative imports are inside the package)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return frozenset(names)


def _importing(paths: list[Path], banned: tuple[str, ...]) -> list[str]:
    return [
        f"{p.relative_to(ROOT)} imports {name}"
        for p in paths
        for name in sorted(_imports(p))
        if any(name == b or name.startswith(b + ".") for b in banned)
    ]


def test_the_doc_names_every_service():
    text = DOC.read_text(encoding="utf-8")
    missing = [s for s in SERVICES if f"services/{s}" not in text]
    assert not missing, f"docs/architecture.md does not describe {missing}"


def test_every_service_has_the_described_layout():
    wrong = []
    for service in SERVICES:
        package = _package(service)
        front = service in FRONTS
        packages, modules = (FRONT_PACKAGES, FRONT_MODULES) if front else (PACKAGES, MODULES)
        wrong += [f"{service}: no {d}/" for d in packages if not (package / d).is_dir()]
        wrong += [f"{service}: no {m}" for m in modules if not (package / m).is_file()]
        handlers = (package / "handlers.py").is_file() or (package / "handlers").is_dir()
        if not (front or handlers):
            wrong.append(f"{service}: no handlers.py or handlers/")
        app = (package / "app.py").read_text(encoding="utf-8")
        if not re.search(r"^def create_app\(", app, re.M):
            wrong.append(f"{service}: app.py has no create_app")
    assert not wrong, wrong


def test_no_service_imports_another():
    wrong = []
    for service in SERVICES:
        others = tuple(s for s in SERVICES if s != service)
        # Runtime code; a service's tests may start others to drive a scenario.
        wrong += _importing(_sources(_package(service)), others)
    assert not wrong, wrong


def test_the_kit_imports_no_service_and_not_the_devkit():
    kit = _sources(ROOT / "libs" / "common" / "src")
    assert not _importing(kit, (DEVKIT, *SERVICES))


def test_services_runtime_code_does_not_import_the_devkit():
    runtime = [p for s in SERVICES for p in _sources(_package(s))]
    assert not _importing(runtime, (DEVKIT,))


def test_the_domain_model_does_no_io():
    wrong = []
    for service in SERVICES:
        domain = _sources(_package(service) / "domain")
        floors = tuple(f"{service}.{floor}" for floor in ("adapters", "api", "handlers", "app"))
        wrong += _importing(domain, DOMAIN_FORBIDDEN + floors)
    assert not wrong, wrong


def test_no_module_passes_the_line_limit_except_the_listed_ones():
    code = [p for top in ("services", "libs") for p in _sources(ROOT / top) if "/src/" in str(p)]
    code = [p for p in code if "libs/contracts" not in str(p.relative_to(ROOT))]
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in code
    }
    too_long = sorted(p for p, n in sizes.items() if n > MAX_LINES and p not in OVER_THE_LIMIT)
    assert not too_long, f"split by aggregate: {too_long}"
    stale = sorted(p for p in OVER_THE_LIMIT if sizes.get(p, 0) <= MAX_LINES)
    assert not stale, f"no longer over {MAX_LINES} lines, take them off the list: {stale}"


# Services whose routes receive one typed dependency object (`deps: <Service>Deps`, the kit's
# Deps, or the service's own frozen dataclass on the kit's RuntimeAccess built in create_app):
# no `app.state`, no RuntimeDep/UowDep, no `@cache`/`lru_cache` singletons, no `partial` wiring.
# The listed modules wait for their owner's next change (job-matching's search and matching
# routes).
ONE_DEPENDENCY = {
    "job_matching",
    "gig_market",
    "data_exchange",
    "injury_insurance",
    "talent_card",
    "employment_monitor",
}
ONE_DEPENDENCY_WAITING = {
    "services/job_matching/src/job_matching/api/matching.py",
    "services/job_matching/src/job_matching/api/search_routes.py",
}


ROUTES_REACHING_PAST_DEPS = (
    r"\bapp\.state\b|\bRuntimeDep\b|\bUowDep\b|@(functools\.)?(cache|lru_cache)\b|\bpartial\("
)


def test_routes_of_converted_services_receive_one_typed_dependency_object():
    offending = []
    for service in sorted(ONE_DEPENDENCY):
        for path in _sources(_package(service) / "api"):
            name = str(path.relative_to(ROOT))
            if name in ONE_DEPENDENCY_WAITING or path.name == "deps.py":
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(ROUTES_REACHING_PAST_DEPS, text):
                offending.append(name)
    assert not offending, f"routes reaching past their Deps: {offending}"


# Services whose code refuses with the kit's domain errors (suxin_common.errors: NotFound,
# Forbidden, Conflict, RuleViolation), which the web layer answers as problem details: none of
# their modules raises the web layer's problem classes of the same names.
DOMAIN_ERRORS = {
    "data_exchange",
    "employment_monitor",
    "gig_market",
    "injury_insurance",
    "job_matching",
    "talent_card",
}
WEB_PROBLEMS = frozenset({"NotFound", "Forbidden", "Conflict", "Unprocessable"})


def _names_imported_from(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == module and node.level == 0
        for alias in node.names
    }


def test_converted_services_refuse_with_domain_errors():
    offending = [
        f"{path.relative_to(ROOT)} imports {sorted(found)} from suxin_common.web"
        for service in sorted(DOMAIN_ERRORS)
        for path in _sources(_package(service))
        if (found := _names_imported_from(path, "suxin_common.web") & WEB_PROBLEMS)
    ]
    assert not offending, offending


def test_handlers_of_converted_services_know_nothing_of_http():
    wrong = []
    for service in sorted(ONE_DEPENDENCY | DOMAIN_ERRORS):
        package = _package(service)
        handlers = [package / "handlers.py"] if (package / "handlers.py").is_file() else []
        handlers += _sources(package / "handlers") if (package / "handlers").is_dir() else []
        wrong += _importing(handlers, ("fastapi", "starlette", "suxin_common.web"))
    assert not wrong, wrong
