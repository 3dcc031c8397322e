"""Every storage bucket, in both of its variants, gets each security control.

The storage module's buckets exist as a protected (prevent_destroy) and an unprotected variant, merged
into ``local.buckets``; the controls iterate that map. checkov cannot follow the merge when the module is
called from a root, so those checks are skipped inline on the buckets; this test is what proves the
controls are there, and fails if one goes missing or is weakened.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import REPO_ROOT

from mlgen.conformance.hcl_parser import Block, parse_file

STORAGE = REPO_ROOT / "modules" / "aws" / "storage"
ACCESS_LOG_BUCKET = REPO_ROOT / "modules" / "aws" / "access_log_bucket"


def blocks(module: Path = STORAGE) -> list[Block]:
    found: list[Block] = []
    for path in sorted(module.glob("*.tf")):
        found += parse_file(path).blocks
    return found


def resource(type_: str, name: str, module: Path = STORAGE) -> Block:
    matches = [b for b in blocks(module) if b.type == "resource" and b.labels == (type_, name)]
    assert matches, f"{type_}.{name} is missing from the {module.name} module"
    return matches[0]


def attribute(block: Block, name: str) -> str:
    values = [a.expression for a in block.attributes if a.name == name]
    assert values, f"{block.labels} has no {name}"
    return values[0]


def nested(block: Block, type_: str) -> list[Block]:
    return [b for b in block.blocks if b.type == type_]


def all_nested(block: Block) -> list[Block]:
    return [descendant for child in block.blocks for descendant in (child, *all_nested(child))]


def test_both_zone_bucket_variants_feed_the_merged_map() -> None:
    locals_blocks = [b for b in blocks() if b.type == "locals"]
    merged = [
        attribute(b, "buckets") for b in locals_blocks if any(a.name == "buckets" for a in b.attributes)
    ]
    assert merged == ["merge(aws_s3_bucket.this, aws_s3_bucket.protected)"]
    assert nested(nested(resource("aws_s3_bucket", "protected"), "lifecycle")[0], "lifecycle") == []
    assert "prevent_destroy" in [
        a.name for a in nested(resource("aws_s3_bucket", "protected"), "lifecycle")[0].attributes
    ]


@pytest.mark.parametrize(
    ("module", "name", "bucket_map"), [(STORAGE, "zone", "local.buckets"), (ACCESS_LOG_BUCKET, "this", None)]
)
def test_each_control_targets_every_bucket(module: Path, name: str, bucket_map: str | None) -> None:
    for type_ in (
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_versioning",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
    ):
        control = resource(type_, name, module)
        if bucket_map:
            assert attribute(control, "for_each") == bucket_map, (
                f"{type_}.{name} must cover every zone bucket"
            )
            assert attribute(control, "bucket") == "each.value.id"
        else:
            assert attribute(control, "bucket") == "local.bucket.id"


def test_controls_are_the_secure_settings() -> None:
    pab = resource("aws_s3_bucket_public_access_block", "zone")
    for setting in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert attribute(pab, setting) == "true"
    versioning = nested(resource("aws_s3_bucket_versioning", "zone"), "versioning_configuration")[0]
    assert attribute(versioning, "status") == '"Enabled"'
    sse = all_nested(resource("aws_s3_bucket_server_side_encryption_configuration", "zone"))
    defaults = next(b for b in sse if b.type == "apply_server_side_encryption_by_default")
    assert attribute(defaults, "sse_algorithm") == '"aws:kms"'
    assert attribute(defaults, "kms_master_key_id") == "var.kms_key_arn"
    lifecycle = all_nested(resource("aws_s3_bucket_lifecycle_configuration", "zone"))
    assert any(b.type == "noncurrent_version_expiration" for b in lifecycle)
    assert any(b.type == "abort_incomplete_multipart_upload" for b in lifecycle)
    logging = resource("aws_s3_bucket_logging", "zone")
    assert attribute(logging, "for_each") == "local.buckets"
    # The submodule's id output waits for the delivery policy, so logging is enabled after it (S3 checks).
    assert attribute(logging, "target_bucket") == "module.access_logs.id"


def test_access_log_bucket_id_waits_for_the_delivery_policy() -> None:
    outputs = [b for b in blocks(ACCESS_LOG_BUCKET) if b.type == "output" and b.labels == ("id",)]
    assert outputs and "aws_s3_bucket_policy.this" in attribute(outputs[0], "depends_on")


def test_only_unprotected_buckets_force_destroy() -> None:
    for module in (STORAGE, ACCESS_LOG_BUCKET):
        assert attribute(resource("aws_s3_bucket", "protected", module), "force_destroy") == "false"
        assert attribute(resource("aws_s3_bucket", "this", module), "force_destroy") == "true"


def test_module_directory_exists() -> None:
    assert Path(STORAGE / "main.tf").is_file()
