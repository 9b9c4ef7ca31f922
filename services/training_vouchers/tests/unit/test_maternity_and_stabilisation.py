"""Seed 003's maternity social-insurance subsidy on a worked example, and 稳岗返还."""

from __future__ import annotations

from datetime import date

import pytest

from suxin_common.reasons import render_all
from training_vouchers.domain.engine import Verdict
from training_vouchers.domain.facts import (
    BirthFacts,
    EnterpriseYear,
    birth_facts,
    enterprise_year_facts,
)
from training_vouchers.domain.model import EnterpriseSize
from training_vouchers.domain.policy import Trigger

from .conftest import ENTERPRISE_USCC, paid_months

SIX_MONTHS = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
# Per month, the employer paid: pension 1,280 + medical 640 + unemployment 40 + work injury 32
# + maternity 64 = 2,056 yuan; the employee's own 840 yuan is not subsidised.
EMPLOYER_MONTH_FEN = 205_600


def maternity(policy, child_order: int, months, gender: str = "female"):
    birth = BirthFacts("pk_" + "1" * 32, ENTERPRISE_USCC, date(2026, 3, 14), child_order, gender)
    [(rule, decision)] = policy.evaluate(birth_facts(birth, months), Trigger.BIRTH)
    assert rule.id == "maternity_second_third_child"
    return decision


class TestMaternitySubsidy:
    def test_second_child_50_percent_of_six_months_employer_contributions(self, policy):
        # A month before the birth and a seventh month are reported too: neither counts.
        months = paid_months("2026-02", *SIX_MONTHS, "2026-09")

        d = maternity(policy, 2, months)

        assert d.verdict is Verdict.MET
        assert d.amount_fen == EMPLOYER_MONTH_FEN * 6 // 2 == 616_800
        assert [r["month"] for r in d.inputs_used["employer_contributions"]] == SIX_MONTHS
        assert all(
            "employee" not in str(k) for r in d.inputs_used["employer_contributions"] for k in r
        )

    def test_third_child_80_percent(self, policy):
        d = maternity(policy, 3, paid_months(*SIX_MONTHS))

        assert d.amount_fen == EMPLOYER_MONTH_FEN * 6 * 8 // 10 == 986_880

    def test_the_employees_own_share_changes_nothing(self, policy):
        months = paid_months(*SIX_MONTHS)
        richer = [type(m)(m.month, m.employer_fen, m.employee_fen * 3) for m in months]

        assert maternity(policy, 2, richer).amount_fen == maternity(policy, 2, months).amount_fen

    def test_it_waits_until_the_six_months_are_recorded(self, policy):
        d = maternity(policy, 2, paid_months(*SIX_MONTHS[:5]))

        assert d.verdict is Verdict.PENDING
        assert any(r.startswith("待数据：自生育当月起6个月") for r in render_all(d.reasons, "zh"))

    @pytest.mark.parametrize("order", [1, 4])
    def test_first_child_is_not_covered(self, policy, order):
        d = maternity(policy, order, paid_months(*SIX_MONTHS))
        assert d.verdict is Verdict.NOT_MET and d.amount_fen == 0

    def test_only_women_employees(self, policy):
        assert maternity(policy, 2, paid_months(*SIX_MONTHS), "male").verdict is Verdict.NOT_MET


def stabilisation(policy, **changes):
    values = dict(
        enterprise_uscc=ENTERPRISE_USCC,
        year=2025,
        enterprise_size=EnterpriseSize.MEDIUM,
        insured_headcount=200,
        layoffs=10,
        unemployment_insurance_paid_fen=1_000_000,
        contributions_in_arrears=False,
    )
    facts = enterprise_year_facts(EnterpriseYear(**(values | changes)))
    [(rule, decision)] = policy.evaluate(facts, Trigger.ENTERPRISE_YEAR)
    return decision


class TestJobStabilisationRefund:
    def test_layoff_rate_within_5_5_percent_refunds_60_percent_for_an_sme(self, policy):
        d = stabilisation(policy)
        assert d.verdict is Verdict.MET
        assert d.inputs_used["layoff_rate_bp"] == 500
        assert d.amount_fen == 600_000

    def test_a_large_enterprise_gets_30_percent(self, policy):
        assert stabilisation(policy, enterprise_size=EnterpriseSize.LARGE).amount_fen == 300_000

    def test_a_higher_layoff_rate_gets_nothing(self, policy):
        d = stabilisation(policy, layoffs=12)
        assert d.verdict is Verdict.NOT_MET
        assert any(
            r.startswith("不符合：上年度未裁员或裁员率不高于5.5%")
            for r in render_all(d.reasons, "zh")
        )

    def test_small_employers_may_lay_off_up_to_20_percent(self, policy):
        d = stabilisation(
            policy, enterprise_size=EnterpriseSize.SMALL, insured_headcount=25, layoffs=5
        )
        assert d.verdict is Verdict.MET and d.amount_fen == 600_000
        assert (
            stabilisation(
                policy, enterprise_size=EnterpriseSize.SMALL, insured_headcount=25, layoffs=6
            ).verdict
            is Verdict.NOT_MET
        )

    def test_arrears_exclude(self, policy):
        assert stabilisation(policy, contributions_in_arrears=True).verdict is Verdict.NOT_MET
