"""The versioned contribution-rate file (`contribution-rates.yaml`, package data), loaded."""

from __future__ import annotations

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


SCHEDULE_FILE = "benefit-schedule.yaml"


def load_benefit_schedule(name: str = SCHEDULE_FILE) -> Schedule:
    """The benefit schedule (待遇标准) in ``name`` (a file of this package), fully validated."""
    resource = resources.files(__name__).joinpath(name)
    document = yaml.safe_load(resource.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ScheduleError(f"{name} is not a mapping")
    return parse_schedule(document)


class RateBooks:
    """The rate file's versions and the benefit schedule (loaded and validated once, when this
    is built), and the rate book in force: the file's versions plus those approved in the
    service, replaced whole by :meth:`install` (adapters/rate_versions.refresh, at start and
    every REFRESH_S)."""

    def __init__(self, file_book: RateBook, schedule: Schedule) -> None:
        self.file_book = file_book
        self.schedule = schedule
        self._in_force = file_book

    @classmethod
    def load(cls) -> RateBooks:
        return cls(load_rate_book(), load_benefit_schedule())

    @property
    def in_force(self) -> RateBook:
        return self._in_force

    def install(self, book: RateBook) -> None:
        self._in_force = book


# One book in force per process: the consumers price orders with it, the refresher and an
# approved rate version replace it, and create_app hands the same object to the routes (their
# deps). Built on first use, not at import.
_process: list[RateBooks] = []


def process_rate_books() -> RateBooks:
    """This process's rate books."""
    if not _process:
        _process.append(RateBooks.load())
    return _process[0]


def file_rate_book() -> RateBook:
    """The versions of the rate file."""
    return process_rate_books().file_book


def install_rate_book(book: RateBook) -> None:
    process_rate_books().install(book)


def rate_book() -> RateBook:
    """The rate book in force in this process."""
    return process_rate_books().in_force


def benefit_schedule() -> Schedule:
    """The benefit schedule (待遇标准)."""
    return process_rate_books().schedule
