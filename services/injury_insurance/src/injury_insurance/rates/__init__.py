"""The versioned contribution-rate file (`contribution-rates.yaml`, package data), loaded."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from injury_insurance.domain.benefits import Schedule, ScheduleError, parse_schedule
from injury_insurance.domain.rates import RateBook, RateError, parse_rate_book

DEFAULT_FILE = "contribution-rates.yaml"


def load_rate_book(name: str = DEFAULT_FILE) -> RateBook:
    """The rate book in ``name`` (a file of this package), fully validated."""
    resource = resources.files(__name__).joinpath(name)
    if not resource.is_file():
        raise RateError(f"no rate file {name!r}")
    document = yaml.safe_load(resource.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise RateError(f"rate file {name} is not a mapping")
    return parse_rate_book(document)


@cache
def file_rate_book() -> RateBook:
    """The versions of the rate file, loaded and validated once."""
    return load_rate_book()


# The process's rate book: the file's versions plus those approved in the service, replaced
# whole by `install_rate_book` (adapters/rate_versions.refresh, every REFRESH_S and at start).
_installed: list[RateBook] = []


def install_rate_book(book: RateBook) -> None:
    _installed[:] = [book]


def rate_book() -> RateBook:
    """The rate book in force in this process."""
    return _installed[0] if _installed else file_rate_book()


SCHEDULE_FILE = "benefit-schedule.yaml"


@cache
def benefit_schedule() -> Schedule:
    """The benefit schedule (待遇标准), loaded and validated once."""
    resource = resources.files(__name__).joinpath(SCHEDULE_FILE)
    document = yaml.safe_load(resource.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ScheduleError(f"{SCHEDULE_FILE} is not a mapping")
    return parse_schedule(document)
