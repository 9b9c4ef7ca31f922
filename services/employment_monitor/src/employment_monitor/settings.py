"""Employment-monitor settings."""

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "employment-monitor"
    # Targets, warning thresholds and key-enterprise lists; the packaged file when unset.
    monitoring_config: str | None = None
    # How often the dashboard asks for fresh numbers, in milliseconds.
    dashboard_refresh_ms: int = 2000
    # Replay: events applied per transaction batch.
    replay_batch_size: int = 50_000
