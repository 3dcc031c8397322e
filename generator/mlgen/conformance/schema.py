"""Provider schemas shipped with mlgen (written by scripts/refresh_provider_schemas.py), loaded lazily."""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).parent / "schemas"

# Resource type prefix -> provider local name. google-beta shares `google_` and is chosen by `provider =`.
TYPE_PREFIXES = {"aws": "aws", "google": "google", "azurerm": "azurerm"}


@dataclass(frozen=True)
class ProviderSchema:
    name: str
    version: str
    provider_config: dict[str, Any]
    resources: dict[str, Any]
    data_sources: dict[str, Any]

    @property
    def label(self) -> str:
        return f"hashicorp/{self.name} {self.version}"


@functools.cache
def schema_index() -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / "index.json").read_text())["providers"]


def known_providers() -> list[str]:
    return sorted(schema_index())


@functools.cache
def load_provider(name: str) -> ProviderSchema | None:
    """The schema for provider local name `name`, or None when mlgen ships none for it."""
    entry = schema_index().get(name)
    if entry is None:
        return None
    with gzip.open(SCHEMA_DIR / entry["file"], "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    return ProviderSchema(
        name=name,
        version=data["provider_version"],
        provider_config=data["provider_config"],
        resources=data["resources"],
        data_sources=data["data_sources"],
    )


def provider_for_type(type_name: str) -> str:
    """The provider a resource type belongs to by Terraform's implied-provider rule (prefix before `_`)."""
    prefix = type_name.split("_", 1)[0]
    return TYPE_PREFIXES.get(prefix, prefix)
