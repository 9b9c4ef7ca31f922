"""The versioned eligibility criteria (``<version>.yaml``, package data) and their loader."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from talent_card.domain.eligibility import Criteria, CriteriaError, parse_criteria
from talent_card.domain.entitlements import Entitlement, parse_catalogue

SUFFIX = ".yaml"


@cache
def all_versions() -> tuple[Criteria, ...]:
    """Every criteria version, validated, oldest first."""
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


def version(name: str) -> Criteria:
    for criteria in all_versions():
        if criteria.version == name:
            return criteria
    raise LookupError(f"no talent-card criteria version {name!r}")


@cache
def entitlement_catalogue() -> dict[str, Entitlement]:
    """The entitlement catalogue (``talent_card/entitlements.yaml``)."""
    text = resources.files("talent_card").joinpath("entitlements.yaml").read_text("utf-8")
    return parse_catalogue(yaml.safe_load(text))
