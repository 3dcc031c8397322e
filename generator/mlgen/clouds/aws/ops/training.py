"""SageMaker training jobs: the CreateTrainingJob request built from the landing zone's job defaults.

The defaults are the SSM parameter the gpu_compute module writes (``/<project>/<env>/training/job-defaults``,
JSON whose keys mirror CreateTrainingJob). :func:`build_training_request` is pure so that every field can be
checked without a cloud; the adapter sends it.
"""

from __future__ import annotations

from typing import Any

from mlgen.ops.base import TrainingOverrides
from mlgen.ops.errors import OpsError

JOB_DEFAULTS_SCHEMA = 1
TRAINING_LOG_GROUP = "/aws/sagemaker/TrainingJobs"
# SageMaker's own limits on hyperparameters (CreateTrainingJob API reference).
MAX_HYPERPARAMETERS, MAX_HP_KEY, MAX_HP_VALUE = 100, 256, 2500
SPOT_WAIT_FACTOR = 2  # same rule as the generator: room for capacity to come back after an interruption


def job_defaults_parameter(project: str, environment: str) -> str:
    return f"/{project}/{environment}/training/job-defaults"


def with_image_tag(image_uri: str, tag: str | None) -> str:
    if not tag:
        return image_uri
    repository, _, name = image_uri.rpartition("/")
    return f"{repository}/{name.split(':', 1)[0]}:{tag}"


def _check_hyperparameters(hyperparameters: dict[str, str]) -> None:
    if len(hyperparameters) > MAX_HYPERPARAMETERS:
        raise OpsError(f"SageMaker accepts at most {MAX_HYPERPARAMETERS} hyperparameters")
    for key, value in hyperparameters.items():
        if len(key) > MAX_HP_KEY or len(value) > MAX_HP_VALUE:
            raise OpsError(
                f"hyperparameter {key!r} is too long (keys ≤ {MAX_HP_KEY}, values ≤ {MAX_HP_VALUE})"
            )


def build_training_request(
    defaults: dict[str, Any],
    overrides: TrainingOverrides,
    job_name: str,
    code_version: str,
    experiment: str,
) -> dict[str, Any]:
    """The CreateTrainingJob request: landing-zone defaults, then the user's overrides."""
    if defaults.get("schema_version") != JOB_DEFAULTS_SCHEMA:
        raise OpsError(
            f"the job-defaults parameter has schema_version {defaults.get('schema_version')!r}; this mlgen "
            f"reads version {JOB_DEFAULTS_SCHEMA}: regenerate and apply the landing zone, or upgrade mlgen"
        )
    _check_hyperparameters(overrides.hyperparameters)
    spot = defaults["enable_managed_spot"] if overrides.spot is None else overrides.spot
    runtime = (
        int(overrides.max_runtime_hours * 3600)
        if overrides.max_runtime_hours is not None
        else int(defaults["max_runtime_seconds"])
    )
    stopping: dict[str, int] = {"MaxRuntimeInSeconds": runtime}
    if spot:
        wait = int(defaults.get("max_wait_seconds") or runtime * SPOT_WAIT_FACTOR)
        if overrides.max_runtime_hours is not None:
            wait = max(wait, runtime * SPOT_WAIT_FACTOR)  # a longer --max-runtime stretches the wait too
        stopping["MaxWaitTimeInSeconds"] = max(wait, runtime)  # SageMaker rejects a wait below the run time
    environment = {"MLGEN_CODE_VERSION": code_version, "MLFLOW_EXPERIMENT_NAME": experiment}
    if defaults.get("mlflow_tracking_arn"):
        # The sagemaker-mlflow plugin takes the tracking server's ARN as the tracking URI.
        environment["MLFLOW_TRACKING_URI"] = defaults["mlflow_tracking_arn"]
    if overrides.dataset_version:
        environment["MLGEN_DATASET_VERSION"] = overrides.dataset_version
    tags = {**defaults.get("tags", {}), "mlgen-job": job_name, "code-version": code_version}
    request: dict[str, Any] = {
        "TrainingJobName": job_name,
        "RoleArn": defaults["role_arn"],
        "AlgorithmSpecification": {
            "TrainingImage": with_image_tag(defaults["image_uri"], overrides.image_tag),
            "TrainingInputMode": "File",
        },
        "OutputDataConfig": {
            "S3OutputPath": defaults["output_s3_uri"],
            "KmsKeyId": defaults["output_kms_key_id"],
        },
        "ResourceConfig": {
            "InstanceType": overrides.instance_type or defaults["instance_type"],
            "InstanceCount": overrides.instance_count or int(defaults["instance_count"]),
            "VolumeSizeInGB": int(defaults["volume_size_gb"]),
            "VolumeKmsKeyId": defaults["volume_kms_key_id"],
        },
        "VpcConfig": {
            "SecurityGroupIds": list(defaults["security_group_ids"]),
            "Subnets": list(defaults["subnet_ids"]),
        },
        "StoppingCondition": stopping,
        "EnableManagedSpotTraining": bool(spot),
        # One prefix per job: an interrupted spot job restarts under the same name and resumes from it.
        "CheckpointConfig": {
            "S3Uri": f"{defaults['checkpoint_s3_uri'].rstrip('/')}/{job_name}/",
            "LocalPath": defaults["checkpoint_local_path"],
        },
        "EnableInterContainerTrafficEncryption": bool(defaults.get("inter_container_encryption", True)),
        "Environment": environment,
        "Tags": [{"Key": key, "Value": value} for key, value in sorted(tags.items())],
    }
    if overrides.hyperparameters:
        request["HyperParameters"] = dict(sorted(overrides.hyperparameters.items()))
    return request
