"""check_tree on fixture Terraform: a conforming tree is clean; each mistake is reported exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlgen.conformance import check_tree, scan_tree

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = FIXTURES / "invalid"


def findings(name: str) -> list[tuple[int, str, str, str, str | None]]:
    path = INVALID / name
    result = check_tree(path)
    assert all(f.path == name for f in result)
    return [(f.line, f.address, f.attribute, f.message, f.suggestion) for f in result]


def test_conforming_tree_has_no_findings_and_notes_skipped_providers() -> None:
    report = scan_tree(FIXTURES / "valid")
    assert report.findings == []
    assert report.files_checked == 3
    assert report.blocks_checked >= 12
    assert report.notes == ["not checked (no bundled schema for these providers): random (1)"]


def test_misspelled_attribute_with_suggestion() -> None:
    assert findings("misspelled_attribute.tf") == [
        (
            2,
            "aws_s3_bucket.logs",
            "bucket_prefx",
            "unknown argument `bucket_prefx`",
            "did you mean `bucket_prefix`?",
        ),
    ]


def test_misspelled_nested_blocks_with_suggestions() -> None:
    assert findings("misspelled_block.tf") == [
        (
            7,
            "aws_s3_bucket_lifecycle_configuration.this",
            "rule.filtr",
            "unknown block `filtr`",
            "did you mean `filter`?",
        ),
        (
            8,
            "aws_s3_bucket_lifecycle_configuration.this",
            "rule.noncurrent_version_expiraton",
            "unknown block `noncurrent_version_expiraton`",
            "did you mean `noncurrent_version_expiration`?",
        ),
    ]


def test_block_written_as_attribute() -> None:
    assert findings("block_as_attribute.tf") == [
        (
            3,
            "aws_s3_bucket_versioning.this",
            "versioning_configuration",
            (
                "`versioning_configuration` is a nested block, not an argument: write "
                "`versioning_configuration { ... }` instead of `versioning_configuration = ...`"
            ),
            None,
        ),
    ]


def test_attribute_written_as_block() -> None:
    assert findings("attribute_as_block.tf") == [
        (
            4,
            "aws_kms_key.data",
            "tags",
            "`tags` is an argument, not a nested block: write `tags = ...` instead of `tags { ... }`",
            None,
        ),
    ]


def test_missing_required_arguments_and_blocks_at_every_level() -> None:
    assert findings("missing_required.tf") == [
        (
            1,
            "aws_s3_bucket_lifecycle_configuration.this",
            "bucket",
            "missing required argument `bucket`",
            None,
        ),
        (
            2,
            "aws_s3_bucket_lifecycle_configuration.this",
            "rule.status",
            "missing required argument `status`",
            None,
        ),
        (
            5,
            "aws_s3_bucket_lifecycle_configuration.this",
            "rule.transition.storage_class",
            "missing required argument `storage_class`",
            None,
        ),
        (
            11,
            "aws_s3_bucket_versioning.this",
            "versioning_configuration",
            "missing required block `versioning_configuration`",
            None,
        ),
    ]


def test_unknown_resource_type() -> None:
    assert findings("unknown_resource_type.tf") == [
        (
            1,
            "aws_s3_buckett.data",
            "",
            "unknown resource type `aws_s3_buckett` in hashicorp/aws 6.69.1",
            "did you mean `aws_s3_bucket`?",
        ),
    ]


def test_unknown_data_source() -> None:
    assert findings("unknown_data_source.tf") == [
        (
            1,
            "data.aws_iam_policy_doc.assume",
            "",
            "unknown data source `aws_iam_policy_doc` in hashicorp/aws 6.69.1",
            "did you mean `aws_iam_policy_document`?",
        ),
    ]


def test_module_calls_against_declared_variables() -> None:
    assert findings("module_calls.tf") == [
        (
            4,
            "module.unknown_argument",
            "versionign",
            "unknown argument `versionign`: module ./modules/bucket declares no such variable",
            "did you mean `versioning`?",
        ),
        (
            7,
            "module.missing_variable",
            "name",
            "missing required argument `name` (variable has no default in ./modules/bucket)",
            None,
        ),
    ]


def test_registry_module_sources_are_noted_not_checked() -> None:
    notes = scan_tree(INVALID / "module_calls.tf").notes
    assert any("module.registry" in note and "not a local path" in note for note in notes)


def test_meta_arguments_lifecycle_and_single_block_cardinality() -> None:
    assert findings("meta_and_cardinality.tf") == [
        (
            4,
            "aws_s3_bucket_versioning.this",
            "for_each",
            "`count` and `for_each` cannot be used together",
            None,
        ),
        (
            8,
            "aws_s3_bucket_versioning.this",
            "versioning_configuration",
            "at most one `versioning_configuration` block is allowed, found 2",
            None,
        ),
        (
            13,
            "aws_s3_bucket_versioning.this",
            "lifecycle.create_before_destroi",
            "unknown argument `create_before_destroi`",
            "did you mean `create_before_destroy`?",
        ),
        (
            18,
            "data.aws_caller_identity.current",
            "provisioner",
            "`provisioner` blocks are only allowed in resources",
            None,
        ),
    ]


def test_dynamic_blocks_are_checked_like_the_blocks_they_make() -> None:
    assert findings("dynamic_blocks.tf") == [
        (
            4,
            "aws_s3_bucket_lifecycle_configuration.this",
            "rules",
            "unknown block `rules` in dynamic block",
            "did you mean `rule`?",
        ),
        (
            11,
            "aws_s3_bucket_lifecycle_configuration.this",
            "rule.status",
            "missing required argument `status`",
            None,
        ),
        (
            16,
            "aws_s3_bucket_lifecycle_configuration.this",
            "bucket",
            "`bucket` is an argument, not a nested block: a dynamic block cannot set it",
            None,
        ),
    ]


def test_google_beta_only_types_need_the_beta_provider() -> None:
    assert findings("google_beta.tf") == [
        (
            1,
            "google_api_gateway_api.api",
            "",
            "unknown resource type `google_api_gateway_api` in hashicorp/google 6.50.0",
            "it exists in google-beta only: add `provider = google-beta`",
        ),
    ]


def test_syntax_errors_are_findings_not_tracebacks() -> None:
    assert findings("syntax_error.tf") == [(2, "", "", "cannot parse: unterminated string", None)]


def test_duplicate_addresses_in_one_module(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text('resource "aws_kms_key" "k" {}\n')
    (tmp_path / "b.tf").write_text('\n\nresource "aws_kms_key" "k" {}\n')
    assert [(f.path, f.line, f.address, f.message) for f in check_tree(tmp_path)] == [
        ("b.tf", 3, "aws_kms_key.k", "duplicate block: `aws_kms_key.k` is also declared in a.tf"),
    ]


def test_a_fixed_file_becomes_clean(tmp_path: Path) -> None:
    """The same content with the misspelling corrected passes: the finding came from the mistake."""
    text = (INVALID / "misspelled_attribute.tf").read_text().replace("bucket_prefx ", "bucket_prefix")
    (tmp_path / "main.tf").write_text(text)
    assert check_tree(tmp_path) == []


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        check_tree(tmp_path / "nope")


def test_references_must_name_declared_things_and_known_attributes() -> None:
    assert findings("references.tf") == [
        (
            12,
            "aws_s3_bucket.data",
            "bucket",
            "reference to undeclared input variable `var.regoin`",
            "did you mean `region`?",
        ),
        (
            12,
            "aws_s3_bucket.data",
            "bucket",
            "reference to undeclared local value `local.prefx`",
            "did you mean `prefix`?",
        ),
        (
            21,
            "aws_s3_bucket_policy.data",
            "policy",
            "`aws_s3_bucket` has no attribute `arnn`",
            "did you mean `arn`?",
        ),
        (
            22,
            "aws_s3_bucket_policy.data",
            "policy",
            "reference to undeclared resource `aws_s3_bucket.dta`",
            "did you mean `data`?",
        ),
        (
            28,
            "module.bucket",
            "name",
            "reference to undeclared data source `data.aws_caller_identity.me`",
            None,
        ),
        (
            34,
            "output.name",
            "value",
            "module `bucket` (./modules/bucket) has no output `nme`",
            "did you mean `name`?",
        ),
        (
            38,
            "output.other",
            "value",
            "reference to undeclared module `module.buckets`",
            "did you mean `bucket`?",
        ),
        (
            42,
            "output.account",
            "value",
            "`data.aws_caller_identity` has no attribute `acount_id`",
            "did you mean `account_id`?",
        ),
        (
            54,
            "output.instance_keys",
            "value",
            "`aws_kms_key.single` has neither `count` nor `for_each`: it has no instance keys, drop `[0]`",
            None,
        ),
        (
            55,
            "output.instance_keys",
            "value",
            (
                "`aws_s3_bucket.data` has `count` or `for_each`: index it (`aws_s3_bucket.data[0]`, "
                "`aws_s3_bucket.data[each.key]`) or splat it (`aws_s3_bucket.data[*]`) before reading `arn`"
            ),
            None,
        ),
    ]


def test_declarations_in_sibling_files_count_when_one_file_is_checked(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text('variable "name" {\n  type = string\n}\n')
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = var.name\n}\n')
    assert check_tree(tmp_path / "main.tf") == []
    (tmp_path / "variables.tf").unlink()
    assert [f.message for f in check_tree(tmp_path / "main.tf")] == [
        "reference to undeclared input variable `var.name`"
    ]
