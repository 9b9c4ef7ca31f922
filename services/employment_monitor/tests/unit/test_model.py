"""Pure rules: warnings, dates, configuration."""

from datetime import date

import pytest
from pydantic import ValidationError

from employment_monitor.domain.model import (
    HeadcountChange,
    MonitoringConfig,
    WarningRule,
    is_warning,
    months_back,
    progress,
    rate,
    year_elapsed_share,
)


def test_months_back_clamps_to_the_end_of_shorter_months():
    assert months_back(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_back(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_a_fall_beyond_the_share_is_a_warning_only_from_the_minimum_headcount():
    rule = WarningRule(headcount_fall_share=0.1, period_months=3, min_headcount=5)
    assert is_warning(HeadcountChange("x", 100, 89), rule)
    assert not is_warning(HeadcountChange("x", 100, 90), rule)  # exactly 10%: not beyond
    assert not is_warning(HeadcountChange("x", 4, 0), rule)  # too small to judge
    assert not is_warning(HeadcountChange("x", 10, 12), rule)


def test_rates_without_a_denominator_are_unknown_not_zero():
    assert rate(1, 0) is None
    assert rate(1, 3) == 0.3333
    assert progress(None, 10) is None
    assert progress(27500, 55000) == 0.5


def test_the_packaged_config_holds_the_seed_targets():
    config = MonitoringConfig.load()
    yz = next(t for t in config.targets if t.region == "3210" and t.year == 2023)
    assert {i.metric.value: i.target for i in yz.items}["new_urban_jobs"] == 55000
    js = next(t for t in config.targets if t.region == "32" and t.year == 2022)
    assert js.items[0].target == 1_200_000
    assert config.specialized_sme.insured_employees == 100_000
    assert (config.specialized_sme.graduate_share, config.specialized_sme.high_skill_share,
            config.specialized_sme.senior_title_share) == (0.15, 0.10, 0.05)  # fmt: skip


def test_a_config_with_unknown_fields_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        MonitoringConfig.load().model_dump_json().replace('"version"', '"verzion"'),
        encoding="utf-8",
    )
    with pytest.raises(ValidationError):
        MonitoringConfig.load(path)


@pytest.mark.parametrize(
    ("today", "year", "share"),
    [
        (date(2023, 12, 31), 2024, 0.0),  # the day before the year
        (date(2024, 1, 1), 2024, round(1 / 366, 4)),  # its first day counts
        (date(2024, 2, 29), 2024, round(60 / 366, 4)),  # leap day
        (date(2024, 12, 30), 2024, round(365 / 366, 4)),
        (date(2024, 12, 31), 2024, 1.0),  # a leap year ends at 1, not 366/365
        (date(2025, 1, 1), 2024, 1.0),  # after the year
        (date(2023, 12, 31), 2023, 1.0),
        (date(2023, 7, 2), 2023, round(183 / 365, 4)),
    ],
)
def test_the_expected_pace_is_the_share_of_the_year_elapsed(today, year, share):
    assert year_elapsed_share(today, year) == share
