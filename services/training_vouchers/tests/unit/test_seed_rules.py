"""The seeds' rules at their boundaries: unit types (GB 32100) and seed 003's exclusions, the
maternity case that ends when she leaves, graduate windows counted to the day, and the support
items of seeds 003 and 000 (求职补贴, 创业担保贷款, 创业示范基地, 高技能人员/智能化改造, 苏岗贷,
灵活就业社保补贴)."""

from __future__ import annotations

from datetime import date

import pytest

from suxin_common.reasons import render_all
from training_vouchers.domain import support_facts as sf
from training_vouchers.domain.engine import Verdict
from training_vouchers.domain.facts import (
    BirthFacts,
    EnterpriseYear,
    birth_facts,
    enterprise_year_facts,
)
from training_vouchers.domain.model import ContractType, EnterpriseSize, JobKind, KeyGroup
from training_vouchers.domain.policy import Trigger
from training_vouchers.domain.unit_type import UnitType, resolve_unit_type, unit_type_from_uscc

from .conftest import paid_months

SIX_MONTHS = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
EMPLOYER_MONTH_FEN = 205_600  # 1,280 + 640 + 40 + 32 + 64 yuan employer-paid a month


def uscc(prefix: str) -> str:
    """A valid USCC (GB 32100 check character) with the given first two characters."""
    from stdnum.cn import uscc as std

    body = prefix + "321002" + "MA1XXXXX1"
    return body + std.calc_check_digit(body)


def decision(policy, trigger: Trigger, facts, rule_id: str):
    return {r.id: d for r, d in policy.evaluate(facts, trigger)}[rule_id]


class TestUnitTypeFromUscc:
    @pytest.mark.parametrize(
        ("prefix", "unit"),
        [
            ("11", UnitType.GOVERNMENT_ORGAN),  # 机构编制-机关
            ("12", UnitType.PUBLIC_INSTITUTION),  # 机构编制-事业单位
            ("13", UnitType.GOVERNMENT_ORGAN),  # 中央编办管理的群众团体
            ("19", UnitType.OTHER),
            ("51", UnitType.SOCIAL_ORGANIZATION),  # 民政-社会团体
            ("52", UnitType.PRIVATE_NON_ENTERPRISE),  # 民政-民办非企业单位
            ("53", UnitType.OTHER),  # 民政-基金会
            ("91", UnitType.ENTERPRISE),  # 工商-企业
            ("92", UnitType.INDIVIDUAL_BUSINESS),  # 工商-个体工商户
            ("93", UnitType.FARMERS_COOPERATIVE),  # 工商-农民专业合作社
            ("N2", UnitType.OTHER),  # 农业-村级集体经济组织
            ("A1", UnitType.PUBLIC_INSTITUTION),  # 军队事业单位
            ("31", UnitType.OTHER),  # 司法行政-律师执业机构
            ("Y1", UnitType.OTHER),
        ],
    )
    def test_registration_authority_and_category(self, prefix, unit):
        assert unit_type_from_uscc(uscc(prefix)) is unit

    def test_the_registry_overrides_the_code(self):
        # A 91 code that the 市场监管 registry records as an individual business.
        assert resolve_unit_type(uscc("91"), "individual_business") is UnitType.INDIVIDUAL_BUSINESS
        assert resolve_unit_type(uscc("91"), None) is UnitType.ENTERPRISE
        assert resolve_unit_type(None, None) is None


def maternity(policy, prefix: str, months, *, order: int = 2, ended: date | None = None, unit=None):
    birth = BirthFacts(
        "pk_" + "1" * 32,
        uscc(prefix),
        date(2026, 3, 14),
        order,
        "female",
        unit_type=unit,
        employment_ended_on=ended,
    )
    return decision(
        policy, Trigger.BIRTH, birth_facts(birth, months), "maternity_second_third_child"
    )


