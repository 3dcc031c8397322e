"""Root-model values as Terraform JSON values, and those as Python source for the CDKTF app.

Terraform's JSON syntax reads every string as a template, so an expression becomes ``"${...}"`` and a
literal string has its ``${`` and ``%{`` doubled (as the HCL emitter does inside quotes). A quoted HCL
template such as ``"${module.registry.repository_urls["training"]}:${var.tag}"`` is already a template:
its body is used as it is, which is also what a person would write in CDKTF.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from mlgen.render.hcl_emitter import Block, Call, Expr, render_value

LINE_LENGTH = 88  # ruff's and black's default, the width a generated project is formatted to


class Null:
    """Terraform's null in the app (``NULL`` there): jsii turns a Python None into "not set"."""

    def __repr__(self) -> str:
        return "NULL"


NULL = Null()


class PyExpr:
    """Python source placed verbatim in the app (e.g. a reference to another module object)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _quoted_template_body(text: str) -> str | None:
    """The body of ``text`` when it is one quoted HCL template with no escapes outside interpolations."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return None
    index, depth = 1, 0
    while index < len(text) - 1:
        char = text[index]
        if depth == 0:
            if char in '\\"':
                return None  # an escape or an earlier closing quote: not a plain single template
            if text.startswith(("${", "%{"), index):
                depth, index = 1, index + 2
                continue
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        index += 1
    return text[1:-1] if depth == 0 else None


def expression(expr: Expr) -> str:
    """A Terraform expression as a JSON-syntax string."""
    body = _quoted_template_body(expr.text)
    return body if body is not None else "${" + expr.text + "}"


def literal_string(text: str) -> str:
    return text.replace("${", "$${").replace("%{", "%%{")


def terraform_json(value: Any) -> Any:
    """``value`` (as the HCL emitter takes it) as the value Terraform's JSON syntax reads the same way."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return NULL
    if isinstance(value, Expr):
        return expression(value)
    if isinstance(value, Call):
        return "${" + render_value(value) + "}"
    if isinstance(value, Block):
        sections = [value.body] if isinstance(value.body, Mapping) else list(value.body)
        merged: dict[str, Any] = {}
        for section in sections:
            merged.update(section)
        return [terraform_json(merged)]
    if isinstance(value, str):
        return literal_string(value)
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, Mapping):
        return {
            str(key.value if isinstance(key, Enum) else key): terraform_json(item)
            for key, item in value.items()
        }
    if isinstance(value, set | frozenset):
        return [terraform_json(item) for item in sorted(value, key=render_value)]
    if isinstance(value, list | tuple):
        return [terraform_json(item) for item in value]
    raise TypeError(f"cannot write {type(value).__name__} value {value!r} into a CDKTF app")


# --- Python source ----------------------------------------------------------------------------------------


def python_string(text: str) -> str:
    # Double quotes unless the text holds double quotes and no single ones (ruff's preference).
    if '"' in text and "'" not in text:
        return "'" + json.dumps(text, ensure_ascii=False)[1:-1].replace('\\"', '"') + "'"
    return json.dumps(text, ensure_ascii=False)


def _scalar(value: Any) -> str | None:
    if isinstance(value, PyExpr):
        return value.text
    if isinstance(value, Null):
        return "NULL"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, list | tuple | Mapping) and not value:
        return "[]" if isinstance(value, list | tuple) else "{}"
    return None


def python_lines(value: Any, indent: int, prefix: str = "", suffix: str = "") -> list[str]:
    """``prefix`` + ``value`` as Python source + ``suffix``, as lines starting at ``indent`` spaces.

    Dicts are one entry per line with a trailing comma; lists and calls stay on one line when they fit
    in :data:`LINE_LENGTH` and hold only scalars, else one item per line (the layout ruff format keeps).
    """
    pad = " " * indent
    scalar = _scalar(value)
    if scalar is not None:
        return [f"{pad}{prefix}{scalar}{suffix}"]
    if isinstance(value, Mapping):
        lines = [f"{pad}{prefix}{{"]
        for key, item in value.items():
            lines += python_lines(item, indent + 4, f"{python_string(str(key))}: ", ",")
        return [*lines, f"{pad}}}{suffix}"]
    if isinstance(value, list | tuple):
        return _sequence(list(value), indent, prefix + "[", "]" + suffix)
    raise TypeError(f"cannot write {type(value).__name__} value {value!r} as Python source")


def _sequence(items: list[Any], indent: int, opening: str, closing: str) -> list[str]:
    pad = " " * indent
    scalars = [_scalar(item) for item in items]
    if all(text is not None for text in scalars):
        inline = f"{pad}{opening}{', '.join(scalars)}{closing}"  # type: ignore[arg-type]
        if len(inline) <= LINE_LENGTH:
            return [inline]
    lines = [f"{pad}{opening}"]
    for item in items:
        lines += python_lines(item, indent + 4, "", ",")
    return [*lines, f"{pad}{closing}"]


def python_call(
    function: str, args: list[Any], kwargs: dict[str, Any], indent: int, prefix: str = ""
) -> list[str]:
    """``prefix`` + ``function(args, key=value)``: on one line when it fits, else one argument per line."""
    pad = " " * indent
    parts = [_scalar(arg) for arg in args] + [
        None if _scalar(item) is None else f"{key}={_scalar(item)}" for key, item in kwargs.items()
    ]
    if all(part is not None for part in parts):
        inline = f"{pad}{prefix}{function}({', '.join(parts)})"  # type: ignore[arg-type]
        if len(inline) <= LINE_LENGTH:
            return [inline]
    lines = [f"{pad}{prefix}{function}("]
    for arg in args:
        lines += python_lines(arg, indent + 4, "", ",")
    for key, item in kwargs.items():
        lines += python_lines(item, indent + 4, f"{key}=", ",")
    return [*lines, f"{pad})"]
