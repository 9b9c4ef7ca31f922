"""Job-matching settings."""

from pydantic import Field

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "job-matching"
    # 站内消息 live stream (Server-Sent Events): how long one connection lasts before the
    # server ends it (the client reconnects with Last-Event-ID and misses nothing), and how
    # often it looks for new notices.
    notification_stream_seconds: float = Field(default=55.0, gt=0, le=3600)
    notification_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    # 到期提醒 (job_matching.reminders): how often the sweep runs, and how many days before a
    # deadline that needs the reader's action the reminder is sent.
    reminder_sweep_seconds: float = Field(default=600.0, gt=0, le=86400)
    reminder_lead_days: int = Field(default=2, ge=0, le=60)
