"""Policies are versioned configuration, validated completely when loaded."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from training_vouchers.domain.model import DeliveryMode, KeyGroup
from training_vouchers.domain.policy import PolicyError, parse_policy
from training_vouchers.policies import UnknownPolicyVersion, available_versions, load_policy

DOCUMENT = {
    "version": "test-1",
    "effective_from": date(2026, 1, 1),
    "review_working_days": 20,
    "amounts_confirmed": True,
    "rules": [
        {
            "id": "difficulty",
            "type": "one_time_absorption_key_group",
            "name": {"zh": "一次性吸纳就业补贴", "en": "One-time absorption subsidy"},
            "delivery_mode": "no_application",
            "parameters": {
                "amount_fen": 100_000,
                "key_groups": ["employment_difficulty"],
                "min_contract_months": 12,
                "job_kinds": ["full_time"],
            },
        }
    ],
}


def document(**changes):
    doc = copy.deepcopy(DOCUMENT)
    doc.update(changes)
    return doc


class TestShippedPolicy:
    def test_js_2026_1_has_the_three_employment_subsidy_rules(self):
        policy = load_policy("js-2026.1")

        assert policy.version == "js-2026.1"
        assert policy.review_working_days == 20
        assert [r.id for r in policy.rules] == [
            "one_time_absorption_graduate",
            "one_time_absorption_difficulty",
            "internship_subsidy",
        ]
        assert {r.delivery_mode for r in policy.rules} == {DeliveryMode.NO_APPLICATION}
        assert all(r.name_zh and r.name_en for r in policy.rules)

    def test_its_parameters(self):
        rules = {r.id: r.parameters for r in load_policy("js-2026.1").rules}

        graduate = rules["one_time_absorption_graduate"]
        assert (graduate.max_months_since_graduation, graduate.min_contract_months) == (24, 12)
        assert rules["one_time_absorption_difficulty"].key_groups == {
            KeyGroup.EMPLOYMENT_DIFFICULTY,
            KeyGroup.POVERTY_ALLEVIATED,
        }
        assert rules["internship_subsidy"].max_months == 12

    def test_its_amounts_are_marked_as_placeholders(self):
        assert load_policy("js-2026.1").amounts_confirmed is False

    def test_is_listed(self):
        assert "js-2026.1" in available_versions()


class TestLoading:
    @pytest.mark.parametrize("version", ["js-1999.1", "../../etc/passwd", "JS-2026.1", ""])
    def test_an_unknown_version_is_refused(self, version):
        with pytest.raises(UnknownPolicyVersion):
            load_policy(version)


class TestParsing:
    def test_a_valid_document(self):
        policy = parse_policy(DOCUMENT)
        assert policy.version == "test-1"
        assert policy.rules[0].parameters.amount_fen == 100_000

    def test_a_misspelt_parameter_names_the_rule_and_the_parameter(self):
        rules = copy.deepcopy(DOCUMENT["rules"])
        rules[0]["parameters"]["min_contract_month"] = rules[0]["parameters"].pop(
            "min_contract_months"
        )
        with pytest.raises(PolicyError, match=r"rule difficulty.*min_contract_month"):
            parse_policy(document(rules=rules))

    def test_an_unknown_key_group_is_refused(self):
        rules = copy.deepcopy(DOCUMENT["rules"])
        rules[0]["parameters"]["key_groups"] = ["employment_dificulty"]
        with pytest.raises(PolicyError, match="key_groups"):
            parse_policy(document(rules=rules))

    def test_a_negative_amount_is_refused(self):
        rules = copy.deepcopy(DOCUMENT["rules"])
        rules[0]["parameters"]["amount_fen"] = -1
        with pytest.raises(PolicyError, match="amount_fen"):
            parse_policy(document(rules=rules))

    def test_an_unknown_rule_type_is_refused(self):
        rules = copy.deepcopy(DOCUMENT["rules"])
        rules[0]["type"] = "maternity_insurance_subsidy"
        with pytest.raises(PolicyError, match="unknown rule type"):
            parse_policy(document(rules=rules))

    def test_rule_ids_are_unique(self):
        with pytest.raises(PolicyError, match="duplicate"):
            parse_policy(document(rules=DOCUMENT["rules"] * 2))

    def test_the_review_period_is_required(self):
        doc = document()
        del doc["review_working_days"]
        with pytest.raises(PolicyError, match="review_working_days"):
            parse_policy(doc)


class TestEvaluation:
    def test_every_rule_decides(self, make_hire):
        decisions = {
            rule.id: decision.eligible
            for rule, decision in load_policy("js-2026.1").evaluate(make_hire())
        }
        assert decisions == {
            "one_time_absorption_graduate": True,
            "one_time_absorption_difficulty": False,
            "internship_subsidy": False,
        }
