"""The versioned eligibility criteria (``<version>.yaml``, package data) and their loader."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from talent_card.domain.eligibility import Criteria, CriteriaError, parse_criteria
from talent_card.domain.entitlements import Entitlement, parse_catalogue

SUFFIX = ".yaml"


def load_versions() -> tuple[Criteria, ...]:
    """Every criteria version in this package, validated, oldest first."""
    versions = []
    for entry in resources.files(__name__).iterdir():
        if not entry.name.endswith(SUFFIX):
            continue
        document = yaml.safe_load(entry.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            raise CriteriaError(f"criteria file {entry.name} is not a mapping")
        criteria = parse_criteria(document)
        if criteria.version + SUFFIX != entry.name:
            raise CriteriaError(f"{entry.name} declares version {criteria.version!r}")
        versions.append(criteria)
    if len({c.effective_from for c in versions}) != len(versions):
        raise CriteriaError("two criteria versions take effect on the same day")
    return tuple(sorted(versions, key=lambda c: c.effective_from))


def load_entitlement_catalogue() -> dict[str, Entitlement]:
    """The entitlement catalogue (``talent_card/entitlements.yaml``), validated."""
    text = resources.files("talent_card").joinpath("entitlements.yaml").read_text("utf-8")
    return parse_catalogue(yaml.safe_load(text))


@dataclass(frozen=True)
class CriteriaBook:
    """Every criteria version (oldest first) and the entitlement catalogue, loaded and
    validated once, when the book is built."""

    versions: tuple[Criteria, ...]
    entitlements: dict[str, Entitlement]

    @classmethod
    def load(cls) -> CriteriaBook:
        return cls(load_versions(), load_entitlement_catalogue())

    def version(self, name: str) -> Criteria:
        for criteria in self.versions:
            if criteria.version == name:
                return criteria
        raise LookupError(f"no talent-card criteria version {name!r}")


# One book per process, built on first use (create_app builds it, so a broken file stops the
# start-up); the handlers, the event handlers among them, read it here.
_process: list[CriteriaBook] = []


def process_book() -> CriteriaBook:
    """This process's criteria book."""
    if not _process:
        _process.append(CriteriaBook.load())
    return _process[0]


def all_versions() -> tuple[Criteria, ...]:
    """Every criteria version, validated, oldest first."""
    return process_book().versions


def version(name: str) -> Criteria:
    return process_book().version(name)


def entitlement_catalogue() -> dict[str, Entitlement]:
    """The entitlement catalogue (``talent_card/entitlements.yaml``)."""
    return process_book().entitlements
