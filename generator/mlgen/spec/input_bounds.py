"""Bounds on a spec before it is built into data: a spec is untrusted input.

CI runs `mlgen check` on pull requests, so whoever opens one chooses the spec. YAML can make a few
hundred bytes expand into billions of values (nested aliases, "billion laughs"), nest deeper than any
recursive walk survives, or ask for Python objects with tags. The YAML event stream is scanned first,
in one pass and without building anything, and the spec is refused at the first event that crosses a
limit; only a spec within every limit is composed and walked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)

from mlgen.spec.errors import Problem, SpecError


@dataclass(frozen=True)
class InputLimits:
    """The one place the limits live (docs/spec-reference.md quotes them from here)."""

    # A full production spec is about 1 KB; 16 KiB leaves room for many endpoints and long comments
    # while keeping the worst case (a file of garbage keys; pure-Python YAML parses ~70 KB/s) under a second.
    max_bytes: int = 16 * 1024
    # The deepest real path is about 8 levels (environments.prod.serving.endpoints.x.variants[0].y).
    max_depth: int = 24
    # Values after expanding aliases; a spec written by hand has a few hundred.
    max_values: int = 20_000


LIMITS = InputLimits()
YAML_CORE = "tag:yaml.org,2002:"


def _too_deep(limits: InputLimits) -> tuple[str, str]:
    return (
        f"the spec nests deeper than {limits.max_depth} levels",
        "a spec is a few levels deep; see docs/spec-reference.md for its shape",
    )


@dataclass
class _Node:
    """An open collection while scanning: its anchor and how many values / levels it holds so far."""

    anchor: str | None
    values: int = 1
    height: int = 1


# The YAML scanner looks ahead up to 1024 tokens at each flow level, so `[[[[...` costs time quadratic
# in its depth before the first event arrives (0.5 s at 1000 levels). Brackets are counted in the raw
# text first, comments skipped; a spec with this many open brackets nests too deep whatever they mean.
_RAW_BRACKET_DEPTH = 200
_BRACKETS_OR_COMMENT = re.compile(r"[\[\]{}]|(?:^|(?<=\s))#[^\n]*", re.MULTILINE)


def _raw_bracket_depth_exceeded(text: str) -> int | None:
    """The offset where open brackets first exceed _RAW_BRACKET_DEPTH, or None."""
    depth = 0
    for match in _BRACKETS_OR_COMMENT.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > _RAW_BRACKET_DEPTH:
                return match.start()
        elif char in "]}":
            depth = max(depth - 1, 0)
    return None


def check_bounds(text: str, file: str, limits: InputLimits = LIMITS) -> None:
    """Raise SpecError at the first event past a limit; YAML syntax errors are left to the real load."""
    offset = _raw_bracket_depth_exceeded(text)
    if offset is not None:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise SpecError([Problem(file, line, column, "", *_too_deep(limits))])
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (values, height) once its node is complete
    open_nodes: list[_Node] = []
    expanded = 0

    def refuse(event: object, message: str, hint: str) -> SpecError:
        mark = event.start_mark  # type: ignore[attr-defined]
        return SpecError([Problem(file, mark.line + 1, mark.column + 1, "", message, hint)])

    def add(event: object, values: int, height: int) -> None:
        nonlocal expanded
        expanded += values
        if expanded > limits.max_values:
            raise refuse(
                event,
                f"the spec expands to more than {limits.max_values} values"
                " (YAML aliases multiply what they repeat)",
                "write the values out, or use fewer nested aliases",
            )
        if len(open_nodes) + height > limits.max_depth:
            raise refuse(event, *_too_deep(limits))
        if open_nodes:
            parent = open_nodes[-1]
            parent.values += values
            parent.height = max(parent.height, height + 1)

    try:
        for event in YAML(typ="rt", pure=True).parse(text):
            if isinstance(event, NodeEvent) and not isinstance(event, AliasEvent):
                tag = getattr(event, "tag", None)
                # no tag at all: the rest of the loader sees only plain strings, numbers, lists, mappings
                if tag is not None:
                    shown = tag.replace(YAML_CORE, "!!")
                    raise refuse(
                        event,
                        f"YAML tag {shown} is not allowed in a spec",
                        "remove the tag (quote the value to keep it a string); a spec holds plain values",
                    )
            if isinstance(event, ScalarEvent):
                add(event, 1, 1)
                if event.anchor:
                    anchors[event.anchor] = (1, 1)
            elif isinstance(event, CollectionStartEvent):
                add(event, 1, 1)
                open_nodes.append(_Node(event.anchor))
            elif isinstance(event, CollectionEndEvent):
                node = open_nodes.pop()
                if node.anchor:
                    anchors[node.anchor] = (node.values, node.height)
                if open_nodes:  # the parent already counted this node's start; now it holds its contents
                    parent = open_nodes[-1]
                    parent.values += node.values - 1
                    parent.height = max(parent.height, node.height + 1)
            elif isinstance(event, AliasEvent):
                if event.anchor not in anchors:
                    if not any(node.anchor == event.anchor for node in open_nodes):
                        return  # an undefined alias: the real load reports it
                    # an alias to an anchor still open refers to its own container: an endless value
                    raise refuse(
                        event,
                        f"alias *{event.anchor} refers to a value that contains it",
                        "an alias can only repeat a value that is complete",
                    )
                values, height = anchors[event.anchor]
                add(event, values, height)
    except YAMLError:
        return  # the real load reports the syntax error with its position
