"""Terraform values on the wire: cty's msgpack encoding, driven by the cty type (JSON form, e.g. `["list",
"string"]`). Python values: None (null), UNKNOWN, str, int/float, bool, list, dict; dynamic values travel as
`Dynamic(type, value)` so they can be written back with their type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Self

import msgpack


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
# cty writes an unknown as fixext1 type 0; refined unknowns (type 12) read as plain unknowns here.
_UNKNOWN_EXT = msgpack.ExtType(0, b"\x00")


@dataclass(frozen=True)
class Dynamic:
    type: Any
    value: Any


def _ext_hook(code: int, data: bytes) -> Any:
    return UNKNOWN


def unpack(data: bytes, cty_type: Any) -> Any:
    raw = msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=False)
    return _typed(raw, cty_type)


def _typed(raw: Any, cty_type: Any) -> Any:
    if raw is None or raw is UNKNOWN:
        return raw
    if cty_type == "dynamic":
        inner_type = json.loads(raw[0])
        return Dynamic(inner_type, _typed(raw[1], inner_type))
    if isinstance(cty_type, str):
        return raw
    kind = cty_type[0]
    if kind in ("list", "set"):
        return [_typed(item, cty_type[1]) for item in raw]
    if kind == "map":
        return {key: _typed(item, cty_type[1]) for key, item in raw.items()}
    if kind == "tuple":
        return [_typed(item, elem) for item, elem in zip(raw, cty_type[1], strict=True)]
    if kind == "object":
        return {name: _typed(raw.get(name), attr_type) for name, attr_type in cty_type[1].items()}
    raise ValueError(f"unknown cty type {cty_type!r}")


def pack(value: Any, cty_type: Any) -> bytes:
    return msgpack.packb(_plain(value, cty_type), use_bin_type=True)


def _plain(value: Any, cty_type: Any) -> Any:
    if value is None:
        return None
    if value is UNKNOWN:
        return _UNKNOWN_EXT
    if cty_type == "dynamic":
        if not isinstance(value, Dynamic):
            value = Dynamic(_infer_type(value), value)
        return [json.dumps(value.type).encode(), _plain(value.value, value.type)]
    if isinstance(cty_type, str):
        if cty_type == "number" and isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    kind = cty_type[0]
    if kind in ("list", "set"):
        return [_plain(item, cty_type[1]) for item in value]
    if kind == "map":
        return {key: _plain(item, cty_type[1]) for key, item in value.items()}
    if kind == "tuple":
        return [_plain(item, elem) for item, elem in zip(value, cty_type[1], strict=True)]
    if kind == "object":
        return {name: _plain(value.get(name), attr_type) for name, attr_type in cty_type[1].items()}
    raise ValueError(f"unknown cty type {cty_type!r}")


def _infer_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return ["tuple", [_infer_type(v) for v in value]]
    if isinstance(value, dict):
        return ["object", {k: _infer_type(v) for k, v in value.items()}]
    raise ValueError(f"cannot infer a cty type for {value!r}")
