"""The Azure ML command-job body built from the job defaults: the training image's command contract,
the PyTorch distribution, the identity, the outputs per job, the timeout, tags; and the overrides a job
on a fixed cluster cannot honour, refused with what to change instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ops.azure import zone

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.ops.job_defaults import JobDefaults, parse_job_defaults
from mlgen.clouds.azure.ops.paths import Paths
from mlgen.clouds.azure.ops.training import build_job_body, image_version, neutral_status
from mlgen.ops.base import TrainingOverrides
from mlgen.ops.errors import OpsError

JOB = "churn-az-dev-20261203-101010-abc1234"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[JobDefaults, Paths, dict]:
    env = zone.environment(zone.write_spec(tmp_path / "p"))
    paths = Paths(env)
    return parse_job_defaults(zone.job_defaults(env, paths), "x"), paths, naming.tags(env)


def body(setup, overrides: TrainingOverrides | None = None) -> dict:
    defaults, _, tags = setup
    return build_job_body(defaults, overrides or TrainingOverrides(), JOB, "abc1234", "churn-az-dev", tags)[
        "properties"
    ]


def test_defaults_become_a_command_job(setup) -> None:
    defaults, paths, tags = setup
    properties = body(setup)
    assert properties["jobType"] == "Command"
    assert properties["computeId"] == paths.compute
    assert properties["environmentId"] == paths.environment_version("churn-az-dev-training", "git-0000001")
    assert properties["command"] == (
        "train --data train=${{inputs.train}} --model-dir ${{outputs.model}} "
        "--checkpoint-dir ${{outputs.checkpoints}} --output-dir ${{outputs.output}}"
    )
    assert properties["distribution"] == {"distributionType": "PyTorch", "processCountPerInstance": 1}
    assert properties["identity"] == {
        "identityType": "Managed",
        "clientId": defaults.identity_client_id,
        "resourceId": defaults.identity_resource_id,
    }
    assert properties["resources"] == {"instanceCount": 1, "shmSize": "16g"}
    assert properties["limits"] == {"jobLimitsType": "Command", "timeout": "PT86400S"}
    assert properties["inputs"]["train"] == {
        "jobInputType": "uri_folder",
        "mode": "ReadOnlyMount",
        "uri": "azureml://datastores/lake_raw/paths/train/",
    }
    # Every output is a folder per job name in the lake_artifacts datastore (Azure ML takes only datastore
    # paths as outputs); one stable checkpoint folder per job name: a resubmitted job resumes from it.
    assert properties["outputs"] == {
        name: {
            "jobOutputType": "uri_folder",
            "mode": "ReadWriteMount",
            "uri": f"azureml://datastores/lake_artifacts/paths/{folder}/{JOB}/",
        }
        for name, folder in (("model", "models"), ("checkpoints", "checkpoints"), ("output", "jobs"))
    }
    assert properties["environmentVariables"] == {
        "MLFLOW_EXPERIMENT_NAME": "churn-az-dev",
        "MLGEN_CODE_VERSION": "abc1234",
        "MLGEN_INSTANCE_TYPE": "Standard_NC4as_T4_v3",
    }
    assert properties["tags"] == {**tags, "code-version": "abc1234", "mlgen-job": JOB}
    assert properties["tags"]["project"] == "churn-az" and properties["tags"]["environment"] == "dev"


def test_overrides_hyperparameters_are_shell_quoted(setup) -> None:
    overrides = TrainingOverrides(
        instance_count=2,
        max_runtime_hours=1.5,
        hyperparameters={"lr": "0.1", "note": "a b; rm -rf /"},
        image_tag="git-feed123",
        dataset_version="v7",
    )
    properties = body(setup, overrides)
    assert properties["command"].endswith("--lr 0.1 --note 'a b; rm -rf /'")
    assert properties["resources"]["instanceCount"] == 2
    assert properties["limits"]["timeout"] == "PT5400S"
    assert properties["environmentId"].endswith("/environments/churn-az-dev-training/versions/git-feed123")
    assert properties["environmentVariables"]["MLGEN_DATASET_VERSION"] == "v7"


def test_no_training_data_means_no_input(setup) -> None:
    defaults, _paths, tags = setup
    defaults = JobDefaults(**{**defaults.__dict__, "training_data_uri": None, "shm_size": None})
    properties = build_job_body(defaults, TrainingOverrides(), JOB, "abc1234", "churn-az-dev", tags)[
        "properties"
    ]
    assert "inputs" not in properties and "--data" not in properties["command"]
    assert properties["resources"] == {"instanceCount": 1}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (TrainingOverrides(instance_type="Standard_ND96asr_v4"), "cannot pick another size"),
        (TrainingOverrides(spot=False), "has Spot priority; a job cannot change it"),
        (TrainingOverrides(instance_count=3), "above the cluster's 2 nodes"),
        (TrainingOverrides(hyperparameters={"bad key": "1"}), "hyperparameter name 'bad key'"),
    ],
)
def test_what_a_job_cannot_change_is_refused(setup, overrides: TrainingOverrides, message: str) -> None:
    with pytest.raises(OpsError, match=message):
        body(setup, overrides)


def test_the_same_size_and_priority_are_accepted(setup) -> None:
    assert (
        body(setup, TrainingOverrides(instance_type="Standard_NC4as_T4_v3", spot=True))["resources"][
            "instanceCount"
        ]
        == 1
    )


def test_status_words_and_versions() -> None:
    assert [
        neutral_status(s) for s in ("Queued", "Running", "CancelRequested", "Canceled", "Failed", "Completed")
    ] == [
        "InProgress",
        "InProgress",
        "Stopping",
        "Stopped",
        "Failed",
        "Completed",
    ]
    assert image_version("acr.azurecr.io/training:git-abc") == "git-abc"
    assert image_version("acr.azurecr.io/training:v1+build") == "v1-build"
