"""The job-defaults document the Azure landing zone writes: every key required, the schema version
checked, types and URIs checked, and each problem named in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.ops.azure import zone

from mlgen.clouds.azure.ops.job_defaults import KEYS, SCHEMA_VERSION, parse_job_defaults
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.ops.errors import OpsError


@pytest.fixture
def document(tmp_path: Path) -> dict:
    env = zone.environment(zone.write_spec(tmp_path / "p"))
    return zone.job_defaults(env, Paths(env))


def test_a_complete_document_parses_from_bytes(document: dict) -> None:
    parsed = parse_job_defaults(json.dumps(document).encode(), "here")
    assert parsed.schema_version == SCHEMA_VERSION == 1
    assert parsed.distribution_type == "PyTorch" and parsed.process_count_per_instance == 1
    assert {key: getattr(parsed, key) for key in KEYS} == document


def test_optional_keys_may_be_null_but_not_missing(document: dict) -> None:
    document["training_data_uri"] = None
    document["shm_size"] = None
    assert parse_job_defaults(document, "here").training_data_uri is None
    del document["shm_size"]
    with pytest.raises(OpsError, match="lack shm_size"):
        parse_job_defaults(document, "here")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schema_version": 0}, "schema_version 0; this mlgen reads version 1"),
        ({"schema_version": None}, "schema_version None"),
        ({"instance_count": True}, "instance_count is True, not int"),
        ({"instance_count": "2"}, "instance_count is '2', not int"),
        ({"spot": "yes"}, "spot is 'yes', not bool"),
        ({"image_uri": ""}, "image_uri is empty"),
        ({"distribution_type": "Mpi"}, "runs under 'PyTorch' only"),
        ({"model_output_uri": "/local/path"}, "model_output_uri '/local/path' is not a storage URI"),
        ({"process_count_per_instance": 0}, "process_count_per_instance must be at least 1"),
        ({"max_runtime_seconds": 0}, "max_runtime_seconds must be at least 1"),
    ],
)
def test_a_bad_value_is_named(document: dict, change: dict, message: str) -> None:
    document.update(change)
    with pytest.raises(OpsError, match="the job defaults at acct/blob") as caught:
        parse_job_defaults(document, "acct/blob")
    assert message in caught.value.message


@pytest.mark.parametrize("key", ["model_output_uri", "checkpoint_uri", "output_uri"])
def test_an_output_that_is_not_a_datastore_path_is_refused_with_what_to_do(document: dict, key: str) -> None:
    """What a landing zone from before the datastores wrote: Azure ML would refuse the job, so mlgen does
    first, and says to apply the landing zone again (the schema version and keys did not change)."""
    document[key] = "abfss://artifacts@stchurnazdev123456.dfs.core.windows.net/models/"
    with pytest.raises(OpsError) as caught:
        parse_job_defaults(document, "acct/blob")
    message = caught.value.message
    assert f"{key} 'abfss://artifacts@" in message and "is not a datastore path" in message
    assert "azureml://datastores/<datastore>/paths/<path>/" in message and "apply the landing zone" in message


def test_the_input_may_be_any_storage_uri_a_job_reads(document: dict) -> None:
    document["training_data_uri"] = "abfss://raw@stchurnazdev123456.dfs.core.windows.net/train/"
    assert parse_job_defaults(document, "here").training_data_uri.startswith("abfss://")


def test_not_json_and_not_an_object(document: dict) -> None:
    with pytest.raises(OpsError, match="not JSON"):
        parse_job_defaults(b"{", "x")
    with pytest.raises(OpsError, match="not a JSON object"):
        parse_job_defaults("[1]", "x")


def test_missing_keys_are_all_listed() -> None:
    with pytest.raises(OpsError) as caught:
        parse_job_defaults({"schema_version": 1, "subscription_id": "s"}, "x")
    assert "lack resource_group, location, workspace_name" in caught.value.message
