"""The provider schemas mlgen bundles (generator/mlgen/conformance/schemas), as Terraform plugin schemas.

Rules (docs/terraform-harness.md): a required argument stays required, every other argument is
optional+computed (the jsii data cannot tell optional from optional+computed), computed-only getters are
computed with the type their cdktf accessor reads (`dynamic` for nested objects). A block that may appear at
most once is served as a list block with max_items = 1 (how SDKv2 providers, aws among them, declare it);
lists and sets of primitives are both lists (jsii has arrays only)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

from mlgen.conformance.schema import load_provider

from . import tfplugin6_pb2 as pb


@dataclass
class Attr:
    type: Any
    required: bool = False
    computed: bool = False

    @property
    def optional(self) -> bool:
        return not self.required


@dataclass
class Block:
    attributes: dict[str, Attr] = field(default_factory=dict)
    blocks: dict[str, NestedBlock] = field(default_factory=dict)

    @functools.cached_property
    def cty_type(self) -> Any:
        attrs = {name: a.type for name, a in self.attributes.items()}
        attrs.update({name: b.cty_type for name, b in self.blocks.items()})
        return ["object", attrs]


@dataclass
class NestedBlock:
    nesting: str  # "list" or "set"
    block: Block
    min_items: int = 0
    max_items: int = 0

    @property
    def cty_type(self) -> Any:
        return [self.nesting, self.block.cty_type]


def _object_type(entry: dict[str, Any]) -> Any:
    """Type of a nested attribute (`ingress = [{...}]`): an object whose optional members may be left out."""
    members: dict[str, Any] = {}
    optional: list[str] = []
    for name, sub in entry.get("attributes", {}).items():
        members[name] = _attr_type(sub)
        if not sub.get("required"):
            optional.append(name)
    for name, sub in entry.get("blocks", {}).items():
        members[name] = ["list", _object_type(sub)]
        optional.append(name)
    obj: list[Any] = ["object", members]
    if optional:
        obj.append(sorted(optional))
    return obj


def _attr_type(entry: dict[str, Any]) -> Any:
    if "object" in entry:
        obj = _object_type(entry)
        return {"single": obj, "list": ["list", obj], "map": ["map", obj]}[entry["object"]]
    return entry.get("type", "dynamic")


def build_block(compact: dict[str, Any]) -> Block:
    block = Block()
    for name, entry in compact.get("attributes", {}).items():
        required = bool(entry.get("required"))
        block.attributes[name] = Attr(_attr_type(entry), required=required, computed=not required)
    for name, entry in compact.get("computed_types", {}).items():
        block.attributes.setdefault(name, Attr(entry, computed=True))
    for name in compact.get("computed", []):  # schemas refreshed before computed types were recorded
        block.attributes.setdefault(name, Attr("dynamic", computed=True))
    for name, entry in compact.get("blocks", {}).items():
        nesting = "set" if entry.get("nesting") == "set" else "list"
        max_items = entry.get("max_items", 1 if entry.get("nesting") == "single" else 0)
        block.blocks[name] = NestedBlock(nesting, build_block(entry), entry.get("min_items", 0), max_items)
    return block


def _pb_block(block: Block) -> pb.Schema.Block:
    out = pb.Schema.Block()
    for name in sorted(block.attributes):
        a = block.attributes[name]
        out.attributes.append(
            pb.Schema.Attribute(
                name=name,
                type=json.dumps(a.type).encode(),
                required=a.required,
                optional=a.optional,
                computed=a.computed,
            )
        )
    for name in sorted(block.blocks):
        b = block.blocks[name]
        out.block_types.append(
            pb.Schema.NestedBlock(
                type_name=name,
                block=_pb_block(b.block),
                nesting=pb.Schema.NestedBlock.SET if b.nesting == "set" else pb.Schema.NestedBlock.LIST,
                min_items=b.min_items,
                max_items=b.max_items,
            )
        )
    return out


class ProviderModel:
    """One provider's schema; blocks are built on first use (a plugin process plans a few dozen types)."""

    def __init__(self, name: str) -> None:
        schema = load_provider(name)
        if schema is None:
            raise KeyError(f"mlgen bundles no schema for provider {name!r}")
        self.name = name
        self.version = schema.version
        self._compact = schema
        self.provider = build_block(schema.provider_config)
        self.resources = _LazyBlocks(schema.resources)
        self.data_sources = _LazyBlocks(schema.data_sources)

    def schema_response(self) -> pb.GetProviderSchema.Response:
        response = pb.GetProviderSchema.Response(provider=pb.Schema(block=_pb_block(self.provider)))
        for type_name in self.resources:
            response.resource_schemas[type_name].CopyFrom(
                pb.Schema(block=_pb_block(self.resources[type_name]))
            )
        for type_name in self.data_sources:
            block = self.data_sources[type_name]
            response.data_source_schemas[type_name].CopyFrom(pb.Schema(block=_pb_block(block)))
        return response


class _LazyBlocks(dict):
    def __init__(self, compact: dict[str, Any]) -> None:
        super().__init__()
        self._compact = compact

    def __iter__(self):  # type: ignore[override]
        return iter(self._compact)

    def __len__(self) -> int:
        return len(self._compact)

    def __contains__(self, key: object) -> bool:
        return key in self._compact

    def __missing__(self, key: str) -> Block:
        block = build_block(self._compact[key])
        self[key] = block
        return block


@functools.cache
def provider_model(name: str) -> ProviderModel:
    return ProviderModel(name)
