"""The rule types: pure functions of a hire's facts and a rule's parameters."""

from __future__ import annotations

from datetime import date

import pytest

from training_vouchers.domain.model import ContractType, Education, JobKind, KeyGroup
from training_vouchers.domain.rules import (
    GraduateAbsorptionParameters,
    InternshipParameters,
    KeyGroupAbsorptionParameters,
    add_months,
    internship_subsidy,
    one_time_absorption_graduate,
    one_time_absorption_key_group,
)

GRADUATE = GraduateAbsorptionParameters(
    amount_fen=150_000,
    max_months_since_graduation=24,
    min_contract_months=12,
    education_levels=frozenset(
        {Education.JUNIOR_COLLEGE, Education.BACHELOR, Education.MASTER, Education.DOCTORATE}
    ),
    job_kinds=frozenset({JobKind.FULL_TIME}),
)
DIFFICULTY = KeyGroupAbsorptionParameters(
    amount_fen=120_000,
    key_groups=frozenset({KeyGroup.EMPLOYMENT_DIFFICULTY, KeyGroup.POVERTY_ALLEVIATED}),
    min_contract_months=12,
    job_kinds=frozenset({JobKind.FULL_TIME}),
)
INTERNSHIP = InternshipParameters(monthly_amount_fen=100_000, max_months=12)


def internship_hire(make_hire, months: int, **changes):
    return make_hire(
        job_kind=JobKind.INTERNSHIP,
        contract_type=ContractType.INTERNSHIP_AGREEMENT,
        contract_months=months,
        **changes,
    )


class TestAddMonths:
    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (date(2025, 6, 30), 24, date(2027, 6, 30)),
            (date(2025, 11, 15), 2, date(2026, 1, 15)),
            (date(2025, 8, 31), 6, date(2026, 2, 28)),
            (date(2023, 8, 31), 6, date(2024, 2, 29)),
            (date(2025, 1, 31), 0, date(2025, 1, 31)),
        ],
    )
    def test_same_day_or_last_day_of_the_month(self, day, months, expected):
        assert add_months(day, months) == expected


class TestGraduateAbsorption:
    def test_a_recent_graduate_on_a_long_labour_contract_qualifies(self, make_hire):
        decision = one_time_absorption_graduate(make_hire(), GRADUATE)

        assert decision.eligible
        assert decision.amount_fen == 150_000
        assert all(reason.startswith("met: ") for reason in decision.reasons)
        assert decision.inputs_used == {
            "education": "bachelor",
            "graduation_date": "2025-06-30",
            "start_date": "2026-03-01",
            "job_kind": "full_time",
            "contract_type": "fixed_term",
            "contract_months": 36,
        }

    def test_an_open_ended_contract_qualifies(self, make_hire):
        hire = make_hire(contract_type=ContractType.OPEN_ENDED, contract_months=0)
        assert one_time_absorption_graduate(hire, GRADUATE).eligible

    @pytest.mark.parametrize(("months", "eligible"), [(11, False), (12, True)])
    def test_the_contract_must_last_the_minimum_months(self, make_hire, months, eligible):
        decision = one_time_absorption_graduate(make_hire(contract_months=months), GRADUATE)
        assert decision.eligible is eligible
        assert decision.amount_fen == (150_000 if eligible else 0)

    @pytest.mark.parametrize(
        ("start", "eligible"),
        [
            (date(2025, 6, 30), True),  # the day of graduation
            (date(2027, 6, 30), True),  # exactly 24 months later
            (date(2027, 7, 1), False),  # one day too late
            (date(2025, 6, 29), False),  # before graduating
        ],
    )
    def test_work_must_start_within_the_months_after_graduation(self, make_hire, start, eligible):
        decision = one_time_absorption_graduate(make_hire(start_date=start), GRADUATE)
        assert decision.eligible is eligible

    def test_without_a_graduation_date_the_window_cannot_be_checked(self, make_hire):
        decision = one_time_absorption_graduate(make_hire(graduation_date=None), GRADUATE)

        assert not decision.eligible
        assert "not met: no graduation date" in decision.reasons
        assert decision.inputs_used["graduation_date"] is None

    @pytest.mark.parametrize("education", [Education.VOCATIONAL, Education.SENIOR_SECONDARY, None])
    def test_below_college_level_does_not_qualify(self, make_hire, education):
        decision = one_time_absorption_graduate(make_hire(education=education), GRADUATE)
        assert not decision.eligible
        assert decision.amount_fen == 0

    @pytest.mark.parametrize(
        ("job_kind", "contract_type", "months"),
        [
            (JobKind.PART_TIME, ContractType.PART_TIME, 12),
            (JobKind.PUBLIC_WELFARE, ContractType.FIXED_TERM, 36),
            (JobKind.GIG, ContractType.SERVICE_AGREEMENT, 12),
            (JobKind.FULL_TIME, None, 12),
        ],
    )
    def test_only_full_time_labour_contracts_qualify(
        self, make_hire, job_kind, contract_type, months
    ):
        hire = make_hire(job_kind=job_kind, contract_type=contract_type, contract_months=months)
        decision = one_time_absorption_graduate(hire, GRADUATE)
        assert not decision.eligible
        assert any(reason.startswith("not met: ") for reason in decision.reasons)


