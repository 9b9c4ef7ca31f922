"""Gig-market settings."""

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "gig-market"
