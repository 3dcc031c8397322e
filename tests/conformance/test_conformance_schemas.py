"""The committed provider schemas load and know well-known types, arguments and blocks."""

from __future__ import annotations

import gzip
import json

import pytest

from mlgen.conformance.schema import SCHEMA_DIR, known_providers, load_provider, provider_for_type


def test_index_records_provider_versions_and_source_packages() -> None:
    index = json.loads((SCHEMA_DIR / "index.json").read_text())["providers"]
    assert index["aws"]["provider_version"].startswith("6.")
    # aws comes from the community continuation: the last cdktf package (6.25) predates aws_sagemaker_mlflow_app.
    assert index["aws"]["package"] == "cdktn-provider-aws"
    for name, entry in index.items():
        assert (SCHEMA_DIR / entry["file"]).is_file(), name


def test_committed_files_are_reproducible_gzip() -> None:
    """mtime 0 and no embedded file name: a refresh from the same package writes the same bytes."""
    for name in known_providers():
        raw = (SCHEMA_DIR / f"{name}.json.gz").read_bytes()
        assert raw[4:8] == b"\0\0\0\0", f"{name}: gzip header carries an mtime"
        assert raw[3] & 0x08 == 0, f"{name}: gzip header carries a file name"
        text = gzip.decompress(raw).decode()
        assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))


def test_aws_knows_well_known_resources_and_arguments() -> None:
    aws = load_provider("aws")
    assert aws is not None
    bucket = aws.resources["aws_s3_bucket"]
    assert {"bucket", "bucket_prefix", "force_destroy", "tags"} <= set(bucket["attributes"])
    assert "arn" not in bucket["attributes"], "computed-only attributes are not arguments"
    assert aws.resources["aws_iam_role"]["attributes"]["assume_role_policy"] == {
        "required": True,
        "type": "string",
    }
    assert aws.resources["aws_kms_key"]["attributes"]["enable_key_rotation"] == {"type": "bool"}


def test_aws_nested_blocks_carry_nesting_and_required_fields() -> None:
    aws = load_provider("aws")
    assert aws is not None
    lifecycle = aws.resources["aws_s3_bucket_lifecycle_configuration"]
    rule = lifecycle["blocks"]["rule"]
    assert rule["nesting"] == "list"
    assert rule["attributes"]["status"] == {"required": True, "type": "string"}
    assert rule["blocks"]["transition"]["nesting"] == "set"
    assert rule["blocks"]["transition"]["attributes"]["storage_class"] == {"required": True, "type": "string"}
    assert lifecycle["blocks"]["timeouts"]["nesting"] == "single"
    versioning = aws.resources["aws_s3_bucket_versioning"]["blocks"]["versioning_configuration"]
    assert (versioning["nesting"], versioning["min_items"]) == ("single", 1)
    statement = aws.data_sources["aws_iam_policy_document"]["blocks"]["statement"]
    assert statement["blocks"]["principals"]["attributes"]["identifiers"] == {
        "required": True,
        "type": ["list", "string"],
    }


def test_object_typed_attributes_are_attributes_not_blocks() -> None:
    aws = load_provider("aws")
    assert aws is not None
    group = aws.resources["aws_security_group"]
    assert group["attributes"]["ingress"]["object"] == "list"
    assert "ingress" not in group.get("blocks", {})
    assert "tags" in group["attributes"]


def test_aws_provider_configuration_schema() -> None:
    aws = load_provider("aws")
    assert aws is not None
    assert "region" in aws.provider_config["attributes"]
    assert "default_tags" in aws.provider_config["blocks"]


@pytest.mark.parametrize(
    ("provider", "resource", "argument"),
    [
        ("google", "google_storage_bucket", "uniform_bucket_level_access"),
        ("google-beta", "google_storage_bucket", "uniform_bucket_level_access"),
        ("azurerm", "azurerm_storage_account", "account_replication_type"),
    ],
)
def test_other_providers_when_bundled(provider: str, resource: str, argument: str) -> None:
    if provider not in known_providers():
        pytest.skip(f"no {provider} schema bundled")
    schema = load_provider(provider)
    assert schema is not None
    assert argument in schema.resources[resource]["attributes"]


def test_unknown_provider_has_no_schema_and_prefixes_map_to_providers() -> None:
    assert load_provider("random") is None
    assert provider_for_type("aws_s3_bucket") == "aws"
    assert provider_for_type("google_storage_bucket") == "google"
    assert provider_for_type("azurerm_resource_group") == "azurerm"
    assert provider_for_type("random_id") == "random"


def test_aws_schema_knows_the_serverless_mlflow_app() -> None:
    """The AWS tracking option `serverless` emits aws_sagemaker_mlflow_app (hashicorp/aws >= 6.x, not in 6.25)."""
    aws = load_provider("aws")
    assert aws is not None
    app = aws.resources["aws_sagemaker_mlflow_app"]
    required = {name for name, attr in app["attributes"].items() if attr.get("required")}
    assert required == {"name", "artifact_store_uri", "role_arn"}
