"""The HCL renderer's exact output and its refusals (no terraform needed)."""

from __future__ import annotations

from enum import Enum

import pytest

from mlgen.render.hcl_emitter import (
    Block,
    Call,
    Expr,
    HclRenderError,
    Ref,
    module_call,
    quote_string,
    render_block,
    render_body,
    render_file,
    render_value,
)


def test_block_body_keeps_the_given_order_and_aligns_each_run_separately() -> None:
    rendered = render_block(
        "resource",
        ["aws_s3_bucket", "raw"],
        {"zz": 1, "a": 2, "tags": {"b": "x", "long_key": "y"}, "c": 3, "dddd": Ref("var.d")},
    )

    assert rendered == (
        'resource "aws_s3_bucket" "raw" {\n'
        "  zz = 1\n"
        "  a  = 2\n"
        "  tags = {\n"
        '    b        = "x"\n'
        '    long_key = "y"\n'
        "  }\n"
        "  c    = 3\n"
        "  dddd = var.d\n"
        "}\n"
    )


def test_nested_and_repeated_blocks_are_separated_by_blank_lines() -> None:
    rendered = render_block(
        "resource",
        ["x", "y"],
        [
            {"count": 1},
            {"name": "n", "rule": [Block({"id": "a"}), Block({})], "lifecycle": Block({"x": True})},
        ],
    )

    assert rendered == (
        'resource "x" "y" {\n'
        "  count = 1\n"
        "\n"
        '  name = "n"\n'
        "\n"
        "  rule {\n"
        '    id = "a"\n'
        "  }\n"
        "\n"
        "  rule {}\n"
        "\n"
        "  lifecycle {\n"
        "    x = true\n"
        "  }\n"
        "}\n"
    )


def test_lists_are_inline_when_short_and_one_per_line_otherwise() -> None:
    assert render_value(["a", 1, None, [], {}]) == '["a", 1, null, [], {}]'
    assert render_value(["x" * 40, "y" * 40]) == "[\n" + f'  "{"x" * 40}",\n  "{"y" * 40}",\n' + "]"
    assert render_value([{"a": 1}]) == "[\n  {\n    a = 1\n  },\n]"


def test_scalars_render_as_hcl_literals() -> None:
    assert [render_value(v) for v in (None, True, False, 0, -5, 0.5, 1e-05, 1e20, 3.0)] == [
        "null",
        "true",
        "false",
        "0",
        "-5",
        "0.5",
        "0.00001",
        "100000000000000000000.0",
        "3.0",
    ]


def test_strings_escape_quotes_backslashes_newlines_and_template_openers() -> None:
    assert (
        quote_string('a "b" \\ ${x} %{y} $${z}\n\t\x01') == '"a \\"b\\" \\\\ $${x} %%{y} $$${z}\\n\\t\\u0001"'
    )


def test_map_keys_are_bare_identifiers_or_quoted() -> None:
    rendered = render_value({"ok_key": 1, "dash-ok": 2, "has space": 3, "null": 4, "1st": 5, "a.b": 6})

    assert rendered == (
        "{\n"
        "  ok_key      = 1\n"
        "  dash-ok     = 2\n"
        '  "has space" = 3\n'
        '  "null"      = 4\n'
        '  "1st"       = 5\n'
        '  "a.b"       = 6\n'
        "}"
    )


def test_sets_are_sorted_and_enums_render_their_value() -> None:
    class Size(str, Enum):
        SMALL = "small"

    assert render_value({"b", "a", "c"}) == '["a", "b", "c"]'
    assert render_value({"size": Size.SMALL}) == '{\n  size = "small"\n}'


def test_function_calls_take_the_shape_fmt_keeps() -> None:
    assert render_value(Call("merge", Ref("local.tags"), {})) == "merge(local.tags, {})"
    assert render_value(Call("merge", Ref("local.tags"), {"a": 1})) == "merge(local.tags, {\n  a = 1\n})"
    assert (
        render_value(Call("merge", {"a": 1}, {"b": 2}))
        == "merge(\n  {\n    a = 1\n  },\n  {\n    b = 2\n  },\n)"
    )


def test_module_call_puts_source_then_meta_arguments_then_inputs() -> None:
    rendered = module_call(
        "kms",
        "../../modules/aws/keys",
        {"project": "p", "window_days": 30},
        version="1.0.0",
        meta={"count": 1},
    )

    assert rendered == (
        'module "kms" {\n'
        '  source  = "../../modules/aws/keys"\n'
        '  version = "1.0.0"\n'
        "\n"
        "  count = 1\n"
        "\n"
        '  project     = "p"\n'
        "  window_days = 30\n"
        "}\n"
    )


def test_render_file_and_body() -> None:
    assert render_file([render_block("a", [], {}), render_block("b", ["l"], {"x": 1})]) == (
        'a {}\n\nb "l" {\n  x = 1\n}\n'
    )
    assert render_body({"region": "eu-west-1", "az_count": 2}) == 'region   = "eu-west-1"\naz_count = 2\n'
    assert render_body({}) == ""


def test_the_same_input_renders_the_same_bytes() -> None:
    def build() -> str:
        return render_block("locals", [], {"tags": {"z": 1, "a": 2}, "s": {"q", "p"}, "n": [1.5, None]})

    assert build() == build()


@pytest.mark.parametrize(
    ("action", "complaint"),
    [
        (lambda: render_block("bad type", [], {}), "not a valid HCL identifier"),
        (lambda: render_block("x", [], {"bad name": 1}), "not a valid HCL identifier"),
        (lambda: render_block("x", ['say "hi"'], {}), "may not contain quotes"),
        (lambda: render_block("x", ["${x}"], {}), "templates"),
        (lambda: render_block("x", "label", {}), "list of strings"),
        (lambda: render_value(float("nan")), "finite"),
        (lambda: render_value(float("inf")), "finite"),
        (lambda: render_value({1: "x"}), "map keys must be strings"),
        (lambda: render_value({"a": Block({})}), "block body"),
        (lambda: render_block("x", [], {"a": [Block({}), 1]}), "mixing Blocks"),
        (lambda: render_value(object()), "cannot render"),
        (lambda: Ref("module.kms.key_arn + 1"), "not a reference"),
        (lambda: Ref("${module.x}"), "not a reference"),
        (lambda: Expr(""), "non-empty"),
        (lambda: Expr(" x"), "whitespace"),
        (lambda: Call("not a function"), "function name"),
        (lambda: module_call("m", "./m", {"source": "x"}), "reserved"),
        (lambda: module_call("m", "./m", {}, meta={"lifecycle": 1}), "meta-argument"),
    ],
)
def test_unrenderable_input_is_refused_with_a_reason(action, complaint: str) -> None:
    with pytest.raises(HclRenderError, match=complaint):
        action()


@pytest.mark.parametrize(
    "reference",
    [
        "module.kms.key_arn",
        "var.zones[0]",
        'var.zones["raw"]',
        "aws_s3_bucket.this[each.key].id",
        "x[*].id",
        "each.value",
    ],
)
def test_references_are_accepted(reference: str) -> None:
    assert render_value(Ref(reference)) == reference
