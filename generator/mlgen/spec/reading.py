"""Reading a spec: YAML text to plain data, with the file:line:column of every key and list item.

Every value the user wrote keeps its position, so a problem found later (in the merged, validated
document) points back at the line that caused it.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from mlgen.spec.errors import Problem, SpecError
from mlgen.spec.input_bounds import LIMITS, InputLimits, check_bounds

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Origin:
    """Where the user wrote a key (and its value)."""

    written_at: Path_
    key_line: int
    key_column: int
    value_line: int
    value_column: int
    is_scalar: bool


def read_spec_file(path: Path) -> tuple[dict[str, Any], dict[Path_, Origin]]:
    """The file's top-level mapping as plain data, and the origin of every key and list item."""
    return parse_spec_text(read_spec_bytes(path), str(path))


def read_spec_bytes(path: Path, limits: InputLimits = LIMITS) -> str:
    """The spec's text, refusing what is not a small regular UTF-8 file (a FIFO would block forever)."""
    file = str(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        raise SpecError(
            [Problem(file, 0, 0, "", "file not found", "create one with `mlgen init <project> --cloud aws`")],
            headline=f"{file} not found",
        ) from None
    except OSError as error:
        raise SpecError([Problem(file, 0, 0, "", f"cannot be read: {error.strerror}")]) from None
    if stat.S_ISDIR(status.st_mode):
        raise SpecError([Problem(file, 0, 0, "", "is a directory, not a spec file")])
    if not stat.S_ISREG(status.st_mode):
        raise SpecError(
            [Problem(file, 0, 0, "", "is not a regular file (a pipe, socket or device)", "give a YAML file")]
        )
    too_big = Problem(
        file,
        0,
        0,
        "",
        f"is larger than {limits.max_bytes // 1024} KiB",
        "a spec is a few KB; is this the right file?",
    )
    if status.st_size > limits.max_bytes:
        raise SpecError([too_big])
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as error:
        raise SpecError([Problem(file, 0, 0, "", f"cannot be read: {error.strerror}")]) from None
    if len(data) > limits.max_bytes:  # grew since the stat
        raise SpecError([too_big])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        raise SpecError(
            [
                Problem(
                    file, line, column, "", f"is not UTF-8 text (byte 0x{byte:02x})", "save the file as UTF-8"
                )
            ]
        ) from None


def parse_spec_text(text: str, file: str) -> tuple[dict[str, Any], dict[Path_, Origin]]:
    """Parse spec text; `file` is the name problems carry."""
    if len(text.encode("utf-8", "surrogatepass")) > LIMITS.max_bytes:
        raise SpecError([Problem(file, 0, 0, "", f"is larger than {LIMITS.max_bytes // 1024} KiB")])
    check_bounds(text, file)
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
        kind = type_name(plain(document))
        raise SpecError(
            [Problem(file, 1, 1, "", f"the top level must be a mapping of keys (project: ...), got {kind}")]
        )
    origins: dict[Path_, Origin] = {(): Origin((), 1, 1, 1, 1, False)}
    _collect_origins(document, (), origins)
    return plain(document), origins


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
    return key if isinstance(key, str) else str(plain(key))


def plain(value: Any) -> Any:
    """ruamel's round-trip types as plain Python (strict validation rejects subclasses' quirks)."""
    if isinstance(value, dict):
        return {_key(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def type_name(value: Any) -> str:
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
