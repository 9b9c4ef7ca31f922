"""Training-vouchers settings."""

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "training-vouchers"
    # The policy in force: policies/<version>.yaml (POLICY_VERSION). Cases record the version
    # they were decided by, so a change of rules is a new file and a new value here.
    policy_version: str = "js-2026.1"
