"""The condition language: three outcomes (met, not met, pending on data still to come)."""

from __future__ import annotations

import pytest

from suxin_common.reasons import render_all
from training_vouchers.domain.engine import (
    RuleError,
    Verdict,
    decide,
    parse_condition,
    parse_formula,
    to_fen,
)

PENDING_MONTHS = {"fact": "months", "at_least": 1, "awaits_data": True, "says": "paid"}


@pytest.mark.parametrize(
    ("doc", "facts", "verdict"),
    [
        ({"fact": "x", "between": [1, 3]}, {"x": 3}, Verdict.MET),
        ({"fact": "x", "between": [1, 3]}, {"x": 4}, Verdict.NOT_MET),
        ({"fact": "x", "in": ["a"]}, {}, Verdict.NOT_MET),  # unknown fact
        ({"fact": "g", "intersects": ["a", "b"]}, {"g": ["c", "b"]}, Verdict.MET),
        ({"fact": "x", "at_least": 1}, {"x": "text"}, Verdict.NOT_MET),  # wrong type
        (PENDING_MONTHS, {"months": 0}, Verdict.PENDING),
        (PENDING_MONTHS, {}, Verdict.PENDING),
        (
            {"any_of": [{"fact": "x", "equals": 1}, PENDING_MONTHS]},
            {"x": 2, "months": 0},
            Verdict.PENDING,
        ),
        (
            {"any_of": [{"fact": "x", "equals": 1}, PENDING_MONTHS]},
            {"x": 1, "months": 0},
            Verdict.MET,
        ),
        (
            {"all_of": [{"fact": "x", "equals": 1}, PENDING_MONTHS]},
            {"x": 2, "months": 0},
            Verdict.NOT_MET,
        ),
    ],
)
def test_verdicts(doc, facts, verdict):
    assert parse_condition(doc, "t").evaluate(facts) is verdict


def test_a_decision_reads_its_reasons_and_amount():
    conditions = [parse_condition({"fact": "x", "equals": 1, "says": "x is one"}, "t")]
    formula = parse_formula({"formula": "fixed", "amount_fen": 500}, {}, "t")

    met = decide(conditions, formula, {"x": 1, "unused": 9})
    not_met = decide(conditions, formula, {"x": 2})

    assert (met.verdict, met.amount_fen, met.inputs_used) == (Verdict.MET, 500, {"x": 1})
    assert render_all(met.reasons, "zh") == ["符合：x is one（x=1）", "金额：定额 500 分"]
    assert render_all(met.reasons, "en") == ["met: x is one (x=1)", "amount: a fixed 500 fen"]
    assert not_met.amount_fen == 0
    assert render_all(not_met.reasons, "zh") == ["不符合：x is one（x=2）"]


@pytest.mark.parametrize(
    "doc",
    [
        {"fact": "x"},
        {"fact": "x", "in": "a"},
        {"fact": "x", "between": [1]},
        {"fact": "x", "equals": 1, "at_least": 2},
        {"equals": 1},
        {"fact": "x", "equals": 1, "awaits_data": "yes"},
    ],
)
def test_malformed_conditions_are_refused(doc):
    with pytest.raises(RuleError):
        parse_condition(doc, "t")


def test_money_rounds_half_up_to_the_fen():
    from decimal import Decimal

    assert to_fen(Decimal("0.5")) == 1 and to_fen(Decimal("102800.4")) == 102800
