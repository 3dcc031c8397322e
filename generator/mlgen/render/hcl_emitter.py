"""Serialise Python values and blocks into Terraform HCL that `terraform fmt` leaves unchanged.

Deterministic by construction: the same input gives the same text. Ordering rule: **given order is kept**
for block bodies and for maps. Block bodies have a conventional order (`source` first in a module call,
meta-arguments before inputs, `lifecycle` last) that sorting would destroy, and maps should read in the
order the caller built them (Python dicts are ordered, so a deterministic caller gives deterministic
output). Sets, which have no order, are rendered as lists sorted by their rendered text.

Layout rules, chosen to match what `terraform fmt` produces (hclwrite's formatter):

* two-space indentation;
* ``=`` signs of *consecutive single-line* attributes (and object entries) are aligned; a multi-line
  value, a nested block or a blank line ends the run, exactly as hclwrite's alignment chains do;
  widths count characters (Unicode code points), as hclwrite does;
* non-empty maps are always multi-line (one entry per line), empty ones are ``{}``;
* lists are inline (``["a", "b"]``) when every element is a single-line value (scalar, reference or
  empty collection) and the inline text fits in :data:`INLINE_LIST_WIDTH` characters; otherwise one
  element per line, each followed by a comma;
* nested blocks are separated from their neighbours by a blank line; body *sections* (a list of
  mappings) are separated by a blank line.

Raw expressions are :class:`Expr` (anything) or :class:`Ref` (a checked reference such as
``module.kms.key_arn``); :class:`Call` renders a function call whose arguments are ordinary values.
An ``Expr`` spanning several lines must be written fmt-clean relative to column 0; its continuation
lines are indented to where it is placed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

INDENT = "  "
INLINE_LIST_WIDTH = 80

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_FUNCTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$")
# Bare words HCL reads as something other than a literal object key: they are quoted.
_RESERVED_KEYS = frozenset({"true", "false", "null", "for", "in", "if", "endfor", "endif", "else"})
_REFERENCE = re.compile(
    r"""^[A-Za-z_][A-Za-z0-9_-]*
        (?: \.[A-Za-z_][A-Za-z0-9_-]* | \.[0-9]+ | \.\*
          | \[ (?: [0-9]+ | \* | "[^"\\$%{}\n]*" | [A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)* ) \]
        )*$""",
    re.VERBOSE,
)


class HclRenderError(ValueError):
    """A value or name cannot be expressed as (safe) HCL."""


@dataclass(frozen=True)
class Expr:
    """A raw HCL expression, emitted verbatim (e.g. ``Expr('merge(local.tags, var.extra_tags)')``)."""

    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text.strip():
            raise HclRenderError(f"Expr needs non-empty expression text, got {self.text!r}")
        if self.text != self.text.strip():
            raise HclRenderError(f"Expr text must not start or end with whitespace: {self.text!r}")


@dataclass(frozen=True)
class Ref(Expr):
    """A reference such as ``Ref("module.kms.key_arn")``, ``Ref('var.zones["raw"]')``."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not _REFERENCE.match(self.text):
            raise HclRenderError(
                f"{self.text!r} is not a reference (expected e.g. module.kms.key_arn or var.list[0]); "
                "use Expr(...) for other expressions"
            )


@dataclass(frozen=True)
class Block:
    """A nested block inside a block body. Its type is the body key it is stored under.

    ``body`` is a mapping of attribute name -> value / :class:`Block` / list of ``Block`` (a repeated
    block), or a list of such mappings rendered as sections separated by blank lines.
    """

    body: Mapping[str, Any] | Sequence[Mapping[str, Any]] = field(default_factory=dict)
    labels: Sequence[str] = ()


class Call:
    """A function call with rendered arguments: ``Call("merge", Ref("local.tags"), {"Name": "x"})``."""

    __slots__ = ("args", "name")

    def __init__(self, name: str, *args: Any) -> None:
        if not isinstance(name, str) or not _FUNCTION_NAME.match(name):
            raise HclRenderError(
                f"{name!r} is not a function name (e.g. merge, jsonencode, provider::aws::arn_parse)"
            )
        self.name = name
        self.args = args

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Call) and (self.name, self.args) == (other.name, other.args)

    def __hash__(self) -> int:
        return hash((self.name, repr(self.args)))

    def __repr__(self) -> str:
        return f"Call({self.name!r}, {', '.join(map(repr, self.args))})"


# --- names ---------------------------------------------------------------------------------------------


def _check_identifier(name: object, what: str) -> str:
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise HclRenderError(
            f"{what} {name!r} is not a valid HCL identifier "
            "(letters, digits, '_' and '-', not starting with a digit)"
        )
    return name


