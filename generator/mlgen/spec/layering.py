"""Layering a spec over its blueprint: the document that is validated, and where each value came from.

Precedence for each environment's sections, lowest first: blueprint top level, blueprint environment,
the spec's top level, the spec's environment override. Mappings merge key by key; lists and scalars
replace. A value the user wrote at any layer keeps its origin.
"""

from __future__ import annotations

from typing import Any

from mlgen.spec.blueprints import blueprint_names, load_blueprint
from mlgen.spec.models import SECTION_NAMES
from mlgen.spec.reading import Origin, Path_

DEFAULT_BLUEPRINT = "starter"


def deep_merge(base: Any, override: Any) -> Any:
    """Mappings merge key by key; anything else (lists included) replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return override


MISSING = object()


def _merge_layers(
    layers: list[tuple[Any, Path_ | None]],
    user_origins: dict[Path_, Origin],
    target: Path_,
    origins: dict[Path_, Origin],
) -> Any:
    """Merge layers (lowest first); user layers name their path in the file, blueprint layers None.

    Origins of the merged value are recorded under `target`: a value the user wrote at any layer keeps
    its origin; one that a later layer replaced (a list, a scalar) loses its deeper origins."""
    merged: Any = MISSING
    relative: dict[Path_, Origin] = {}
    for data, written_at in layers:
        if data is MISSING or (data is None and merged is not MISSING):
            continue  # an empty section (`network:`) overrides nothing
        merged = data if merged is MISSING else deep_merge(merged, data)
        if written_at is None:
            continue
        for path, origin in sorted(
            _origins_under(user_origins, written_at).items(), key=lambda kv: len(kv[0])
        ):
            rel = path[len(written_at) :]
            if not isinstance(get_path(data, rel), dict):
                for deeper in [p for p in relative if len(p) > len(rel) and p[: len(rel)] == rel]:
                    del relative[deeper]
            relative[rel] = origin
    for rel, origin in relative.items():
        origins[(*target, *rel)] = origin
    return merged


def _origins_under(origins: dict[Path_, Origin], prefix: Path_) -> dict[Path_, Origin]:
    return {path: origin for path, origin in origins.items() if path[: len(prefix)] == prefix}


def get_path(data: Any, path: Path_) -> Any:
    for part in path:
        in_mapping = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if in_mapping or in_list:
            data = data[part]
        else:
            return MISSING
    return data


def resolve_document(
    user: dict[str, Any], user_origins: dict[Path_, Origin]
) -> tuple[dict[str, Any], dict[Path_, Origin]]:
    """The document to validate: blueprint defaults, the user's values, each environment resolved."""
    name = user.get("blueprint", DEFAULT_BLUEPRINT)
    blueprint = load_blueprint(name if name in blueprint_names() else DEFAULT_BLUEPRINT)
    document: dict[str, Any] = {"blueprint": DEFAULT_BLUEPRINT} | {
        key: value for key, value in user.items() if key not in SECTION_NAMES and key != "tags"
    }
    origins = {path: origin for path, origin in user_origins.items() if path[:1] != ("environments",)}
    origins.update({p: o for p, o in user_origins.items() if p[:1] == ("environments",) and len(p) <= 2})

    for key in ("tags", *SECTION_NAMES):
        document[key] = _merge_layers(
            [(blueprint.get(key, MISSING), None), (user.get(key, MISSING), (key,))],
            user_origins,
            (key,),
            origins,
        )
        if document[key] is MISSING:
            del document[key]

    environments = user.get("environments", MISSING)
    if isinstance(environments, dict):
        blueprint_envs = blueprint.get("environments", {})
        document["environments"] = {
            env: _resolve_environment(
                env, override, blueprint_envs.get(env, {}), blueprint, user, user_origins, origins
            )
            for env, override in environments.items()
        }
    return document, origins


def _resolve_environment(
    env: Any,
    override: Any,
    blueprint_env: dict[str, Any],
    blueprint: dict[str, Any],
    user: dict[str, Any],
    user_origins: dict[Path_, Origin],
    origins: dict[Path_, Origin],
) -> Any:
    where: Path_ = ("environments", env)
    if override is None:
        override = {}
    if not isinstance(override, dict):
        return override  # validation reports the type
    resolved = {key: value for key, value in blueprint_env.items() if key not in SECTION_NAMES}
    resolved.setdefault("deletion_protection", env == "prod")
    for key, value in override.items():
        if key not in SECTION_NAMES:
            resolved[key] = value
            origins.update(_origins_under(user_origins, (*where, key)))
    for section in SECTION_NAMES:
        resolved[section] = _merge_layers(
            [
                (blueprint.get(section, MISSING), None),
                (blueprint_env.get(section, MISSING), None),
                (user.get(section, MISSING), (section,)),
                (override.get(section, MISSING), (*where, section)),
            ],
            user_origins,
            (*where, section),
            origins,
        )
        if resolved[section] is MISSING:
            del resolved[section]
    return resolved
