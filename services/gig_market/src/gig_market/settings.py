"""Gig-market settings."""

from pydantic import Field

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "gig-market"

    # Bulk order reports: rows per request, body size, and orders per OrdersReported message
    # (the contract promises consumers at most 2,000 per chunk). A 10,000-row batch is about
    # 2 MB of JSON, so the kit's request body limit is raised to the batch limit here.
    orders_max_rows: int = Field(10_000, ge=1, le=50_000)
    orders_max_body_bytes: int = Field(8 * 1024 * 1024, ge=1024)
    max_request_body_bytes: int = 8 * 1024 * 1024
    orders_chunk_size: int = Field(2_000, ge=1, le=2_000)
    # How far a platform's clock may run ahead of ours before a time counts as "in the future".
    orders_clock_skew_s: float = Field(300.0, ge=0)