def _render_label(label: object) -> str:
    if not isinstance(label, str) or not label:
        raise HclRenderError(f"block label must be a non-empty string, got {label!r}")
    if (
        any(ch in label for ch in '"\\')
        or "${" in label
        or "%{" in label
        or any(ord(ch) < 0x20 for ch in label)
    ):
        raise HclRenderError(
            f"block label {label!r} may not contain quotes, backslashes, templates or control characters"
        )
    return f'"{label}"'


def _render_key(key: object) -> str:
    if isinstance(key, Enum):
        key = key.value
    if not isinstance(key, str):
        raise HclRenderError(f"map keys must be strings, got {key!r} ({type(key).__name__})")
    if _IDENTIFIER.match(key) and key not in _RESERVED_KEYS:
        return key
    return quote_string(key)


# --- values --------------------------------------------------------------------------------------------


def quote_string(text: str) -> str:
    """``text`` as an HCL quoted string whose value is exactly ``text`` (no interpolation happens)."""
    out: list[str] = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    # `${` and `%{` open template sequences; doubling the first character makes them literal.
    return '"' + "".join(out).replace("${", "$${").replace("%{", "%%{") + '"'


def _render_number(value: float | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise HclRenderError(f"{value!r} has no HCL representation (only finite numbers do)")
    # Positional notation of the shortest exact text (repr): Terraform reads `1e-05`, but the HCL parser
    # checkov uses (python-hcl2) rejects exponents, and checkov must be able to read everything we write.
    text = format(Decimal(repr(value)) if isinstance(value, float) else value, "f")
    return text if "." in text else text + ".0"


def _value_lines(value: Any) -> list[str]:
    """``value`` as HCL expression lines; continuation lines are indented relative to column 0."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, Expr):
        return value.text.split("\n")
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int | float | Decimal):
        return [_render_number(value)]
    if isinstance(value, str):
        return [quote_string(value)]
    if isinstance(value, Call):
        return _call_lines(value)
    if isinstance(value, Block):
        raise HclRenderError("a Block can only be placed directly in a block body, not inside a value")
    if isinstance(value, Mapping):
        return _object_lines(value)
    if isinstance(value, set | frozenset):
        return _list_lines(sorted(value, key=lambda item: "\n".join(_value_lines(item))))
    if isinstance(value, list | tuple):
        return _list_lines(value)
    raise HclRenderError(f"cannot render {type(value).__name__} value {value!r} as HCL")


def _list_lines(items: Sequence[Any]) -> list[str]:
    if not items:
        return ["[]"]
    rendered = [_value_lines(item) for item in items]
    if all(len(lines) == 1 for lines in rendered) and all(
        not isinstance(item, Mapping) or not item for item in items
    ):
        inline = "[" + ", ".join(lines[0] for lines in rendered) + "]"
        if len(inline) <= INLINE_LIST_WIDTH:
            return [inline]
    lines = ["["]
    for element in rendered:
        indented = [_indent(line) for line in element]
        indented[-1] += ","
        lines.extend(indented)
    lines.append("]")
    return lines


def _call_lines(call: Call) -> list[str]:
    rendered = [_value_lines(argument) for argument in call.args]
    if all(len(lines) == 1 for lines in rendered):
        return [f"{call.name}(" + ", ".join(lines[0] for lines in rendered) + ")"]
    if all(len(lines) == 1 for lines in rendered[:-1]):
        # Only the last argument spans lines: `merge(local.tags, {` ... `})`, the shape fmt keeps as is.
        *leading, last = rendered
        opening = f"{call.name}(" + "".join(lines[0] + ", " for lines in leading) + last[0]
        return [opening, *last[1:-1], last[-1] + ")"]
    # Several multi-line arguments: one per line (fmt would indent `f({ ... }, {` awkwardly).
    lines = [f"{call.name}("]
    for argument in rendered:
        indented = [_indent(line) for line in argument]
        indented[-1] += ","
        lines.extend(indented)
    lines.append(")")
    return lines


def _object_lines(mapping: Mapping[Any, Any]) -> list[str]:
    if not mapping:
        return ["{}"]
    entries = [(_render_key(key), _value_lines(value)) for key, value in mapping.items()]
    body = _aligned_assignments(entries)
    return ["{", *(_indent(line) for line in body), "}"]


def render_value(value: Any) -> str:
    """``value`` as an HCL expression (multi-line for non-empty maps and long lists)."""
    return "\n".join(_value_lines(value))


# --- bodies and blocks ---------------------------------------------------------------------------------


def _indent(line: str) -> str:
    return INDENT + line if line else line


def _aligned_assignments(entries: list[tuple[str, list[str]]]) -> list[str]:
    """``name = value`` lines with the `=` of each run of single-line entries aligned (as terraform fmt)."""
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(name) for name, _ in run), default=0)
        lines.extend(f"{name.ljust(width)} = {value}" for name, value in run)
        run.clear()

    for name, value_lines in entries:
        if len(value_lines) == 1:
            run.append((name, value_lines[0]))
        else:
            # hclwrite only aligns lines whose brackets balance; `name = {` ends the chain.
            flush()
            lines.append(f"{name} = {value_lines[0]}")
            lines.extend(value_lines[1:])
    flush()
    return lines


def _sections(body: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    if isinstance(body, Mapping):
        return [body]
    if isinstance(body, list | tuple) and all(isinstance(section, Mapping) for section in body):
        return list(body)
    raise HclRenderError(f"a block body must be a mapping or a list of mappings, got {type(body).__name__}")


def _nested_blocks(value: Any) -> list[Block] | None:
    """The blocks ``value`` stands for, or None when it is an attribute value."""
    if isinstance(value, Block):
        return [value]
    if isinstance(value, list | tuple) and value and any(isinstance(item, Block) for item in value):
        if not all(isinstance(item, Block) for item in value):
            raise HclRenderError("a list mixing Blocks and plain values cannot be rendered; split it")
        return list(value)
    return None


def _body_lines(body: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[str]:
    # Each chunk is a group of lines; chunks are separated by one blank line.
    chunks: list[list[str]] = []
    for section in _sections(body):
        attributes: list[tuple[str, list[str]]] = []
        for name, value in section.items():
            _check_identifier(name, "attribute or block name")
            blocks = _nested_blocks(value)
            if blocks is None:
                attributes.append((name, _value_lines(value)))
                continue
            if attributes:
                chunks.append(_aligned_assignments(attributes))
                attributes = []
            chunks.extend(_block_lines(name, block.labels, block.body) for block in blocks)
        if attributes:
            chunks.append(_aligned_assignments(attributes))
    lines: list[str] = []
    for chunk in chunks:
        if lines:
            lines.append("")
        lines.extend(chunk)
    return lines


def _block_lines(
    block_type: str, labels: Iterable[str], body: Mapping[str, Any] | Sequence[Mapping[str, Any]]
) -> list[str]:
    _check_identifier(block_type, "block type")
    if isinstance(labels, str):
        raise HclRenderError(
            f"labels of block {block_type!r} must be a list of strings, not the string {labels!r}"
        )
    opening = " ".join([block_type, *(_render_label(label) for label in labels)])
    inner = _body_lines(body)
    if not inner:
        return [f"{opening} {{}}"]
    return [f"{opening} {{", *(_indent(line) for line in inner), "}"]


def render_block(
    block_type: str, labels: Sequence[str], body: Mapping[str, Any] | Sequence[Mapping[str, Any]]
) -> str:
    """A top-level block such as ``render_block("resource", ["aws_s3_bucket", "raw"], {...})``, newline-ended.

    Body values are attribute values, a :class:`Block` (nested block named by its key) or a list of
    ``Block`` (the same nested block repeated). A list of mappings renders as blank-line separated sections.
    """
    return "\n".join(_block_lines(block_type, labels, body)) + "\n"


def render_body(body: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> str:
    """Attributes (and blocks) at top level, as in a ``.tfvars`` file; ends in a newline if not empty."""
    lines = _body_lines(body)
    return "\n".join(lines) + "\n" if lines else ""


_MODULE_META_ARGUMENTS = ("count", "for_each", "providers", "depends_on")


def module_call(
    name: str,
    source: str,
    inputs: Mapping[str, Any],
    *,
    version: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> str:
    """A ``module "name" { source = ... }`` block: source (and version), then meta-arguments, then inputs.

    Each group is separated by a blank line, the layout the Terraform style guide recommends.
    """
    meta = dict(meta or {})
    unknown = sorted(set(meta) - set(_MODULE_META_ARGUMENTS))
    if unknown:
        raise HclRenderError(
            f"unknown module meta-argument(s) {unknown}; expected some of {list(_MODULE_META_ARGUMENTS)}"
        )
    clashes = sorted(set(inputs) & ({"source", "version"} | set(_MODULE_META_ARGUMENTS)))
    if clashes:
        raise HclRenderError(
            f"module {name!r} inputs use reserved name(s) {clashes}; pass them as source/version/meta"
        )
    head: dict[str, Any] = {"source": source}
    if version is not None:
        head["version"] = version
    sections = [head, meta, dict(inputs)]
    return render_block("module", [name], [section for section in sections if section])


def render_file(blocks: Iterable[str]) -> str:
    """Join rendered blocks into one file, separated by blank lines."""
    rendered = [block if block.endswith("\n") else block + "\n" for block in blocks]
    return "\n".join(rendered)
