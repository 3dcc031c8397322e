"""Read mlgen.yaml, lay it over its blueprint, validate it, and report every problem with its position.

Precedence for each environment's sections, lowest first: blueprint top level, blueprint environment,
the spec's top level, the spec's environment override. Mappings merge key by key; lists and scalars
replace. Every value the user wrote keeps its file:line:column, so a problem found anywhere (in the
merged, validated document) points back at the line that caused it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from mlgen.spec.blueprints import blueprint_names, load_blueprint
from mlgen.spec.errors import Problem, SpecError, did_you_mean, join_allowed
from mlgen.spec.models import (
    ENVIRONMENT_NAMES,
    PATTERN_DESCRIPTIONS,
    SECTION_NAMES,
    Spec,
)

Path_ = tuple[Any, ...]
DEFAULT_BLUEPRINT = "starter"


@dataclass(frozen=True)
class Origin:
    """Where the user wrote a key (and its value)."""

    written_at: Path_
    key_line: int
    key_column: int
    value_line: int
    value_column: int
    is_scalar: bool


def format_path(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# ---------------------------------------------------------------------------------------------- reading


def read_spec_file(path: Path) -> tuple[dict[str, Any], dict[Path_, Origin]]:
    """The file's top-level mapping as plain data, and the origin of every key and list item."""
    file = str(path)
    if not path.exists():
        raise SpecError(
            [Problem(file, 0, 0, "", "file not found", "create one with `mlgen init <project> --cloud aws`")],
            headline=f"{file} not found",
        )
    if path.is_dir():
        raise SpecError([Problem(file, 0, 0, "", "is a directory, not a spec file")])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError([Problem(file, 0, 0, "", f"cannot be read: {error}")]) from None
    return parse_spec_text(text, file)


def parse_spec_text(text: str, file: str) -> tuple[dict[str, Any], dict[Path_, Origin]]:
    """Parse spec text; `file` is the name problems carry."""
    try:
        document = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = " ".join(part for part in (error.context, error.problem) if part)
        raise SpecError(
            [
                Problem(
                    file, line, column, "", f"YAML syntax error: {reason}", "fix the YAML; mind indentation"
                )
            ]
        ) from None
    except YAMLError as error:  # unmarked reader errors (e.g. control characters) carry an offset
        position = getattr(error, "position", None)
        line, column = (0, 0)
        if isinstance(position, int):
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(error, "reason", None) or str(error).splitlines()[0]
        raise SpecError([Problem(file, line, column, "", f"YAML syntax error: {reason}")]) from None
    if document is None:
        raise SpecError(
            [
                Problem(
                    file, 1, 1, "", "the file is empty", "start from `mlgen init` or `mlgen blueprints show`"
                )
            ]
        )
    if not isinstance(document, CommentedMap):
        kind = _type_name(_plain(document))
        raise SpecError(
            [Problem(file, 1, 1, "", f"the top level must be a mapping of keys (project: ...), got {kind}")]
        )
    origins: dict[Path_, Origin] = {(): Origin((), 1, 1, 1, 1, False)}
    _collect_origins(document, (), origins)
    return _plain(document), origins


def _collect_origins(node: Any, path: Path_, origins: dict[Path_, Origin]) -> None:
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            key_line, key_column, value_line, value_column = _key_position(node, key)
            child = (*path, _key(key))
            scalar = not isinstance(value, CommentedMap | CommentedSeq)
            origins[child] = Origin(
                child, key_line + 1, key_column + 1, value_line + 1, value_column + 1, scalar
            )
            _collect_origins(value, child, origins)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            line, column = node.lc.item(index)
            child = (*path, index)
            scalar = not isinstance(value, CommentedMap | CommentedSeq)
            origins[child] = Origin(child, line + 1, column + 1, line + 1, column + 1, scalar)
            _collect_origins(value, child, origins)


def _key_position(node: CommentedMap, key: Any) -> tuple[int, int, int, int]:
    """Where a key and its value were written (0-based); keys merged in with `<<: *anchor` are found
    in the anchored mapping, or else at the mapping that merged them."""
    for source in [node, *(merged for merged in getattr(node, "merge", []) or [])]:
        positions = getattr(getattr(source, "lc", None), "data", None) or {}
        if key in positions:
            key_line, key_column, value_line, value_column = positions[key]
            return key_line, key_column, value_line, value_column
    return node.lc.line, node.lc.col, node.lc.line, node.lc.col


def _key(key: Any) -> str:
    """Mapping keys as strings (a YAML date or number key is reported as an unknown or invalid key)."""
    return key if isinstance(key, str) else str(_plain(key))


