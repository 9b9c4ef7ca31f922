"""Injury-insurance settings."""

from typing import Literal

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "injury-insurance"
    # Maker-checker (docs/money.md): above this amount (fen) the checker of a claim approval
    # or payment must be at `four_eyes_second_level` or higher. DEFAULT: 50,000 yuan; the
    # seeds give no figure, set it from the local 基金管理 rules.
    four_eyes_second_level_above_fen: int = 5_000_000
    four_eyes_second_level: Literal["city", "province"] = "city"
    # Who may approve a new contribution-rate version. DEFAULT: city level.
    table_checker_level: Literal["district", "city", "province"] = "city"
    # Appeals against claim decisions are decided within this many working days. DEFAULT: 15.
    appeal_working_days: int = 15
