"""Where the generator's assets (templates, modules, blueprints, images) live.

In a wheel they are packed under ``mlgen/_assets``; in a source checkout they sit at the repository
top level (see docs/architecture.md). Everything that reads an asset goes through :func:`asset_dir`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ASSET_KINDS = ("templates", "modules", "blueprints", "training_images")


@cache
def asset_root() -> Path:
    packaged = Path(__file__).resolve().parent / "_assets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def asset_dir(kind: str) -> Path:
    if kind not in ASSET_KINDS:
        raise ValueError(f"unknown asset kind {kind!r}; expected one of {', '.join(ASSET_KINDS)}")
    return asset_root() / kind


@cache
def blueprint_names() -> tuple[str, ...]:
    """The blueprints mlgen ships (blueprints/<name>.yaml): the one list `mlgen init` and the spec use."""
    return tuple(sorted(path.stem for path in asset_dir("blueprints").glob("*.yaml")))