class TestKeyGroupAbsorption:
    def test_a_person_with_employment_difficulty_qualifies(self, make_hire):
        hire = make_hire(
            key_groups=frozenset({KeyGroup.EMPLOYMENT_DIFFICULTY, KeyGroup.DISABLED}),
            contract_type=ContractType.OPEN_ENDED,
            contract_months=0,
        )
        decision = one_time_absorption_key_group(hire, DIFFICULTY)

        assert decision.eligible
        assert decision.amount_fen == 120_000
        # Only the groups the rule asks about are recorded; disability is not.
        assert decision.inputs_used == {
            "key_groups": ["employment_difficulty"],
            "job_kind": "full_time",
            "contract_type": "open_ended",
            "contract_months": 0,
        }

    def test_a_person_lifted_out_of_poverty_qualifies(self, make_hire):
        hire = make_hire(key_groups=frozenset({KeyGroup.POVERTY_ALLEVIATED}))
        assert one_time_absorption_key_group(hire, DIFFICULTY).eligible

    def test_other_key_groups_do_not_qualify(self, make_hire):
        hire = make_hire(key_groups=frozenset({KeyGroup.VETERAN, KeyGroup.COLLEGE_GRADUATE}))
        decision = one_time_absorption_key_group(hire, DIFFICULTY)

        assert not decision.eligible
        assert decision.amount_fen == 0
        assert decision.inputs_used["key_groups"] == []

    def test_a_short_contract_does_not_qualify(self, make_hire):
        hire = make_hire(key_groups=frozenset({KeyGroup.POVERTY_ALLEVIATED}), contract_months=6)
        assert not one_time_absorption_key_group(hire, DIFFICULTY).eligible


class TestInternshipSubsidy:
    def test_pays_each_month_of_the_agreement(self, make_hire):
        decision = internship_subsidy(internship_hire(make_hire, 6), INTERNSHIP)

        assert decision.eligible
        assert decision.amount_fen == 6 * 100_000
        assert decision.inputs_used == {
            "job_kind": "internship",
            "contract_type": "internship_agreement",
            "contract_months": 6,
            "months_paid": 6,
        }

    def test_months_are_capped(self, make_hire):
        decision = internship_subsidy(internship_hire(make_hire, 18), INTERNSHIP)
        assert decision.amount_fen == 12 * 100_000
        assert decision.inputs_used["months_paid"] == 12

    def test_a_full_time_job_is_not_an_internship(self, make_hire):
        decision = internship_subsidy(make_hire(), INTERNSHIP)
        assert not decision.eligible
        assert decision.amount_fen == 0
        assert decision.inputs_used["months_paid"] == 0

    def test_an_internship_post_needs_an_internship_agreement(self, make_hire):
        hire = make_hire(job_kind=JobKind.INTERNSHIP, contract_type=ContractType.FIXED_TERM)
        decision = internship_subsidy(hire, INTERNSHIP)
        assert not decision.eligible
        assert "not met: fixed_term is not an internship agreement" in decision.reasons

    def test_an_agreement_without_months_pays_nothing(self, make_hire):
        assert not internship_subsidy(internship_hire(make_hire, 0), INTERNSHIP).eligible