class TestMaternityByUnitType:
    """Seed 003 二（五）11: 企业女职工 …; 按单位参保的个体工商户、民办非企业单位、社会团体等其他参保
    单位（不含机关事业单位）参照执行."""

    @pytest.mark.parametrize("prefix", ["91", "92", "52", "51", "93", "53"])
    def test_enterprises_and_the_units_that_follow_suit_get_50_percent(self, policy, prefix):
        d = maternity(policy, prefix, paid_months(*SIX_MONTHS))
        assert (d.verdict, d.amount_fen) == (Verdict.MET, 616_800)

    @pytest.mark.parametrize("prefix", ["11", "12", "13"])
    def test_organs_and_public_institutions_are_excluded(self, policy, prefix):
        d = maternity(policy, prefix, paid_months(*SIX_MONTHS))
        assert (d.verdict, d.amount_fen) == (Verdict.NOT_MET, 0)
        assert any(
            "不含机关事业单位" in r for r in render_all(d.reasons, "zh") if r.startswith("不符合")
        )

    def test_the_registry_type_decides_over_the_code(self, policy):
        d = maternity(policy, "91", paid_months(*SIX_MONTHS), unit="public_institution")
        assert d.verdict is Verdict.NOT_MET


HIRING_RULES = ("one_time_absorption_graduate", "job_expansion_youth")


def hiring_decisions(policy, prefix: str, *, unit=None, **changes):
    from training_vouchers.domain.facts import hire_facts

    from .conftest import graduate_hire

    hire = graduate_hire(enterprise_uscc=uscc(prefix), unit_type=unit, **changes)
    facts = hire_facts(hire, paid_months("2026-03"))
    return {r.id: d for r, d in policy.evaluate(facts, Trigger.HIRE)}


class TestHiringSubsidiesByUnitType:
    """吸纳就业补贴 and 一次性扩岗补助 are for 企业 and 社会组织 that hire (人社部发〔2022〕41号:
    企业招用…; the 2023 extension: 企业、社会组织); 机关事业单位 hire through 公开招聘 on the
    budget and are not subsidised for it."""

    @pytest.mark.parametrize("prefix", ["91", "92", "93", "51", "52", "53"])
    def test_enterprises_and_social_organisations_qualify(self, policy, prefix):
        got = hiring_decisions(policy, prefix)
        for rule in HIRING_RULES:
            assert got[rule].verdict is Verdict.MET, (rule, got[rule].reasons)

    @pytest.mark.parametrize("prefix", ["11", "12", "13", "A1"])
    def test_organs_and_public_institutions_get_no_hiring_subsidy(self, policy, prefix):
        got = hiring_decisions(policy, prefix)
        for rule in HIRING_RULES:
            assert (got[rule].verdict, got[rule].amount_fen) == (Verdict.NOT_MET, 0)
            refusals = [r for r in render_all(got[rule].reasons, "zh") if r.startswith("不符合")]
            assert any("机关事业单位不适用" in r for r in refusals)

    def test_difficulty_hires_too(self, policy):
        groups = frozenset({KeyGroup.EMPLOYMENT_DIFFICULTY})
        rule = "one_time_absorption_difficulty"
        assert hiring_decisions(policy, "91", key_groups=groups)[rule].verdict is Verdict.MET
        assert hiring_decisions(policy, "12", key_groups=groups)[rule].verdict is Verdict.NOT_MET

    def test_the_registry_type_decides_over_the_code(self, policy):
        got = hiring_decisions(policy, "91", unit="public_institution")
        assert all(got[rule].verdict is Verdict.NOT_MET for rule in HIRING_RULES)

    def test_the_internship_subsidy_is_not_restricted(self, policy):
        # 见习单位 may be 事业单位 (就业见习基地): the internship rule names no unit type.
        rule = policy.rule("internship_subsidy")
        assert "unit_type" not in rule.reads


