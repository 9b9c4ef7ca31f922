"""One vocabulary of rule reasons (issue 26): every reason code a service stores is in the
catalogue (suxin_common/messages/reasons.yaml) in Chinese and English, and so is every
policy's own wording a reason carries (a condition's meaning, a situation's name)."""

from __future__ import annotations

import re
from pathlib import Path

from suxin_common import reasons as why

ROOT = Path(__file__).resolve().parents[2]
STORED = re.compile(r"""\bstored\(\s*["']([a-z_]+\.[a-z_]+)["']""")


def test_every_code_stored_in_the_services_is_in_the_catalogue():
    codes = why.catalogue()["codes"]
    found = set()
    for path in [*ROOT.glob("services/*/src/**/*.py"), *ROOT.glob("libs/*/src/**/*.py")]:
        found |= set(STORED.findall(path.read_text("utf-8")))
    assert found, "no stored reason codes found: has the pattern changed?"
    assert sorted(found - set(codes)) == []


def test_every_verdict_and_matching_code_is_in_the_catalogue():
    from job_matching.domain import matching
    from job_matching.reasons import REASON_PREFIX
    from training_vouchers.domain.engine import REASON_CODES

    codes = why.catalogue()["codes"]
    assert set(REASON_CODES.values()) <= set(codes)
    source = Path(matching.__file__).read_text("utf-8")
    emitted = set(
        re.findall(r'"((?:no|same|one|wage|wish|meets|below|skills|occupation)_[a-z_]+)"', source)
    )
    emitted |= set(matching.REGION_TIERS)
    assert emitted and sorted(c for c in emitted if REASON_PREFIX + c not in codes) == []


def test_every_policy_phrase_a_reason_carries_has_its_english():
    from training_vouchers.domain.calculator import TRIGGERS_ZH
    from training_vouchers.policies import load_book

    phrases = why.catalogue()["phrases"]
    missing = set()

    def walk(condition):
        if condition.says not in phrases and re.search(r"[\u3400-\u9fff]", condition.says):
            missing.add(condition.says)
        for part in (*condition.any_of, *condition.all_of):
            walk(part)

    for policy in load_book().versions:
        for rule in policy.rules:
            for condition in rule.conditions:
                walk(condition)
    missing |= {t for t in TRIGGERS_ZH.values() if t not in phrases}
    assert sorted(missing) == []
