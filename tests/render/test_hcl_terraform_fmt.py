"""Rendered HCL is exactly what `terraform fmt` would write (checked against the real binary)."""

from __future__ import annotations

import random

import pytest
from render_helpers import needs_terraform, random_value, terraform_fmt

from mlgen.render.hcl_emitter import (
    Block,
    Call,
    Expr,
    Ref,
    module_call,
    render_block,
    render_body,
    render_file,
)

pytestmark = needs_terraform

LONG_TEXT = "a fairly long description that goes on " * 8

CASES: dict[str, str] = {
    "scalars_aligned": render_block(
        "variable",
        ["retention_days"],
        {
            "type": Expr("number"),
            "description": "Days to keep logs",
            "default": 90,
            "nullable": False,
            "sensitive": None,
            "ratio": 0.25,
            "tiny": 1e-05,
            "huge": 1e20,
            "negative": -3,
        },
    ),
    "chain_breaks_at_multiline_values": render_block(
        "resource",
        ["aws_s3_bucket", "raw"],
        {
            "a": 1,
            "longer_name": {"k": "v", "much_longer_key": "w"},
            "b": 2,
            "ccc": 3,
            "list_multiline": [{"x": 1}],
            "dd": True,
        },
    ),
    "lists_of_maps_and_nested_lists": render_block(
        "module",
        ["serving"],
        {
            "source": "../../modules/aws/serving",
            "variants": [
                {"name": "blue", "weight": 90},
                {"name": "green", "weight": 10, "extra": {"a": [1, 2]}},
            ],
            "matrix": [[1, 2], [3], []],
            "zones": ["raw", "processed", "features", "artifacts"],
            "long_list": ["x" * 30, "y" * 30, "z" * 30],
            "refs": [Ref("module.a.arn"), Ref("module.b.arn")],
            "maps_in_list": [{}, {"a": {}}],
        },
    ),
    "nested_repeated_and_empty_blocks": render_block(
        "resource",
        ["aws_s3_bucket_lifecycle_configuration", "this"],
        [
            {"for_each": Ref("local.zones")},
            {
                "bucket": Ref("aws_s3_bucket.this[each.key].id"),
                "rule": [
                    Block({"id": "expire-noncurrent", "status": "Enabled", "filter": Block({})}),
                    Block(
                        {
                            "id": "transition",
                            "status": "Enabled",
                            "transition": Block({"days": 30, "storage_class": "STANDARD_IA"}),
                            "noncurrent_version_expiration": Block({"noncurrent_days": 90}),
                        }
                    ),
                ],
            },
            {"lifecycle": Block({"prevent_destroy": True, "ignore_changes": [Ref("tags")]})},
        ],
    ),
    "dynamic_blocks_with_labels": render_block(
        "resource",
        ["aws_security_group", "this"],
        {
            "name": "x",
            "dynamic": [
                Block(
                    {
                        "for_each": Ref("var.ingress"),
                        "content": Block({"from_port": Ref("ingress.value.port")}),
                    },
                    ["ingress"],
                ),
                Block({"for_each": Ref("var.egress"), "content": Block({})}, ["egress"]),
            ],
        },
    ),
    "empty_collections": render_block(
        "locals", [], {"m": {}, "l": [], "nested": {"m": {}, "l": []}, "s": set()}
    ),
    "long_and_tricky_strings": render_block(
        "locals",
        [],
        {
            "long": LONG_TEXT,
            "template_like": "${var.not_interpolated} and %{if true}no directive%{endif}",
            "escaped_already": "$${x} %%{y}",
            "quotes_and_slashes": 'say "hi" \\ C:\\path\\',
            "whitespace": "line1\nline2\r\n\ttabbed",
            "control": "bell\x07 del\x7f",
            "unicode": "café ✓ 日本 🚀",
            "empty": "",
        },
    ),
    "quoted_and_unicode_keys": render_block(
        "locals",
        [],
        {
            "tags": {
                "project": "p",
                "cost-center": "cc-1",
                "managed-by": "mlgen",
                "kubernetes.io/role": "x",
                "with space": 1,
                "café": 2,
                "日本": 3,
                "null": "kw",
                "for": "kw",
                "123abc": "digit",
                "${x}": "template-looking key",
            }
        },
    ),
    "module_call_with_meta_arguments": module_call(
        "keys",
        "../../modules/aws/keys",
        {"project": "fraud-detect", "deletion_window_in_days": 30, "tags": Ref("local.tags")},
        meta={"providers": {"aws": Ref("aws.us_east_1")}, "depends_on": [Ref("module.network")], "count": 1},
    ),
    "module_call_registry_version": module_call(
        "vpc", "terraform-aws-modules/vpc/aws", {"cidr": "10.0.0.0/16"}, version="~> 5.0"
    ),
    "raw_multiline_expressions": render_block(
        "locals",
        [],
        {
            "policy": Expr('jsonencode({\n  Version   = "2012-10-17"\n  Statement = []\n})'),
            "by_zone": Expr("{ for zone in var.zones : zone => upper(zone) }"),
            "upper": Expr("[for z in var.zones : upper(z)]"),
            "prefix": Expr('"${var.project}-${var.environment}"'),
            "after": 1,
        },
    ),
    "function_calls": render_block(
        "locals",
        [],
        {
            "inline": Call("merge", Ref("local.tags"), {}),
            "no_args": Call("timestamp"),
            "last_multiline": Call("merge", Ref("local.tags"), {"Name": "x", "component": "keys"}),
            "only_multiline": Call(
                "jsonencode", {"Version": "2012-10-17", "Statement": [{"Effect": "Deny"}]}
            ),
            "several_multiline": Call("merge", {"a": 1}, Ref("local.tags"), {"b": 2}),
            "nested": Call("concat", [Call("tolist", ["a"])], Call("keys", {"x": 1})),
            "calls_in_a_list": [Call("merge", Ref("local.a"), {"x": 1}), Call("tolist", [])],
            "call_in_a_map": {"k": Call("jsonencode", {"a": [1]}), "short": Call("upper", "x")},
            "provider_function": Call("provider::aws::arn_parse", "arn:aws:iam::123456789012:role/x"),
        },
    ),
    "tfvars_body": render_body(
        {"region": "eu-west-1", "account_id": "111111111111", "azs": 2, "tags": {"a": "b"}}
    ),
    "deep_nesting": render_block(
        "locals",
        [],
        {"a": {"b": {"c": [{"d": {"e": [1, {"f": None}]}}]}}},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendered_block_is_unchanged_by_terraform_fmt(name: str) -> None:
    rendered = CASES[name]
    assert terraform_fmt(rendered) == rendered


def test_a_whole_landing_zone_root_is_fmt_clean() -> None:
    tags = {
        "project": "fraud-detect",
        "environment": "dev",
        "owner": "ml@example.com",
        "cost-center": "cc-1234",
    }
    text = render_file(
        [
            render_block(
                "terraform",
                [],
                {
                    "required_version": ">= 1.10",
                    "required_providers": Block({"aws": {"source": "hashicorp/aws", "version": "~> 6.0"}}),
                    "backend": Block(
                        {"bucket": "fraud-detect-tfstate", "key": "mlgen/dev.tfstate", "use_lockfile": True},
                        ["s3"],
                    ),
                },
            ),
            render_block(
                "provider",
                ["aws"],
                {"region": "eu-west-1", "default_tags": Block({"tags": {**tags, "managed-by": "mlgen"}})},
            ),
            render_block(
                "locals", [], {"prefix": Expr('"${var.project}-dev"'), "zones": ["raw", "processed"]}
            ),
            module_call("keys", "../../modules/aws/keys", {"prefix": Ref("local.prefix"), "tags": tags}),
            render_block(
                "output", ["key_arn"], {"description": "The data key", "value": Ref("module.keys.key_arn")}
            ),
        ]
    )
    assert terraform_fmt(text) == text


def test_randomly_shaped_values_are_fmt_clean() -> None:
    rng = random.Random(20261121)  # fixed seed: the same 40 shapes on every run
    body = {f"v{index}": random_value(rng, 0) for index in range(40)}
    rendered = render_block("locals", [], body)
    assert terraform_fmt(rendered) == rendered
