"""Policy documents: validated completely, versioned with effective dates, and replayable."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest

from training_vouchers.domain.cases import Situation, open_cases, replay
from training_vouchers.domain.engine import Verdict
from training_vouchers.domain.policy import PolicyBook, PolicyError, Trigger, parse_policy
from training_vouchers.policies import available_versions, load_policy, policy_document

from .conftest import graduate_hire, paid_months


def next_version(expansion_fen: int) -> dict:
    """js-2026.1 with a higher 扩岗补助, as a new version from July 2026."""
    doc = copy.deepcopy(policy_document("js-2026.1"))
    doc["version"] = "js-2026.2"
    doc["effective_from"] = date(2026, 7, 1)
    rule = next(r for r in doc["rules"] if r["id"] == "job_expansion_youth")
    rule["amount"]["amount_fen"] = expansion_fen
    return doc


def test_the_shipped_policy_loads_and_flags_its_default_amounts():
    assert "js-2026.1" in available_versions()
    policy = load_policy("js-2026.1")
    assert policy.review_working_days == 20
    assert policy.amounts_confirmed is False
    assert set(policy.families) == {
        "hiring_absorption",
        "internship",
        "maternity_social_insurance",
        "job_stabilisation",
        "job_search",
        "startup_loan",
        "startup_base",
        "high_skill_innovation",
        "intelligent_upgrade",
        "su_gang_dai",
        "flexible_employment_insurance",
    }


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["rules"][0]["conditions"].append({"fact": "x", "roughly": 1}), "operator"),
        (lambda d: d["rules"][0].__setitem__("family", "nope"), "unknown family"),
        (lambda d: d["rules"][0]["amount"].__setitem__("formula", "guess"), "unknown formula"),
        (lambda d: d["rules"][3]["amount"].__setitem__("share", 0.6), "never floats"),
        (lambda d: d["rules"][0].__setitem__("colour", "red"), "colour"),
        (lambda d: d["rules"].append(copy.deepcopy(d["rules"][0])), "duplicate rule id"),
        (lambda d: d["rules"][0]["conditions"].append({"any_of": []}), "non-empty list"),
    ],
)
def test_a_broken_document_is_refused_with_the_reason(mutate, message):
    doc = copy.deepcopy(policy_document("js-2026.1"))
    mutate(doc)
    with pytest.raises(PolicyError, match=message):
        parse_policy(doc)


def test_the_version_in_force_follows_the_effective_dates():
    book = PolicyBook([load_policy("js-2026.1"), parse_policy(next_version(200_000))])

    assert book.in_force(date(2025, 12, 31)) is None
    assert book.in_force(date(2026, 6, 30)).version == "js-2026.1"
    assert book.in_force(date(2026, 7, 1)).version == "js-2026.2"
    with pytest.raises(PolicyError):
        PolicyBook([load_policy("js-2026.1"), load_policy("js-2026.1")])


@pytest.mark.parametrize(
    ("on", "answer"),
    [
        (date(2022, 6, 1), "no policy"),  # seed 000's year
        (date(2023, 6, 1), "no policy"),  # seed 003's year
        (date(2025, 12, 31), "no policy"),  # the day before the first version
        (date(2026, 1, 1), "js-2026.1"),  # its first day
        (date(2027, 6, 1), "js-2026.1"),  # in force until a later version replaces it
    ],
)
def test_a_day_before_the_first_version_is_answered_plainly(on, answer):
    book = PolicyBook([load_policy("js-2026.1")])
    if answer == "no policy":
        assert book.in_force(on) is None
        why = book.none_in_force(on)
        assert on.isoformat() in why and "js-2026.1" in why and "2026-01-01" in why
    else:
        assert book.in_force(on).version == answer
        assert book.none_in_force(on) is None


def test_a_new_version_changes_new_decisions_and_never_old_ones():
    old, new = load_policy("js-2026.1"), parse_policy(next_version(200_000))
    book = PolicyBook([old, new])
    at = datetime(2026, 3, 2, 2, tzinfo=UTC)

    def case_for(start: date):
        hire = graduate_hire(start_date=start)
        from training_vouchers.domain.facts import hire_facts

        situation = Situation(
            Trigger.HIRE,
            hire_facts(hire, paid_months(start.isoformat()[:7])),
            hire.enterprise_uscc,
            hire.person_key,
            hire.hire_id,
        )
        [case] = open_cases(situation, book.in_force(start), at)
        return case

    before, after = case_for(date(2026, 3, 1)), case_for(date(2026, 7, 1))

    assert (before.rule_version, before.amount_fen) == ("js-2026.1", 150_000)
    assert (after.rule_version, after.amount_fen) == ("js-2026.2", 200_000)
    # The old case replays to its own decision under its own version, whatever came later.
    replayed = replay(before, book.version(before.rule_version))
    assert replayed.verdict is Verdict.MET
    assert replayed.amount_fen == 150_000
    assert replayed.reasons == before.reasons
    with pytest.raises(ValueError):
        replay(before, new)


def test_a_decision_stores_every_fact_it_read_and_nothing_else(policy, facts_of):
    [(rule, decision)] = [
        (r, d)
        for r, d in policy.evaluate(facts_of(paid_months("2026-03")), Trigger.HIRE)
        if r.id == "one_time_absorption_difficulty"
    ]
    # Only the key groups of the rule are read; nothing about e.g. disability is stored apart
    # from the list as a whole, which the condition reads.
    assert set(decision.inputs_used) == {
        "key_groups",
        "job_kind",
        "contract_type",
        "contract_months",
        "social_insurance_months",
        "start_date",
        "unit_type",  # 机关事业单位 are not subsidised for hiring
    }
    assert rule.evaluate(decision.inputs_used) == decision
