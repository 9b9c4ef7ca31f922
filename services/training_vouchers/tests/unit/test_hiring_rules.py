"""The hiring families: 一次性吸纳就业补贴 and 一次性扩岗补助 (not stackable, once per person),
and 就业见习补贴 at 60% of the local minimum wage."""

from __future__ import annotations

from datetime import date

import pytest

from suxin_common.reasons import render_all
from training_vouchers.domain.engine import Verdict
from training_vouchers.domain.model import ContractType, Education, JobKind, KeyGroup
from training_vouchers.domain.policy import Trigger, choose_per_family

from .conftest import paid_months


def decisions(policy, facts):
    return {rule.id: d for rule, d in policy.evaluate(facts, Trigger.HIRE)}


class TestWaitingForContributions:
    def test_a_graduate_hire_without_contributions_waits_for_them(self, policy, facts_of):
        d = decisions(policy, facts_of())

        assert d["one_time_absorption_graduate"].verdict is Verdict.PENDING
        assert d["job_expansion_youth"].verdict is Verdict.PENDING
        assert any(
            r.startswith("待数据：为其缴纳失业保险费1个月以上")
            for r in render_all(d["job_expansion_youth"].reasons, "zh")
        )
        assert d["one_time_absorption_difficulty"].verdict is Verdict.NOT_MET
        assert d["internship_subsidy"].verdict is Verdict.NOT_MET

    def test_one_month_of_contributions_meets_the_condition(self, policy, facts_of):
        d = decisions(policy, facts_of(paid_months("2026-03")))

        assert d["one_time_absorption_graduate"].verdict is Verdict.MET
        assert d["job_expansion_youth"].verdict is Verdict.MET
        assert d["job_expansion_youth"].amount_fen == 150_000

    def test_months_before_the_start_do_not_count(self, policy, facts_of):
        d = decisions(policy, facts_of(paid_months("2026-01", "2026-02")))

        assert d["job_expansion_youth"].verdict is Verdict.PENDING


class TestNoStacking:
    def test_a_graduate_gets_one_hiring_subsidy_the_highest(self, policy, facts_of):
        facts = facts_of(
            paid_months("2026-03"),
            key_groups=frozenset({KeyGroup.COLLEGE_GRADUATE, KeyGroup.EMPLOYMENT_DIFFICULTY}),
        )
        all_met = [
            rule.id for rule, d in policy.evaluate(facts, Trigger.HIRE) if d.verdict is Verdict.MET
        ]
        assert all_met == [
            "one_time_absorption_graduate",
            "one_time_absorption_difficulty",
            "job_expansion_youth",
        ]

        chosen = choose_per_family(policy, policy.evaluate(facts, Trigger.HIRE))

        assert list(chosen) == ["hiring_absorption"]
        assert chosen["hiring_absorption"].rule.id == "job_expansion_youth"
        assert chosen["hiring_absorption"].decision.amount_fen == 150_000

    def test_a_met_rule_wins_over_a_pending_one_of_higher_amount(self, policy, facts_of):
        # Social insurance paid, but no unemployment insurance: 吸纳 is met, 扩岗 still waits.
        facts = facts_of(paid_months("2026-03", unemployment_fen=0))
        chosen = choose_per_family(policy, policy.evaluate(facts, Trigger.HIRE))

        assert chosen["hiring_absorption"].rule.id == "one_time_absorption_graduate"
        assert chosen["hiring_absorption"].decision.verdict is Verdict.MET


class TestConditions:
    @pytest.mark.parametrize(
        ("changes", "reason"),
        [
            (
                {"graduation_date": date(2023, 6, 30)},
                "毕业年度（毕业当年1月1日至12月31日入职）或离校2年内",
            ),
            ({"education": Education.SENIOR_SECONDARY}, "高校毕业生"),
            ({"contract_months": 11}, "签订1年以上劳动合同"),
            ({"contract_type": ContractType.SERVICE_AGREEMENT}, "签订1年以上劳动合同"),
            ({"job_kind": JobKind.PART_TIME}, "全日制岗位"),
        ],
    )
    def test_each_unmet_condition_is_named(self, policy, facts_of, changes, reason):
        d = decisions(policy, facts_of(paid_months("2026-03"), **changes))[
            "one_time_absorption_graduate"
        ]

        assert d.verdict is Verdict.NOT_MET
        assert d.amount_fen == 0
        assert any(r.startswith("不符合：" + reason) for r in render_all(d.reasons, "zh")), (
            d.reasons
        )

    def test_an_open_ended_contract_qualifies(self, policy, facts_of):
        d = decisions(
            policy,
            facts_of(
                paid_months("2026-03"), contract_type=ContractType.OPEN_ENDED, contract_months=0
            ),
        )
        assert d["one_time_absorption_graduate"].verdict is Verdict.MET

    def test_registered_unemployed_youth_qualify_for_job_expansion(self, policy, facts_of):
        facts = facts_of(
            paid_months("2026-03"),
            education=Education.SENIOR_SECONDARY,
            graduation_date=None,
            key_groups=frozenset(),
            previously_unemployed=True,
            birth_year=2004,
        )
        d = decisions(policy, facts)
        assert d["job_expansion_youth"].verdict is Verdict.MET
        assert d["one_time_absorption_graduate"].verdict is Verdict.NOT_MET
        older = decisions(policy, facts | {"age_at_start": 25})
        assert older["job_expansion_youth"].verdict is Verdict.NOT_MET


