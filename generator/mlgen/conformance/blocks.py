"""Check resource, data source and provider blocks against a provider schema, at every nesting level.

A block schema (see scripts/refresh_provider_schemas.py) is `{"attributes": {name: {...}}, "blocks": {name:
{"nesting": "single"|"list"|"set"|"any", "min_items": 0|1, "opaque"?: true, "attributes", "blocks"}}}`.
Attributes with an `"object"` key hold objects (`name = {...}` / `name = [{...}]`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlgen.conformance.hcl_parser import Block
from mlgen.conformance.suggest import did_you_mean

Schema = dict[str, Any]
Emit = Callable[[int, str, str, str | None], None]  # (line, attribute path, message, suggestion)

COMMON_META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on"})
_CONDITION = {
    "nesting": "list",
    "min_items": 0,
    "attributes": {"condition": {"required": True}, "error_message": {"required": True}},
}
_RESOURCE_LIFECYCLE: Schema = {
    "attributes": {
        "create_before_destroy": {},
        "prevent_destroy": {},
        "ignore_changes": {},
        "replace_triggered_by": {},
    },
    "blocks": {"precondition": _CONDITION, "postcondition": _CONDITION},
}
_DATA_LIFECYCLE: Schema = {"blocks": {"precondition": _CONDITION, "postcondition": _CONDITION}}
_OPAQUE: Schema = {"opaque": True}
# Meta-argument blocks and the schema their contents are checked against.
RESOURCE_META_BLOCKS: dict[str, Schema] = {
    "lifecycle": _RESOURCE_LIFECYCLE,
    "connection": _OPAQUE,
    "provisioner": _OPAQUE,
}
DATA_META_BLOCKS: dict[str, Schema] = {"lifecycle": _DATA_LIFECYCLE}
PROVIDER_META_ARGUMENTS = frozenset({"alias", "version"})
_DYNAMIC_SCHEMA: Schema = {
    "attributes": {"for_each": {"required": True}, "iterator": {}, "labels": {}},
    "blocks": {"content": {"nesting": "single", "min_items": 1, "opaque": True}},
}


def _dotted(path: tuple[str, ...], name: str) -> str:
    return ".".join((*path, name))


def _legacy_object_block(attribute_schema: Schema) -> Schema:
    """Schema for a list-of-objects attribute written in block syntax (Terraform's attributes-as-blocks
    mode for legacy providers, e.g. aws_security_group `ingress { ... }`): field names are checked,
    presence is not (omitted fields become null)."""
    return {"attributes": {name: {} for name in attribute_schema.get("attributes", {})}}


def check_body(
    block: Block,
    schema: Schema,
    emit: Emit,
    path: tuple[str, ...] = (),
    meta_arguments: frozenset[str] = frozenset(),
    meta_blocks: dict[str, Schema] | None = None,
) -> None:
    """Check `block`'s attributes and nested blocks against `schema`; report through `emit`."""
    if schema.get("opaque"):
        return
    meta_blocks = meta_blocks or {}
    attributes: Schema = schema.get("attributes", {})
    blocks: Schema = schema.get("blocks", {})
    every_name = [*attributes, *blocks, *meta_arguments, *meta_blocks]

    given: set[str] = set()
    for attribute in block.attributes:
        name = attribute.name
        where = _dotted(path, name)
        if name in given:
            emit(attribute.line, where, f"argument `{name}` is set more than once", None)
        given.add(name)
        if name in attributes or name in meta_arguments:
            continue
        if name in blocks or name in meta_blocks:
            emit(
                attribute.line,
                where,
                f"`{name}` is a nested block, not an argument: write `{name} {{ ... }}` "
                f"instead of `{name} = ...`",
                None,
            )
        else:
            emit(attribute.line, where, f"unknown argument `{name}`", did_you_mean(name, every_name))
    if "count" in given and "for_each" in given and "count" in meta_arguments:
        line = next(a.line for a in block.attributes if a.name == "for_each")
        emit(line, "for_each", "`count` and `for_each` cannot be used together", None)

    static_blocks: dict[str, list[Block]] = {}
    dynamic_names: set[str] = set()
    for child in block.blocks:
        name = child.type
        where = _dotted(path, name)
        if name in meta_blocks:
            check_body(child, meta_blocks[name], emit, (*path, name))
        elif name == "dynamic":
            dynamic_name = _check_dynamic(child, attributes, blocks, emit, path)
            if dynamic_name:
                dynamic_names.add(dynamic_name)
        elif name in blocks:
            static_blocks.setdefault(name, []).append(child)
            check_body(child, blocks[name], emit, (*path, name))
        elif name in attributes and attributes[name].get("object") == "list":
            check_body(child, _legacy_object_block(attributes[name]), emit, (*path, name))
        elif name in attributes or name in meta_arguments:
            emit(
                child.line,
                where,
                f"`{name}` is an argument, not a nested block: write `{name} = ...` "
                f"instead of `{name} {{ ... }}`",
                None,
            )
        elif name in RESOURCE_META_BLOCKS:
            emit(child.line, where, f"`{name}` blocks are only allowed in resources", None)
        else:
            emit(
                child.line,
                where,
                f"unknown block `{name}`",
                did_you_mean(name, [*blocks, *meta_blocks, *attributes]),
            )

    for name, occurrences in static_blocks.items():
        if blocks[name].get("nesting") == "single" and len(occurrences) > 1:
            emit(
                occurrences[1].line,
                _dotted(path, name),
                f"at most one `{name}` block is allowed, found {len(occurrences)}",
                None,
            )
    # A name already reported as written with the wrong syntax is not reported missing as well.
    written_as_block = {child.type for child in block.blocks}
    for name, attribute_schema in sorted(attributes.items()):
        if attribute_schema.get("required") and name not in given and name not in written_as_block:
            emit(block.line, _dotted(path, name), f"missing required argument `{name}`", None)
    for name, block_schema in sorted(blocks.items()):
        present = name in static_blocks or name in dynamic_names or name in given
        if block_schema.get("min_items", 0) >= 1 and not present:
            emit(block.line, _dotted(path, name), f"missing required block `{name}`", None)


def _check_dynamic(
    dynamic: Block, attributes: Schema, blocks: Schema, emit: Emit, path: tuple[str, ...]
) -> str | None:
    """Check a `dynamic "name" { for_each ... content { ... } }` block; return the block name it makes."""
    if len(dynamic.labels) != 1:
        emit(dynamic.line, _dotted(path, "dynamic"), "a dynamic block needs exactly one label", None)
        return None
    name = dynamic.labels[0]
    where = _dotted(path, name)
    check_body(dynamic, _DYNAMIC_SCHEMA, emit, (*path, f"dynamic.{name}"))
    if name in blocks:
        content_schema = blocks[name]
    elif name in attributes and attributes[name].get("object") == "list":
        content_schema = _legacy_object_block(attributes[name])
    elif name in attributes:
        emit(
            dynamic.line,
            where,
            f"`{name}` is an argument, not a nested block: a dynamic block cannot set it",
            None,
        )
        return None
    else:
        emit(dynamic.line, where, f"unknown block `{name}` in dynamic block", did_you_mean(name, blocks))
        return None
    for content in dynamic.blocks_of_type("content"):
        check_body(content, content_schema, emit, (*path, name))
    return name