class TestMaternityWhenSheLeaves:
    def test_left_after_three_months_pays_on_the_three_months_paid(self, policy):
        d = maternity(policy, "91", paid_months(*SIX_MONTHS[:3]), ended=date(2026, 5, 31))
        assert (d.verdict, d.amount_fen) == (Verdict.MET, EMPLOYER_MONTH_FEN * 3 // 2)

    def test_third_child_80_percent_of_what_was_paid(self, policy):
        d = maternity(policy, "91", paid_months(*SIX_MONTHS[:2]), order=3, ended=date(2026, 4, 30))
        assert d.amount_fen == EMPLOYER_MONTH_FEN * 2 * 8 // 10

    def test_still_employed_with_five_months_waits(self, policy):
        assert maternity(policy, "91", paid_months(*SIX_MONTHS[:5])).verdict is Verdict.PENDING

    @pytest.mark.parametrize(
        ("ended", "verdict", "months_paid"),
        [
            (date(2026, 3, 13), Verdict.NOT_MET, 0),  # the day before the birth (14 March)
            (date(2026, 3, 14), Verdict.MET, 1),  # on the day: March was paid for her
            (date(2026, 3, 15), Verdict.MET, 1),  # the day after
        ],
    )
    def test_leaving_before_the_birth_is_no_maternity_leave_there(
        self, policy, ended, verdict, months_paid
    ):
        d = maternity(policy, "91", paid_months(*SIX_MONTHS[:1]), ended=ended)
        assert (d.verdict, d.amount_fen) == (verdict, EMPLOYER_MONTH_FEN * months_paid // 2)
        if verdict is Verdict.NOT_MET:
            refusals = [r for r in render_all(d.reasons, "zh") if r.startswith("不符合")]
            assert any("生育前已离职" in r for r in refusals)

    @pytest.mark.parametrize(
        ("ended", "verdict"),
        [
            (date(2026, 8, 31), Verdict.MET),  # left in the sixth month: the window is closed
            (date(2026, 9, 1), Verdict.PENDING),  # left after the window: six months expected
        ],
    )
    def test_leaving_inside_or_after_the_six_months(self, policy, ended, verdict):
        assert maternity(policy, "91", paid_months(*SIX_MONTHS[:5]), ended=ended).verdict is verdict


class TestGraduateWindows:
    """毕业年度 (the calendar year of graduation) or 离校2年内 (to the day, the bound included)."""

    @pytest.mark.parametrize(
        ("start", "verdict"),
        [
            (date(2027, 6, 29), Verdict.MET),  # the day before the second anniversary
            (date(2027, 6, 30), Verdict.MET),  # on it (以内 includes the bound)
            (date(2027, 7, 1), Verdict.NOT_MET),  # the day after
            (date(2025, 1, 2), Verdict.MET),  # 毕业年度: hired before graduating, same year
            (date(2024, 12, 31), Verdict.NOT_MET),  # the year before graduation
        ],
    )
    def test_one_time_absorption_window(self, policy, facts_of, start, verdict):
        facts = facts_of(
            paid_months(f"{start:%Y-%m}"), start_date=start, graduation_date=date(2025, 6, 30)
        )
        assert (
            decision(policy, Trigger.HIRE, facts, "one_time_absorption_graduate").verdict is verdict
        )

    def test_a_leap_day_graduate_has_until_28_february(self, policy, facts_of):
        grad = date(2024, 2, 29)
        on = facts_of(paid_months("2026-02"), start_date=date(2026, 2, 28), graduation_date=grad)
        after = facts_of(paid_months("2026-03"), start_date=date(2026, 3, 1), graduation_date=grad)
        rule = "one_time_absorption_graduate"
        assert decision(policy, Trigger.HIRE, on, rule).verdict is Verdict.MET
        assert decision(policy, Trigger.HIRE, after, rule).verdict is Verdict.NOT_MET


class TestJobStabilisationByUnitType:
    def _year(self, prefix):
        return enterprise_year_facts(
            EnterpriseYear(uscc(prefix), 2025, EnterpriseSize.SMALL, 20, 0, 300_000, False)
        )

    def test_an_enterprise_gets_60_percent(self, policy):
        d = decision(policy, Trigger.ENTERPRISE_YEAR, self._year("91"), "job_stabilisation_refund")
        assert (d.verdict, d.amount_fen) == (Verdict.MET, 180_000)

    @pytest.mark.parametrize("prefix", ["11", "12"])
    def test_organs_and_institutions_are_not_refunded(self, policy, prefix):
        d = decision(
            policy, Trigger.ENTERPRISE_YEAR, self._year(prefix), "job_stabilisation_refund"
        )
        assert d.verdict is Verdict.NOT_MET


class TestJobSearchSubsidy:
    def _facts(self, applied, hardships=("national_student_loan",), education="bachelor"):
        return sf.job_search_facts(
            sf.JobSearch(applied, date(2026, 6, 30), education, frozenset(hardships))
        )

    @pytest.mark.parametrize(
        ("applied", "verdict"),
        [
            (date(2025, 12, 31), Verdict.NOT_MET),  # the day before the graduation year
            (date(2026, 1, 1), Verdict.MET),  # the first day of it
            (date(2026, 12, 31), Verdict.MET),  # the last day
            (date(2027, 1, 1), Verdict.NOT_MET),  # the day after
        ],
    )
    def test_only_in_the_graduation_year(self, policy, applied, verdict):
        d = decision(policy, Trigger.JOB_SEARCH, self._facts(applied), "job_search_subsidy")
        assert d.verdict is verdict
        assert d.amount_fen == (150_000 if verdict is Verdict.MET else 0)

    def test_a_graduate_without_hardship_gets_nothing(self, policy):
        d = decision(
            policy, Trigger.JOB_SEARCH, self._facts(date(2026, 3, 1), ()), "job_search_subsidy"
        )
        assert d.verdict is Verdict.NOT_MET


class TestStartupLoan:
    def _facts(self, **changes):
        values = dict(
            loan_id="L-1",
            applied_on=date(2026, 5, 1),
            borrower_kind="individual",
            borrower_groups=frozenset({"college_graduate"}),
            amount_fen=30_000_000,
            term_months=36,
            interest_paid_fen=360_000,
        )
        return sf.startup_loan_facts(sf.StartupLoan(**(values | changes)))

    def test_interest_subsidy_is_half_the_interest_paid(self, policy):
        d = decision(policy, Trigger.STARTUP_LOAN, self._facts(), "startup_loan_interest_subsidy")
        assert (d.verdict, d.amount_fen) == (Verdict.MET, 180_000)

    @pytest.mark.parametrize(
        ("changes", "verdict"),
        [
            ({"amount_fen": 30_000_001}, Verdict.NOT_MET),  # one fen over 300,000 yuan
            ({"term_months": 37}, Verdict.NOT_MET),  # over three years
            ({"guarantee_fee_charged_fen": 1}, Verdict.NOT_MET),  # 免收借款人担保费
            ({"borrower_groups": frozenset({"migrant_worker_other"})}, Verdict.NOT_MET),
        ],
    )
    def test_limits(self, policy, changes, verdict):
        d = decision(
            policy, Trigger.STARTUP_LOAN, self._facts(**changes), "startup_loan_interest_subsidy"
        )
        assert d.verdict is verdict

    @pytest.mark.parametrize(
        ("employees", "share_bp", "verdict"),
        [
            (None, 1500, Verdict.MET),  # 15% of the staff: enough at any size
            (None, 1499, Verdict.NOT_MET),
            (100, 800, Verdict.NOT_MET),  # 100 staff is not "超过100人": 15% still applies
            (101, 800, Verdict.MET),  # over 100 staff: 8% is enough
            (101, 799, Verdict.NOT_MET),
        ],
    )
    def test_a_small_business_hires_15_percent_or_8_over_100_staff(
        self, policy, employees, share_bp, verdict
    ):
        """财金〔2020〕21号: 小微企业当年新招用符合条件人员达到企业现有在职职工人数15%（超过100人的
        企业达到8%）."""
        facts = self._facts(
            borrower_kind="small_micro_enterprise",
            borrower_groups=frozenset(),
            enterprise_uscc=uscc("91"),
            amount_fen=100_000_000,
            new_hires_share_bp=share_bp,
            employees=employees,
        )
        d = decision(policy, Trigger.STARTUP_LOAN, facts, "startup_loan_interest_subsidy")
        assert d.verdict is verdict, d.reasons


class TestStartupBase:
    def test_municipal_base_that_passed_its_review(self, policy):
        facts = sf.startup_base_facts(
            sf.StartupBaseYear("B-1", 2026, "municipal", date(2026, 12, 31), True, 10, 40)
        )
        d = decision(policy, Trigger.STARTUP_BASE_YEAR, facts, "startup_base_operating_subsidy")
        assert (d.verdict, d.amount_fen) == (Verdict.MET, 10_000_000)

    def test_recognised_the_day_after_the_year_is_not_that_years_base(self, policy):
        facts = sf.startup_base_facts(
            sf.StartupBaseYear("B-1", 2026, "municipal", date(2027, 1, 1), True, 10, 40)
        )
        d = decision(policy, Trigger.STARTUP_BASE_YEAR, facts, "startup_base_operating_subsidy")
        assert d.verdict is Verdict.NOT_MET


class TestInnovationAwards:
    def _facts(self, kind, prefix="91", staff=2, investment=100_000_000):
        return sf.innovation_facts(
            sf.InnovationProject("P-1", uscc(prefix), kind, date(2026, 6, 1), investment, staff)
        )

    def test_key_process_innovation_by_high_skill_staff(self, policy):
        d = decision(
            policy,
            Trigger.INNOVATION_PROJECT,
            self._facts("key_process_innovation"),
            "high_skill_process_innovation_award",
        )
        # 10% of 1,000,000 yuan is 100,000 yuan, above the 500,000-yuan cap? no: below it.
        assert (d.verdict, d.amount_fen) == (Verdict.MET, 10_000_000)

    def test_capped(self, policy):
        facts = self._facts("key_process_innovation", investment=1_000_000_000)
        d = decision(
            policy, Trigger.INNOVATION_PROJECT, facts, "high_skill_process_innovation_award"
        )
        assert d.amount_fen == 50_000_000

    def test_no_high_skill_staff_no_award(self, policy):
        facts = self._facts("key_process_innovation", staff=0)
        d = decision(
            policy, Trigger.INNOVATION_PROJECT, facts, "high_skill_process_innovation_award"
        )
        assert d.verdict is Verdict.NOT_MET

    def test_intelligent_upgrade_for_enterprises_only(self, policy):
        ok = decision(
            policy,
            Trigger.INNOVATION_PROJECT,
            self._facts("intelligent_upgrade"),
            "intelligent_upgrade_award",
        )
        organ = decision(
            policy,
            Trigger.INNOVATION_PROJECT,
            self._facts("intelligent_upgrade", "12"),
            "intelligent_upgrade_award",
        )
        assert (ok.verdict, ok.amount_fen) == (Verdict.MET, 10_000_000)
        assert organ.verdict is Verdict.NOT_MET


class TestSuGangDai:
    def _facts(self, prefix="91", established=date(2023, 5, 1), **changes):
        values = dict(
            application_id="S-1",
            enterprise_uscc=uscc(prefix),
            applied_on=date(2026, 5, 1),
            established_on=established,
            insured_headcount=40,
            new_hires_last_year=10,
            layoff_rate_bp=550,
            labour_violations=0,
            wage_arrears=False,
        )
        return sf.enterprise_loan_facts(sf.EnterpriseLoan(**(values | changes)))

    @pytest.mark.parametrize(
        ("established", "verdict"),
        [(date(2023, 5, 1), Verdict.MET), (date(2023, 4, 30), Verdict.NOT_MET)],
    )
    def test_a_startup_is_at_most_three_years_old(self, policy, established, verdict):
        d = decision(
            policy, Trigger.ENTERPRISE_LOAN, self._facts(established=established), "su_gang_dai"
        )
        assert d.verdict is verdict
        assert d.amount_fen == 0  # the benefit is the loan's terms, not cash

    @pytest.mark.parametrize(
        ("prefix", "verdict"),
        [("91", Verdict.MET), ("92", Verdict.MET), ("52", Verdict.MET), ("93", Verdict.MET),
         ("12", Verdict.NOT_MET), ("51", Verdict.NOT_MET)],
    )  # fmt: skip
    def test_unit_types_seed_002_brings_in(self, policy, prefix, verdict):
        assert (
            decision(policy, Trigger.ENTERPRISE_LOAN, self._facts(prefix), "su_gang_dai").verdict
            is verdict
        )

    @pytest.mark.parametrize(
        "changes",
        [
            {"new_hires_last_year": 9},
            {"layoff_rate_bp": 551},
            {"labour_violations": 1},
            {"wage_arrears": True},
        ],
    )
    def test_hires_stability_and_compliance(self, policy, changes):
        assert (
            decision(policy, Trigger.ENTERPRISE_LOAN, self._facts(**changes), "su_gang_dai").verdict
            is Verdict.NOT_MET
        )


DIFFICULTY = frozenset({"employment_difficulty"})


class TestFlexibleEmployment:
    def _facts(self, **changes):
        values = dict(
            claim_period="2026-07",
            registered_flexible_on=date(2026, 6, 15),
            groups=frozenset({"college_graduate"}),
            graduation_date=date(2024, 7, 1),
            months_claimed=3,
            months_subsidised_before=21,
            paid_fen=300_000,
        )
        return sf.flexible_employment_facts(sf.FlexibleEmployment(**(values | changes)))

    def test_two_thirds_of_what_was_paid(self, policy):
        d = decision(
            policy,
            Trigger.FLEXIBLE_EMPLOYMENT,
            self._facts(),
            "flexible_employment_social_insurance",
        )
        assert (d.verdict, d.amount_fen) == (Verdict.MET, 200_000)

    @pytest.mark.parametrize(
        ("changes", "verdict"),
        [
            ({"months_subsidised_before": 22}, Verdict.NOT_MET),  # 25 months: over 2 years
            ({"graduation_date": date(2024, 6, 30)}, Verdict.NOT_MET),  # first month after 2 years
            ({"groups": DIFFICULTY, "months_subsidised_before": 33}, Verdict.MET),
            ({"groups": DIFFICULTY, "months_subsidised_before": 34}, Verdict.NOT_MET),
            # 距法定退休年龄不足5年: 4 full years left (4 years and some months) is under 5;
            # 5 full years left is not.
            ({"groups": DIFFICULTY, "months_subsidised_before": 60, "years_to_retirement": 4},
             Verdict.MET),
            ({"groups": DIFFICULTY, "months_subsidised_before": 60, "years_to_retirement": 5},
             Verdict.NOT_MET),
            ({"groups": DIFFICULTY, "months_subsidised_before": 60, "years_to_retirement": 0},
             Verdict.MET),
        ],
    )  # fmt: skip
    def test_durations(self, policy, changes, verdict):
        d = decision(
            policy,
            Trigger.FLEXIBLE_EMPLOYMENT,
            self._facts(**changes),
            "flexible_employment_social_insurance",
        )
        assert d.verdict is verdict


class TestKeyGroupsAtTheHire:
    """就业困难人员 and 脱贫人口 are statuses other records settle (HRSS 认定, 乡村振兴), read as
    key groups; 登记失业的16-24岁青年 by the age in whole years (周岁) on the start date, which the
    hire event carries (job-matching counts it from the date of birth); hires recorded before
    it was carried count by the year of birth."""

    @pytest.mark.parametrize(
        ("groups", "verdict"),
        [
            (frozenset({KeyGroup.EMPLOYMENT_DIFFICULTY}), Verdict.MET),
            (frozenset({KeyGroup.POVERTY_ALLEVIATED}), Verdict.MET),
            (frozenset({KeyGroup.VETERAN}), Verdict.NOT_MET),
        ],
    )
    def test_difficulty_or_poverty_alleviated(self, policy, facts_of, groups, verdict):
        facts = facts_of(paid_months("2026-03"), key_groups=groups, education=None)
        rule = "one_time_absorption_difficulty"
        assert decision(policy, Trigger.HIRE, facts, rule).verdict is verdict

    @pytest.mark.parametrize(
        ("birth_year", "verdict"),
        [
            (2011, Verdict.NOT_MET),
            (2010, Verdict.MET),
            (2002, Verdict.MET),
            (2001, Verdict.NOT_MET),
        ],
    )
    def test_registered_unemployed_youth_16_to_24(self, policy, facts_of, birth_year, verdict):
        facts = facts_of(
            paid_months("2026-03"),
            education=None,
            graduation_date=None,
            previously_unemployed=True,
            birth_year=birth_year,
        )
        assert decision(policy, Trigger.HIRE, facts, "job_expansion_youth").verdict is verdict

    @pytest.mark.parametrize(
        ("birth_year", "age_at_start", "verdict"),
        [
            (2010, 15, Verdict.NOT_MET),  # 16 this year, hired the day before the birthday
            (2010, 16, Verdict.MET),  # hired on the 16th birthday
            (2001, 24, Verdict.MET),  # born late in 2001: still 24 on the start date
            (2001, 25, Verdict.NOT_MET),  # hired on the 25th birthday
        ],
    )
    @pytest.mark.parametrize("rule", ["job_expansion_youth", "internship_subsidy"])
    def test_the_youth_bound_counts_to_the_day(
        self, policy, facts_of, birth_year, age_at_start, verdict, rule
    ):
        facts = facts_of(
            paid_months("2026-03"),
            education=None,
            graduation_date=None,
            previously_unemployed=True,
            birth_year=birth_year,
            age_at_start=age_at_start,
            **(
                {"job_kind": JobKind.INTERNSHIP, "contract_type": ContractType.INTERNSHIP_AGREEMENT,
                 "contract_months": 6}
                if rule == "internship_subsidy"
                else {}
            ),
        )  # fmt: skip
        assert facts["age_at_start"] == age_at_start
        assert decision(policy, Trigger.HIRE, facts, rule).verdict is verdict
