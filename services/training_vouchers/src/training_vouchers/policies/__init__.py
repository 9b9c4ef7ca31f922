"""The versioned policy files (``<version>.yaml``, package data) and their loader."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from training_vouchers.domain.policy import (
    VERSION_PATTERN,
    Policy,
    PolicyBook,
    PolicyError,
    parse_policy,
)

SUFFIX = ".yaml"


class UnknownPolicyVersion(LookupError):
    """No policy file has this version."""


def available_versions() -> list[str]:
    return sorted(
        entry.name.removesuffix(SUFFIX)
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(SUFFIX)
    )


def policy_document(version: str) -> dict[str, Any]:
    """The raw document of ``version`` (for tests that derive a new version from it)."""
    if not VERSION_PATTERN.fullmatch(version):
        raise UnknownPolicyVersion(f"{version!r} is not a policy version")
    resource = resources.files(__name__).joinpath(version + SUFFIX)
    if not resource.is_file():
        raise UnknownPolicyVersion(
            f"no policy {version!r}; available: {', '.join(available_versions()) or 'none'}"
        )
    document = yaml.safe_load(resource.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise PolicyError(f"policy file {version}{SUFFIX} is not a mapping")
    return document


def load_policy(version: str) -> Policy:
    """The policy of ``version``, fully validated; raises if it is missing or invalid."""
    policy = parse_policy(policy_document(version))
    if policy.version != version:
        raise PolicyError(f"policy file {version}{SUFFIX} declares version {policy.version!r}")
    return policy


def load_book() -> PolicyBook:
    """Every shipped policy version."""
    return PolicyBook([load_policy(v) for v in available_versions()])
