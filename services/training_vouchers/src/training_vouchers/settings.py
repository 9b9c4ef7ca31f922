"""Training-vouchers settings."""

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "training-vouchers"
    # A hire within this many days after a certification makes the training outcome
    # "employed" (就业培训上岗率). DEFAULT: 180 days; set from the local assessment rules.
    training_outcome_window_days: int = 180
