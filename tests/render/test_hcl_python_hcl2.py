"""Rendered HCL parses back to the same data with the Python HCL parser (the one checkov reads HCL with).

The parser in the test environment is python-hcl2 or checkov's fork bc-python-hcl2 (both install the
`hcl2` module). They differ in shape — the fork wraps every attribute value in a one-element list,
python-hcl2 8 keeps the quotes of strings and labels — so the shape is probed first instead of assumed. The parser returns strings with their HCL escapes still in place
and negative numbers as expressions, so this check uses values without those; Terraform's own parser
checks them in test_hcl_terraform_values.py.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from mlgen.render.hcl_emitter import Block, Ref, module_call, render_block

hcl2 = pytest.importorskip("hcl2", reason="python-hcl2 is not installed (it is in the `test` extra)")
try:
    hcl2.loads("a = 1\n")
except Exception as error:  # noqa: BLE001 - any failure here means the installed parser itself is broken
    pytest.skip(
        f"the installed `hcl2` module cannot parse `a = 1` ({error!r}); python-hcl2 and checkov's "
        "bc-python-hcl2 both install a package named `hcl2` and may have overwritten each other",
        allow_module_level=True,
    )

SAFE_STRINGS = ["", "plain", "with space", "dots.and-dashes_", "café ✓", "x" * 200, "arn:aws:iam::1:role/r"]


def _wraps_attribute_values() -> bool:
    """bc-python-hcl2 returns `a = 1` as {"a": [1]}; python-hcl2 8 as {"a": 1}."""
    return hcl2.loads("a = 1\n")["a"] == [1]


def _keeps_string_quotes() -> bool:
    """python-hcl2 8 returns `a = "x"` (and labels, quoted keys) with their quotes; the fork does not."""
    parsed = hcl2.loads('a = "x"\n')["a"]
    return (parsed[0] if isinstance(parsed, list) else parsed) == '"x"'


def _plain(value: Any) -> Any:
    """Parser output without metadata keys (`__start_line__`, `__is_block__`) or kept quotes."""
    quoted = _keeps_string_quotes()
    if isinstance(value, str) and quoted and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, dict):
        return {
            (key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key): _plain(item)
            for key, item in value.items()
            if not (key.startswith("__") and key.endswith("__"))
        }
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _attributes(body: dict[str, Any]) -> dict[str, Any]:
    """The attributes of a parsed block body, unwrapped and without metadata."""
    wrapped = _wraps_attribute_values()
    plain = _plain(body)
    return {key: (value[0] if wrapped else value) for key, value in plain.items()}


def _expected(value: Any) -> Any:
    """What the parser returns for ``value``: references come back as `${...}` strings."""
    if isinstance(value, Ref):
        return "${" + value.text + "}"
    if isinstance(value, dict):
        return {key: _expected(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_expected(item) for item in value]
    return value


def _safe_random_value(rng: random.Random, depth: int) -> Any:
    if depth >= 3 or rng.random() < 0.4:
        return rng.choice([*SAFE_STRINGS, 0, 7, 2**40, 0.5, 1e-05, 1e20, True, False, None])
    if rng.random() < 0.5:
        return [_safe_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = ["a", "long_key_name", "with-dash", "needs quoting", "x.y", "ç"]
    return {rng.choice(keys) + str(i): _safe_random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}


def test_values_parse_back_to_the_same_data() -> None:
    values: dict[str, Any] = {
        "scalars": ["plain", 0, 7, 0.5, 1e-05, True, False, None],
        "tags": {"project": "p", "cost-center": "cc-1", "managed-by": "mlgen", "kubernetes.io/role": "x"},
        "nested": {"a": [{"b": {"c": [1, "two", None]}}], "empty_map": {}, "empty_list": []},
        "ref": Ref("module.kms.key_arn"),
        "refs": [Ref("module.a.arn"), Ref("var.zones[0]")],
        "long_list": [f"element-{index:03d}" for index in range(30)],
    }

    parsed = hcl2.loads(render_block("locals", [], values))

    assert _attributes(parsed["locals"][0]) == _expected(values)


def test_randomly_shaped_values_parse_back_to_the_same_data() -> None:
    rng = random.Random(11)  # fixed seed: the same 30 shapes on every run
    values = {f"v{index}": _safe_random_value(rng, 0) for index in range(30)}

    parsed = hcl2.loads(render_block("locals", [], values))

    assert _attributes(parsed["locals"][0]) == _expected(values)


def test_blocks_and_module_calls_parse_with_their_attributes() -> None:
    text = (
        render_block(
            "resource",
            ["aws_s3_bucket", "raw"],
            [
                {"count": 1},
                {"bucket": "b", "rule": [Block({"id": "a"}), Block({"id": "b"})], "lifecycle": Block({})},
            ],
        )
        + "\n"
        + module_call("kms", "../../modules/aws/keys", {"window_days": 30, "tags": {"a": "b"}})
    )

    parsed = hcl2.loads(text)

    bucket = _plain(parsed["resource"][0])["aws_s3_bucket"]["raw"]
    assert _attributes(bucket)["bucket"] == "b"
    assert [_attributes(rule)["id"] for rule in bucket["rule"]] == ["a", "b"]
    module = _attributes(_plain(parsed["module"][0])["kms"])
    assert module == {"source": "../../modules/aws/keys", "window_days": 30, "tags": {"a": "b"}}
