"""Training-vouchers settings."""

from typing import Literal

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "training-vouchers"
    # A hire within this many days after a certification makes the training outcome
    # "employed" (就业培训上岗率). DEFAULT: 180 days; set from the local assessment rules.
    training_outcome_window_days: int = 180
    # Maker-checker (docs/money.md). Above this amount (fen) the checker of a subsidy approval
    # or a payment release must be at `four_eyes_second_level` or higher. DEFAULT: 50,000
    # yuan; the seeds give no figure, set it from the local 资金管理办法.
    four_eyes_second_level_above_fen: int = 5_000_000
    four_eyes_second_level: Literal["city", "province"] = "city"
    # Who may approve a new version of an occupation's subsidy table. DEFAULT: city level.
    table_checker_level: Literal["district", "city", "province"] = "city"
    # Appeals (复核) are decided within this many working days. DEFAULT: 15 working days.
    appeal_working_days: int = 15
    # The paying account per city (four-digit code), as the treasury names it; a city not
    # listed pays from `JSRS-JYZJ-<city>` (DEFAULT naming of the city's 就业补助资金 account).
    payer_accounts: dict[str, str] = {}

    def payer_account_of(self, city_code: str | None) -> str:
        city = city_code or "32"
        return self.payer_accounts.get(city, f"JSRS-JYZJ-{city}")