class TestInternship:
    def test_60_percent_of_yangzhous_minimum_wage_for_at_most_six_months(self, policy, facts_of):
        facts = facts_of(
            job_kind=JobKind.INTERNSHIP,
            contract_type=ContractType.INTERNSHIP_AGREEMENT,
            contract_months=12,
        )
        d = decisions(policy, facts)["internship_subsidy"]

        # 扬州 is class 2: 2,070 yuan a month; 60% = 1,242 yuan; six months paid.
        assert d.verdict is Verdict.MET
        assert d.amount_fen == 124_200 * 6
        assert d.inputs_used["district_code"] == "321002"

    def test_a_class_1_city_pays_more_and_four_months_pay_four(self, policy, facts_of):
        facts = facts_of(
            job_kind=JobKind.INTERNSHIP,
            contract_type=ContractType.INTERNSHIP_AGREEMENT,
            contract_months=4,
            city_code="3201",
            district_code="320102",
        )
        assert decisions(policy, facts)["internship_subsidy"].amount_fen == 136_800 * 4

    @pytest.mark.parametrize(
        ("changes", "verdict"),
        [
            ({}, Verdict.MET),  # graduated June 2025, starts March 2026: within two years
            ({"graduation_date": date(2024, 3, 1)}, Verdict.MET),  # two years to the day
            ({"graduation_date": date(2024, 2, 29)}, Verdict.NOT_MET),  # a day more than two
            (
                {
                    "graduation_date": date(2020, 6, 30),
                    "previously_unemployed": True,
                    "birth_year": 2002,
                },
                Verdict.MET,
            ),  # fmt: skip  # 登记失业, 24 in the year
            (
                {
                    "graduation_date": date(2020, 6, 30),
                    "previously_unemployed": True,
                    "birth_year": 2001,
                },
                Verdict.NOT_MET,
            ),  # fmt: skip  # 25
            (
                {"graduation_date": date(2020, 6, 30), "birth_year": 2002},
                Verdict.NOT_MET,
            ),  # fmt: skip  # 24 but not registered unemployed
        ],
    )
    def test_interns_are_recent_graduates_or_unemployed_youth(
        self, policy, facts_of, changes, verdict
    ):
        """就业见习对象: 离校2年内未就业高校毕业生 and 16-24岁失业青年."""
        facts = facts_of(
            job_kind=JobKind.INTERNSHIP,
            contract_type=ContractType.INTERNSHIP_AGREEMENT,
            contract_months=6,
            **changes,
        )
        d = decisions(policy, facts)["internship_subsidy"]
        assert d.verdict is verdict, d.reasons
        if verdict is Verdict.NOT_MET:
            refusals = [r for r in render_all(d.reasons, "zh") if r.startswith("不符合")]
            assert any("见习对象" in r for r in refusals)

    def test_an_internship_under_three_months_gets_nothing(self, policy, facts_of):
        facts = facts_of(
            job_kind=JobKind.INTERNSHIP,
            contract_type=ContractType.INTERNSHIP_AGREEMENT,
            contract_months=2,
        )
        d = decisions(policy, facts)["internship_subsidy"]
        assert d.verdict is Verdict.NOT_MET
        assert any(r.startswith("不符合：见习期3个月以上") for r in render_all(d.reasons, "zh"))

    def test_the_minimum_wage_is_at_least_the_tiers_of_the_source(self, policy):
        table = policy.tables["minimum_wage"]
        assert table["tiers_fen"] == {"class_1": 228000, "class_2": 207000, "class_3": 184000}
        assert set(table["cities"]) == {f"32{n:02d}" for n in range(1, 14)}
