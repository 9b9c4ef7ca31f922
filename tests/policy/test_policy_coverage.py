"""docs/policy-coverage.md covers the code and the seeds: every rule and target id in the code
has a row, every row names rules, targets and tests that exist, every quote is verbatim from its
seed, and every figure of a seed (a number with its unit) is quoted in some row."""

from __future__ import annotations

import ast
import os
import re
from functools import cache
from pathlib import Path

import pytest

from employment_monitor.domain.model import MonitoringConfig
from training_vouchers.policies import load_book

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "policy-coverage.md"
PREFIXES = {
    "TV/": "services/training_vouchers/tests/",
    "EM/": "services/employment_monitor/tests/",
}
STATUSES = ("encoded", "out of scope", "needs data", "encoded / needs data")
ROW = re.compile(r"^\| (?P<id>(?:\d{3}|N)-\d+) \| (?P<sentence>.*?) \| (?P<status>[^|]+?) \| "
                 r"(?P<where>.*?) \| (?P<tests>.*?) \|$")  # fmt: skip
# A figure: a number and its unit (人, 万人次, %, 个, 家, 场, 亿元 …), or 二孩/三孩.
FIGURE = re.compile(
    r"(?<![\d〔.])(\d+(?:\.\d+)?\s?(?:万|亿)?(?:%|人次|人|个|家|场|元|名|期|所|次))"
    r"|([二三]孩)"
)


@cache
def rows() -> list[dict[str, str]]:
    found = [m.groupdict() for line in DOC.read_text(encoding="utf-8").splitlines()
             if (m := ROW.match(line))]  # fmt: skip
    assert found, "no rows in docs/policy-coverage.md"
    return found


def ids(kind: str) -> set[str]:
    return {i for r in rows() for i in re.findall(rf"`{kind}:([a-z0-9_.]+)`", r["where"])}


def seeds_dir() -> Path | None:
    candidates = [os.environ.get("SUXIN_SEEDS_DIR"), ROOT.parent / "shared" / "seeds",
                  ROOT.parent.parent / "shared" / "seeds", Path("/work/shared/seeds")]  # fmt: skip
    for c in candidates:
        if c and Path(c).is_dir() and any(Path(c).glob("00*.txt")):
            return Path(c)
    return None


def test_every_row_has_a_known_status_and_encoded_rows_name_a_test():
    for r in rows():
        assert r["status"] in STATUSES, r["id"]
        if r["status"].startswith("encoded"):
            assert "`" in r["where"] and "`" in r["tests"], f"{r['id']} names no place or test"


def test_every_rule_of_every_policy_version_has_a_row():
    in_code = {rule.id for policy in load_book().versions for rule in policy.rules}
    assert in_code - ids("rule") == set(), "rules with no row in docs/policy-coverage.md"
    assert ids("rule") - in_code == set(), "rows naming rules that do not exist"


def test_every_target_item_has_an_id_and_a_row():
    items = [i for t in MonitoringConfig.load().targets for i in t.items]
    assert all(i.id for i in items), "a target item without an id"
    in_code = {i.id for i in items}
    assert len(in_code) == len(items), "two target items share an id"
    assert in_code - ids("target") == set(), "targets with no row in docs/policy-coverage.md"
    assert ids("target") - in_code == set(), "rows naming targets that do not exist"


def test_every_named_code_path_exists():
    for r in rows():
        for path in re.findall(r"`code:([^`]+)`", r["where"]):
            assert (ROOT / path).is_file(), f"{r['id']}: {path}"


@cache
def _defined(path: Path) -> set[str]:
    """'name' and 'Class::name' of every test function in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}::{item.name}")
    return names


def test_every_named_test_exists():
    named = 0
    for r in rows():
        for ref in re.findall(r"`([^`]+\.py::[^`]+)`", r["tests"]):
            for short, long in PREFIXES.items():
                if ref.startswith(short):
                    ref = long + ref.removeprefix(short)
            path, _, name = ref.partition("::")
            assert (ROOT / path).is_file(), f"{r['id']}: no file {path}"
            assert name in _defined(ROOT / path), f"{r['id']}: no test {name} in {path}"
            named += 1
    assert named >= 50


def test_quotes_are_verbatim_from_their_seed():
    where = seeds_dir()
    if where is None:
        pytest.skip("the seed documents (shared/seeds) are not beside this checkout")
    seeds = {p.name[:3]: p.read_text(encoding="utf-8") for p in where.glob("00*.txt")}
    for r in rows():
        seed = r["id"].split("-")[0]
        if seed == "N":
            continue
        quotes = re.findall(r"「(.*?)」", r["sentence"])
        assert quotes, f"{r['id']} quotes nothing"
        for q in quotes:
            assert q in seeds[seed], f"{r['id']}: not in seed {seed}: {q[:40]}"


def test_every_figure_of_every_seed_is_quoted():
    where = seeds_dir()
    if where is None:
        pytest.skip("the seed documents (shared/seeds) are not beside this checkout")
    quoted: dict[str, str] = {}
    for r in rows():
        seed = r["id"].split("-")[0]
        quoted[seed] = quoted.get(seed, "") + "\n".join(re.findall(r"「(.*?)」", r["sentence"]))
    missing = []
    for p in sorted(where.glob("00*.txt")):
        seed = p.name[:3]
        for m in FIGURE.finditer(p.read_text(encoding="utf-8")):
            figure = m.group(0)
            if figure not in quoted.get(seed, ""):
                missing.append(f"{seed}: {figure}")
    assert missing == [], "figures of the seeds quoted in no row"
