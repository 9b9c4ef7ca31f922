"""Injury-insurance settings."""

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "injury-insurance"
