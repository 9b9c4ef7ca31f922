"""Response bodies of the injury-insurance API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel

from injury_insurance.domain.model import CoverageStatus, Scheme


class CoverageOut(BaseModel):
    id: uuid.UUID
    hire_id: uuid.UUID
    person_key: str
    masked_resident_id: str
    enterprise_uscc: str
    scheme: Scheme
    status: CoverageStatus
    start_date: date
    city_code: str
    district_code: str
    started_at: datetime
