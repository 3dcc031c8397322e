"""Blueprints: preset specs that supply every default (blueprints/<name>.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from mlgen.assets import asset_dir, blueprint_names
from mlgen.spec.errors import Problem, SpecError, join_allowed
from mlgen.suggest import did_you_mean

# Keys a blueprint file may set: the sections, extra tags and per-environment overrides.
BLUEPRINT_KEYS = frozenset(
    {
        "tags",
        "environments",
        "network",
        "storage",
        "encryption",
        "access",
        "training",
        "serving",
        "tracking",
        "budgets",
        "monitoring",
        "state",
    }
)


class UnknownBlueprintError(SpecError):
    """Asked for a blueprint that does not exist."""

    def __init__(self, name: str) -> None:
        names = blueprint_names()
        hint = did_you_mean(name, names) or ""
        available = f"available: {join_allowed(names)}"
        problem = Problem("", 0, 0, "", f"unknown blueprint {name!r}", f"{hint} {available}".strip())
        super().__init__([problem], headline="")


def blueprint_path(name: str) -> Path:
    if name not in blueprint_names():
        raise UnknownBlueprintError(name)
    return asset_dir("blueprints") / f"{name}.yaml"


def load_blueprint(name: str) -> dict[str, Any]:
    """The blueprint's defaults as plain data (a fresh copy each call)."""
    return _plain(_read(name))


@cache
def _read(name: str) -> Any:
    data = YAML(typ="safe", pure=True).load(blueprint_path(name).read_text(encoding="utf-8"))
    unknown = sorted(set(data) - BLUEPRINT_KEYS)
    if unknown:  # a packaging bug, not a user error
        raise ValueError(f"blueprint {name}: unknown keys {unknown}")
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def blueprint_environments(name: str) -> tuple[str, ...]:
    """The environments the blueprint is made for, in dev, staging, prod order."""
    environments = load_blueprint(name).get("environments", {})
    return tuple(env for env in ("dev", "staging", "prod") if env in environments)


def describe_blueprint(name: str) -> str:
    """The blueprint's header comment, as prose."""
    lines = []
    for line in blueprint_path(name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[1:].removeprefix(" "))
    return "\n".join(lines).strip() + "\n"


def blueprint_source(name: str) -> str:
    """The blueprint file as written (header comment and defaults)."""
    return blueprint_path(name).read_text(encoding="utf-8")


def blueprint_summary(name: str) -> str:
    """The first line of the description without the leading 'name: '."""
    first = describe_blueprint(name).splitlines()[0]
    return first.split(":", 1)[1].strip() if first.startswith(f"{name}:") else first
