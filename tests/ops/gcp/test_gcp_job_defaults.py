"""The job-defaults contract with the GCP landing zone, and the pure CustomJob builder (no server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.cloud.aiplatform_v1 import types

from mlgen.clouds.gcp.ops.job_defaults import KEYS, SCHEMA_VERSION, JobDefaults, example, parse_job_defaults
from mlgen.clouds.gcp.ops.training import build_custom_job, custom_job_json, neutral_status
from mlgen.ops.base import TrainingOverrides
from mlgen.ops.errors import OpsError

WHERE = "gs://b/mlgen/job-defaults.json"


def parse(**changes: object) -> JobDefaults:
    return parse_job_defaults(json.dumps(example(**changes)), WHERE)


def test_the_example_is_complete_and_parses() -> None:
    assert set(example()) == set(KEYS)
    assert parse().schema_version == SCHEMA_VERSION == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "no job-defaults document at gs://b/mlgen/job-defaults.json"),
        ("{not json", "is not JSON"),
        ("[1]", "is not a JSON object"),
        (json.dumps({**example(), "schema_version": 0}), "schema_version 0; this mlgen reads version 1"),
        (json.dumps({k: v for k, v in example().items() if k != "network"}), "lacks network"),
        (json.dumps(example(replica_count=True)), "replica_count = True, not a int"),
        (json.dumps(example(spot="yes")), "spot = 'yes', not a bool"),
        (json.dumps(example(service_account=" ")), "has empty service_account"),
        (json.dumps(example(project_number="acme")), "project_number 'acme', not digits"),
        (json.dumps(example(base_output_uri="s3://x")), "base_output_uri 's3://x', not a gs:// URI"),
        (json.dumps(example(network="projects/acme-ml-dev/global/networks/n")), "projects/<project number>"),
        (json.dumps(example(replica_count=0)), "replica_count = 0"),
        (json.dumps(example(accelerator_type="")), "accelerator_count 1 but no accelerator_type"),
    ],
)
def test_bad_documents_say_what_is_wrong(raw: str | None, message: str) -> None:
    with pytest.raises(OpsError) as error:
        parse_job_defaults(raw, WHERE)
    assert message in error.value.message


def test_no_gpu_means_no_accelerator_in_the_machine_spec() -> None:
    defaults = parse(accelerator_type="", accelerator_count=0, machine_type="n2-standard-4")
    job = build_custom_job(defaults, TrainingOverrides(), "p-dev-1", "abc", "p-dev", {})
    machine = job.job_spec.worker_pool_specs[0].machine_spec
    assert machine.machine_type == "n2-standard-4"
    assert machine.accelerator_type == types.AcceleratorType.ACCELERATOR_TYPE_UNSPECIFIED
    assert machine.accelerator_count == 0


def test_unknown_accelerator_and_bad_hyperparameter_names_are_refused() -> None:
    with pytest.raises(OpsError, match="does not know"):
        build_custom_job(parse(accelerator_type="NVIDIA_A10G"), TrainingOverrides(), "j", "s", "e", {})
    with pytest.raises(OpsError, match="not usable as"):
        build_custom_job(parse(), TrainingOverrides(hyperparameters={"bad key": "1"}), "j", "s", "e", {})


def test_tracking_uri_is_passed_when_the_landing_zone_has_one() -> None:
    job = build_custom_job(
        parse(mlflow_tracking_uri="https://mlflow-abc.run.app"), TrainingOverrides(), "j", "s", "e", {}
    )
    variables = {v.name: v.value for v in job.job_spec.worker_pool_specs[0].container_spec.env}
    assert variables["MLFLOW_TRACKING_URI"] == "https://mlflow-abc.run.app"
    # The Cloud Run server is behind IAM: the image must send (and renew) the job's ID token.
    assert variables["MLGEN_MLFLOW_AUTH"] == "gcp-id-token"
    untracked = build_custom_job(parse(), TrainingOverrides(), "j", "s", "e", {})
    untracked_names = {v.name for v in untracked.job_spec.worker_pool_specs[0].container_spec.env}
    assert not untracked_names & {"MLFLOW_TRACKING_URI", "MLGEN_MLFLOW_AUTH"}
    printed = custom_job_json(job)
    assert printed["jobSpec"]["workerPoolSpecs"][0]["machineSpec"]["acceleratorType"] == "NVIDIA_L4"


def test_vertex_states_map_to_the_neutral_statuses() -> None:
    assert neutral_status("JOB_STATE_RUNNING") == ("InProgress", "Running")
    assert neutral_status("JOB_STATE_SUCCEEDED") == ("Completed", "Succeeded")
    assert neutral_status("JOB_STATE_CANCELLED") == ("Stopped", "Cancelled")
    assert neutral_status("JOB_STATE_EXPIRED")[0] == "Failed"


def test_missing_credentials_are_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the fake endpoint mlgen asks google-auth for real credentials; none here is an OpsError.
    GOOGLE_APPLICATION_CREDENTIALS naming a missing file fails before any metadata-server lookup."""
    from click.testing import CliRunner
    from tests.ops.gcp.landing_zone import PROJECT, SPEC

    from mlgen.cli import main

    (tmp_path / "mlgen.yaml").write_text(SPEC.format(project=PROJECT, prod_protection="false"))
    monkeypatch.delenv("MLGEN_GCP_ENDPOINT", raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    monkeypatch.setenv("NO_GCE_CHECK", "True")
    result = CliRunner().invoke(main, ["train", "list", "--env", "dev", "--project-dir", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "credentials" in result.output.lower()


TRAINING_VARIABLES = Path(__file__).resolve().parents[3] / "modules/gcp/training/variables.tf"
TERRAFORM_TYPES = {"number": int, "string": str, "bool": bool}


@pytest.mark.skipif(
    not TRAINING_VARIABLES.is_file(), reason="modules/gcp/training (the landing zone) is not in this tree"
)
def test_the_landing_zones_document_type_has_exactly_these_keys_and_types() -> None:
    """The training module types var.job_defaults as an object; it must be JobDefaults, key for key."""
    import re
    from typing import get_type_hints

    text = TRAINING_VARIABLES.read_text(encoding="utf-8")
    block = re.search(r'variable "job_defaults" \{.*?type\s*=\s*object\(\{(.*?)\}\)', text, re.DOTALL)
    assert block, "variable job_defaults with an object type not found"
    declared = dict(re.findall(r"^\s*(\w+)\s*=\s*(\w+)\s*$", block.group(1), re.MULTILINE))
    assert tuple(declared) == KEYS
    hints = get_type_hints(JobDefaults)
    assert {key: TERRAFORM_TYPES[kind] for key, kind in declared.items()} == hints
