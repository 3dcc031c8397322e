"""Cloud adapters: the only code that knows cloud names (instance types, services, module sources).

Each cloud is a package ``clouds/<cloud>/`` with ``capabilities.py`` (what the spec checks, pure data)
and, once mlgen generates it, ``adapter.py`` (plan -> Terraform roots, docs facts, CI). Its Terraform
lives in ``modules/<cloud>/`` and its per-cloud templates in ``templates/<cloud>/``. Adding a cloud
means adding those three and its name to ``CLOUDS``; see docs/architecture.md.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from mlgen.clouds.base import AdapterError

if TYPE_CHECKING:
    from mlgen.clouds.base import CloudAdapter
    from mlgen.clouds.capability_types import CloudCapabilities
    from mlgen.clouds.policy_fact_types import PolicyFacts

# The one list of clouds: the spec's `cloud` values, `mlgen init --cloud` choices, the schema.
CLOUDS: tuple[str, ...] = ("aws", "gcp", "azure")


class UnsupportedCloudError(AdapterError):
    """Raised for a cloud whose adapter has not been written yet."""


@cache
def capabilities(cloud: str) -> CloudCapabilities:
    if cloud not in CLOUDS:
        raise UnsupportedCloudError(f"unknown cloud {cloud!r} (known: {', '.join(CLOUDS)})")
    return importlib.import_module(f"mlgen.clouds.{cloud}.capabilities").CAPABILITIES


@cache
def policy_facts(cloud: str) -> PolicyFacts:
    """What the ML policies read about the cloud's Terraform (resource types per concern)."""
    if cloud not in CLOUDS:
        raise UnsupportedCloudError(f"unknown cloud {cloud!r} (known: {', '.join(CLOUDS)})")
    return importlib.import_module(f"mlgen.clouds.{cloud}.policy_facts").POLICY_FACTS


def supported_clouds() -> list[str]:
    """Clouds mlgen generates Terraform for."""
    return [cloud for cloud in CLOUDS if capabilities(cloud).generated]


def get_adapter(cloud: str) -> CloudAdapter:
    if cloud not in supported_clouds():
        raise UnsupportedCloudError(
            f"generating Terraform for cloud {cloud!r} is not supported yet "
            f"(supported: {', '.join(supported_clouds())})"
        )
    return importlib.import_module(f"mlgen.clouds.{cloud}.adapter").ADAPTER