def _plain(value: Any) -> Any:
    """ruamel's round-trip types as plain Python (strict validation rejects subclasses' quirks)."""
    if isinstance(value, dict):
        return {_key(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


# ---------------------------------------------------------------------------------------------- merging


def deep_merge(base: Any, override: Any) -> Any:
    """Mappings merge key by key; anything else (lists included) replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return override


_MISSING = object()


def _merge_layers(
    layers: list[tuple[Any, Path_ | None]],
    user_origins: dict[Path_, Origin],
    target: Path_,
    origins: dict[Path_, Origin],
) -> Any:
    """Merge layers (lowest first); user layers name their path in the file, blueprint layers None.

    Origins of the merged value are recorded under `target`: a value the user wrote at any layer keeps
    its origin; one that a later layer replaced (a list, a scalar) loses its deeper origins."""
    merged: Any = _MISSING
    relative: dict[Path_, Origin] = {}
    for data, written_at in layers:
        if data is _MISSING or (data is None and merged is not _MISSING):
            continue  # an empty section (`network:`) overrides nothing
        merged = data if merged is _MISSING else deep_merge(merged, data)
        if written_at is None:
            continue
        for path, origin in sorted(
            _origins_under(user_origins, written_at).items(), key=lambda kv: len(kv[0])
        ):
            rel = path[len(written_at) :]
            if not isinstance(_get(data, rel), dict):
                for deeper in [p for p in relative if len(p) > len(rel) and p[: len(rel)] == rel]:
                    del relative[deeper]
            relative[rel] = origin
    for rel, origin in relative.items():
        origins[(*target, *rel)] = origin
    return merged


def _origins_under(origins: dict[Path_, Origin], prefix: Path_) -> dict[Path_, Origin]:
    return {path: origin for path, origin in origins.items() if path[: len(prefix)] == prefix}


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        in_mapping = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if in_mapping or in_list:
            data = data[part]
        else:
            return _MISSING
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
            [(blueprint.get(key, _MISSING), None), (user.get(key, _MISSING), (key,))],
            user_origins,
            (key,),
            origins,
        )
        if document[key] is _MISSING:
            del document[key]

    environments = user.get("environments", _MISSING)
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
                (blueprint.get(section, _MISSING), None),
                (blueprint_env.get(section, _MISSING), None),
                (user.get(section, _MISSING), (section,)),
                (override.get(section, _MISSING), (*where, section)),
            ],
            user_origins,
            (*where, section),
            origins,
        )
        if resolved[section] is _MISSING:
            del resolved[section]
    return resolved


# ------------------------------------------------------------------------------------------- validating


def validate_spec_data(document: dict[str, Any]) -> Spec:
    """Validate a resolved document (raises pydantic's ValidationError); cloud checks use its cloud."""
    return Spec.model_validate(document, context={"cloud": document.get("cloud")})


def load_spec(path: Path) -> Spec:
    """Load, merge and validate mlgen.yaml; raise SpecError listing every problem."""
    path = Path(path)
    user, user_origins = read_spec_file(path)
    return _validate(user, user_origins, str(path))


def load_spec_text(text: str, file: str = "mlgen.yaml") -> Spec:
    """Like load_spec, for text not (yet) on disk, e.g. what `mlgen init` is about to write."""
    user, user_origins = parse_spec_text(text, file)
    return _validate(user, user_origins, file)


def _validate(user: dict[str, Any], user_origins: dict[Path_, Origin], file: str) -> Spec:
    document, origins = resolve_document(user, user_origins)
    reporter = _Reporter(file, origins, user.get("blueprint", DEFAULT_BLUEPRINT))
    spec: Spec | None = None
    try:
        spec = validate_spec_data(document)
    except ValidationError as error:
        errors = error.errors(include_url=False)
        top_level = {_signature(item["loc"], item) for item in errors if item["loc"][:1] != ("environments",)}
        for item in errors:
            if not reporter.inherited_from_top_level(
                tuple(item["loc"]), _signature(item["loc"][2:], item), top_level
            ):
                reporter.pydantic(item)
    for loc, message, hint in environment_overlaps(document):
        reporter.add(loc, message, hint)
    if reporter.problems or spec is None:
        raise SpecError(reporter.problems)
    return spec


def _signature(loc: Any, error: dict[str, Any]) -> tuple[Any, ...]:
    return (tuple(loc), error["type"], str((error.get("ctx") or {}).get("message", error["msg"])))


def environment_overlaps(document: dict[str, Any]) -> list[tuple[Path_, str, str | None]]:
    """Environments whose network ranges overlap (each pair reported once, at the later environment)."""
    environments = document.get("environments")
    if not isinstance(environments, dict):
        return []
    ranges: list[tuple[str, ipaddress.IPv4Network]] = []
    for env in sorted(
        environments, key=lambda e: ENVIRONMENT_NAMES.index(e) if e in ENVIRONMENT_NAMES else 99
    ):
        cidr = _get(environments[env], ("network", "cidr"))
        if not isinstance(cidr, str):
            continue  # validation reports the type
        try:
            ranges.append((env, ipaddress.IPv4Network(cidr, strict=True)))
        except (ValueError, TypeError):
            continue
    found = []
    for index, (env, network) in enumerate(ranges):
        for other, other_network in ranges[:index]:
            if network.overlaps(other_network):
                free = _free_range([taken for _, taken in ranges])
                message = f"{network} overlaps environments.{other}.network.cidr ({other_network})"
                hint = f"give each environment its own range, e.g. environments.{env}.network.cidr: {free}"
                found.append((("environments", env, "network", "cidr"), message, hint))
                break
    return found


def _free_range(taken: list[ipaddress.IPv4Network]) -> str:
    for second in range(10, 256, 10):
        candidate = ipaddress.IPv4Network(f"10.{second}.0.0/16")
        if not any(candidate.overlaps(network) for network in taken):
            return str(candidate)
    return "a free /16 in 10.0.0.0/8"


# ------------------------------------------------------------------------------------------- reporting


_TYPE_EXPECTATIONS = {
    "string_type": "a string",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a mapping (key: value pairs)",
    "model_type": "a mapping (key: value pairs)",
    "model_attributes_type": "a mapping (key: value pairs)",
    "list_type": "a list",
    "int_parsing": "a whole number",
    "float_parsing": "a number",
    "bool_parsing": "true or false",
}

_BOUNDS = {
    "greater_than_equal": ("ge", ">="),
    "greater_than": ("gt", ">"),
    "less_than_equal": ("le", "<="),
    "less_than": ("lt", "<"),
}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        dict: "mapping",
        list: "list",
    }.get(type(value), type(value).__name__)


def _describe(value: Any) -> str:
    if isinstance(value, dict | list):
        return _type_name(value)
    return f"{_type_name(value)} {value!r}" if value is not None else "null"


class _Reporter:
    """Turns validation errors into Problems pointing at the user's file."""

    def __init__(self, file: str, origins: dict[Path_, Origin], blueprint: Any) -> None:
        self.file = file
        self.origins = origins
        self.blueprint = blueprint if blueprint in blueprint_names() else DEFAULT_BLUEPRINT
        self.problems: list[Problem] = []

    def inherited_from_top_level(self, loc: Path_, signature: tuple[Any, ...], top_level: set) -> bool:
        """An environment's copy of a top-level problem that its override did not touch (reported once)."""
        if len(loc) < 3 or loc[0] != "environments" or loc[2] not in SECTION_NAMES:
            return False
        _, nearest = self._nearest(loc)
        return signature in top_level and nearest.written_at[:3] != loc[:3]

    def add(self, loc: Path_, message: str, hint: str | None = None, at_key: bool = False) -> None:
        origin = self.origins.get(loc)
        path = format_path(origin.written_at if origin else loc)
        if origin is None:
            depth, origin = self._nearest(loc)
            # name the field where the user would write it (top level or the environment override)
            path = format_path((*origin.written_at, *loc[depth:])) if origin.written_at else path
            if not at_key:
                # a blueprint default the user never wrote: point at the `blueprint:` line at least
                if origin.written_at == () and ("blueprint",) in self.origins:
                    origin = self.origins[("blueprint",)]
                note = f"the value comes from the {self.blueprint} blueprint; set {path} in your spec"
                hint = f"{hint}; {note}" if hint else note
        line, column = (
            (origin.value_line, origin.value_column)
            if origin.is_scalar and not at_key
            else (origin.key_line, origin.key_column)
        )
        self.problems.append(Problem(self.file, line, column, path, message, hint))

    def _nearest(self, loc: Path_) -> tuple[int, Origin]:
        """The closest written ancestor of `loc` and how many parts of `loc` it covers."""
        for length in range(len(loc), -1, -1):
            if loc[:length] in self.origins:
                return length, self.origins[loc[:length]]
        return 0, self.origins[()]

    def pydantic(self, error: dict[str, Any]) -> None:
        loc = tuple(error["loc"])
        kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
            self._bad_key(loc, kind, ctx)
            return
        if kind == "extra_forbidden":
            self._unknown_key(loc)
        elif kind == "missing":
            field = _field_at(loc)
            description = field.description if field is not None else None
            where = "environment" if loc[:1] == ("environments",) and len(loc) == 3 else None
            message = f"required {where + ' ' if where else ''}key {loc[-1]!r} is missing"
            self.add(loc, message, description, at_key=True)
        elif kind == "literal_error":
            allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            hint = f"allowed: {join_allowed(allowed)}"
            suggestion = did_you_mean(value, allowed)
            self.add(loc, f"{value!r} is not allowed", f"{suggestion} {hint}" if suggestion else hint)
        elif kind in _TYPE_EXPECTATIONS:
            self.add(
                loc, f"expected {_TYPE_EXPECTATIONS[kind]}, got {_describe(value)}", _type_hint(kind, value)
            )
        elif kind in _BOUNDS:
            key, symbol = _BOUNDS[kind]
            self.add(loc, f"must be {symbol} {ctx.get(key)}, got {value!r}", _range_hint(loc))
        elif kind == "string_pattern_mismatch":
            pattern = str(ctx.get("pattern"))
            wanted = PATTERN_DESCRIPTIONS.get(pattern, f"a value matching {pattern}")
            self.add(loc, f"{value!r} is not valid", f"expected {wanted}")
        elif kind in ("too_short", "too_long"):
            bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
            which = "at least" if kind == "too_short" else "at most"
            self.add(
                loc, f"needs {which} {bound} item{'s' if bound != 1 else ''}, got {ctx.get('actual_length')}"
            )
        elif kind == "mlgen":
            self.add(loc, str(ctx.get("message")), ctx.get("hint"))
        else:
            self.add(loc, str(error.get("msg")))

    def _bad_key(self, loc: Path_, kind: str, ctx: dict[str, Any]) -> None:
        name = loc[-1]
        if loc[:1] == ("environments",) and len(loc) == 2:
            hint = did_you_mean(name, ENVIRONMENT_NAMES)
            allowed = f"allowed: {join_allowed(ENVIRONMENT_NAMES)}"
            self.add(
                loc, f"unknown environment {name!r}", f"{hint} {allowed}" if hint else allowed, at_key=True
            )
        elif kind == "string_pattern_mismatch":
            wanted = PATTERN_DESCRIPTIONS.get(str(ctx.get("pattern")), "a valid key")
            self.add(loc, f"key {name!r} is not valid", f"expected {wanted}", at_key=True)
        else:
            self.add(loc, f"key {name!r} must be a string", "quote it", at_key=True)

    def _unknown_key(self, loc: Path_) -> None:
        model = _model_at(loc[:-1])
        allowed = sorted(model.model_fields) if model is not None else []
        suggestion = did_you_mean(loc[-1], allowed)
        if not loc[:-1]:
            message = f"unknown top-level key {loc[-1]!r}"
        elif loc[:1] == ("environments",) and len(loc) == 3:
            message = f"unknown key {loc[-1]!r} in environment {loc[1]}"
        else:
            message = f"unknown key {loc[-1]!r}"
        listing = f"allowed: {join_allowed(allowed)}"
        self.add(loc, message, f"{suggestion} {listing}" if suggestion else listing, at_key=True)


def _type_hint(kind: str, value: Any) -> str | None:
    if (
        kind in ("int_type", "float_type")
        and isinstance(value, str)
        and re.fullmatch(r"-?\d+(\.\d+)?", value)
    ):
        return "remove the quotes"
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        return f'quote it: "{value}" (unquoted, YAML reads a number and drops leading zeros)'
    if kind == "bool_type" and isinstance(value, str):
        return "write true or false without quotes"
    return None


def _range_hint(loc: Path_) -> str | None:
    field = _field_at(loc)
    return field.description if field is not None else None


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional; leave list/dict/models."""
    while True:
        origin = get_origin(annotation)
        if origin is not None and getattr(origin, "__name__", "") == "Annotated":
            annotation = get_args(annotation)[0]
        elif origin in (Union, type(int | None)):
            options = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _annotation_at(loc: Path_) -> Any:
    annotation: Any = Spec
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            annotation = field.annotation
        elif get_origin(annotation) is list:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        else:
            return None
    return _unwrap(annotation)


def _model_at(loc: Path_) -> type[BaseModel] | None:
    annotation = _annotation_at(loc)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _field_at(loc: Path_) -> Any:
    if not loc or not isinstance(loc[-1], str):
        return None
    model = _model_at(loc[:-1])
    return model.model_fields.get(loc[-1]) if model is not None else None
