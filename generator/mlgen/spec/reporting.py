"""Reporting: pydantic's validation errors as Problems that point at the line the user wrote."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from mlgen.spec.blueprints import blueprint_names
from mlgen.spec.errors import Problem, join_allowed
from mlgen.spec.layering import DEFAULT_BLUEPRINT
from mlgen.spec.models import ENVIRONMENT_NAMES, PATTERN_DESCRIPTIONS, SECTION_NAMES, Spec
from mlgen.spec.reading import Origin, Path_, type_name
from mlgen.suggest import did_you_mean


def format_path(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


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


def _describe(value: Any) -> str:
    if isinstance(value, dict | list):
        return type_name(value)
    return f"{type_name(value)} {value!r}" if value is not None else "null"


class Reporter:
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
