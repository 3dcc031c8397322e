"""Rendered values mean, to Terraform itself, exactly the Python data they came from.

Each value goes into a `locals` block, `terraform console` evaluates it and hands it back as
base64(jsonencode(...)), and the decoded JSON must equal the original data.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from render_helpers import needs_terraform, random_value, terraform_evaluate_locals

from mlgen.render.hcl_emitter import Call, render_block

pytestmark = needs_terraform

TRICKY_STRINGS = [
    "",
    "plain",
    "${var.looks_like_interpolation}",
    "$${already_escaped}",
    "$$${triple}",
    "%{if true}directive%{endif}",
    "%%{escaped_directive}",
    "$ {not a template} % {nor this} $",
    'quotes " inside "',
    "back\\slash\\\\double",
    "ends with backslash\\",
    "new\nline\r\ncrlf\ttab",
    "control \x01\x1f\x7f chars",
    "unicode café ✓ 日本 🚀 \u2028",
    "x" * 500,
]


def _as_json(value: Any) -> Any:
    """The JSON Terraform would produce for ``value`` (tuples become lists)."""
    return json.loads(json.dumps(value))


def test_strings_survive_every_escape(tmp_path: Path) -> None:
    values = {f"s{index}": text for index, text in enumerate(TRICKY_STRINGS)}

    result = terraform_evaluate_locals(render_block("locals", [], values), list(values), tmp_path)

    assert result == values


def test_numbers_bools_null_and_collections_keep_their_values(tmp_path: Path) -> None:
    values: dict[str, Any] = {
        "ints": [0, 1, -1, 2**40, -(10**15)],
        "floats": [0.5, 1e-05, 1e20, -2.5e-07, 123456789.125, 1 / 3],
        "bools_null": [True, False, None],
        "empty_list": [],
        "empty_map": {},
        "nested": {"a": [{"b": {"c": [1, "two", None]}}], "tuple": (1, 2)},
        "keys": {
            "cost-center": 1,
            "kubernetes.io/role": 2,
            "with space": 3,
            "café": 4,
            "null": 5,
            "for": 6,
            "${k}": 7,
        },
        "long_list": [f"element-{index:03d}" for index in range(40)],
    }

    result = terraform_evaluate_locals(render_block("locals", [], values), list(values), tmp_path)

    assert result == _as_json(values)


def test_function_calls_evaluate_as_written(tmp_path: Path) -> None:
    values = {
        "merged": Call("merge", {"a": 1, "b": {"c": 2}}, {"b": "over", "d": [1]}),
        "encoded": Call("jsonencode", {"Statement": [{"Effect": "Deny", "Action": "s3:*"}]}),
        "joined": Call("join", "-", ["x", "y", Call("upper", "z")]),
    }

    result = terraform_evaluate_locals(render_block("locals", [], values), list(values), tmp_path)

    assert result == {
        "merged": {"a": 1, "b": "over", "d": [1]},
        "encoded": json.dumps({"Statement": [{"Action": "s3:*", "Effect": "Deny"}]}, separators=(",", ":")),
        "joined": "x-y-Z",
    }


def test_randomly_shaped_values_keep_their_values(tmp_path: Path) -> None:
    rng = random.Random(7)  # fixed seed: the same 40 shapes on every run
    values = {f"v{index}": random_value(rng, 0) for index in range(40)}

    result = terraform_evaluate_locals(render_block("locals", [], values), list(values), tmp_path)

    assert result == _as_json(values)
