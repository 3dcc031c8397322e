"""Vertex AI custom jobs: the CustomJob built from the landing zone's job defaults plus the user's overrides.

:func:`build_custom_job` is pure (no call) so every field can be checked without a cloud; the adapter sends it
with the JobServiceClient. What the training image (training_images/training) needs from the job:

- ``baseOutputDirectory``: Vertex sets ``AIP_MODEL_DIR=<base>/model/``, ``AIP_CHECKPOINT_DIR=<base>/checkpoints/``
  and ``AIP_TENSORBOARD_LOG_DIR`` from it, which the image reads through the ``/gcs`` FUSE mount. The base is
  ``<base_output_uri>/<job name>/``: one per job, and the same for every restart of that job, so a preempted
  spot replica restarted by Vertex resumes from the checkpoints it wrote.
- ``containerSpec.args``: ``train --key value …`` (``args`` replaces the image's CMD; unknown ``--key value``
  pairs are hyperparameters, as in SageMaker script mode).
- more than one machine: worker pool 0 holds the primary, worker pool 1 the other replicas with the same
  image and arguments (the image reads ``CLUSTER_SPEC`` for the rendezvous).
"""

from __future__ import annotations

import re
from typing import Any

from mlgen.clouds.gcp.ops.job_defaults import JobDefaults
from mlgen.ops.base import TrainingOverrides
from mlgen.ops.errors import OpsError

# Vertex AI label values: at most 63 characters, lower-case letters, digits, _ and -.
LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
MAX_ARGS_CHARS = 100_000  # keep the request far below Vertex's request-size limit


def with_image_tag(image_uri: str, tag: str | None) -> str:
    if not tag:
        return image_uri
    repository, _, name = image_uri.rpartition("/")
    return f"{repository}/{name.split(':', 1)[0]}:{tag}"


def job_labels(labels: dict[str, str], job_name: str, code_version: str) -> dict[str, str]:
    """The environment's labels plus the job's own (its name and the code version, for tracing)."""
    extra = {"mlgen-job": job_name.lower()[:63], "code-version": code_version.lower()[:63]}
    merged = {**labels, **{key: value for key, value in extra.items() if LABEL_VALUE.match(value)}}
    return dict(sorted(merged.items()))


def training_args(hyperparameters: dict[str, str]) -> list[str]:
    args = ["train"]
    for key, value in sorted(hyperparameters.items()):
        if not key or key.startswith("-") or any(ch.isspace() for ch in key):
            raise OpsError(f"hyperparameter name {key!r} is not usable as --{key} (no spaces, no leading -)")
        args += [f"--{key}", value]
    if sum(len(arg) for arg in args) > MAX_ARGS_CHARS:
        raise OpsError(f"the hyperparameters are longer than {MAX_ARGS_CHARS} characters in all")
    return args


def build_custom_job(
    defaults: JobDefaults,
    overrides: TrainingOverrides,
    job_name: str,
    code_version: str,
    experiment: str,
    labels: dict[str, str],
) -> Any:
    """The ``google.cloud.aiplatform_v1.CustomJob`` to create: landing-zone defaults, then overrides."""
    from google.cloud.aiplatform_v1 import types
    from google.protobuf import duration_pb2

    accelerator = defaults.accelerator_type
    if accelerator and accelerator not in types.AcceleratorType.__members__:
        raise OpsError(
            f"the job defaults name accelerator {accelerator!r}, which this Vertex AI client does not know "
            f"(known: {', '.join(sorted(types.AcceleratorType.__members__)[:6])}, …)"
        )
    spot = defaults.spot if overrides.spot is None else overrides.spot
    runtime = (
        int(overrides.max_runtime_hours * 3600)
        if overrides.max_runtime_hours is not None
        else defaults.max_runtime_seconds
    )
    machine_type = overrides.instance_type or defaults.machine_type
    replicas = overrides.instance_count or defaults.replica_count
    environment = {
        "MLGEN_CODE_VERSION": code_version,
        "MLFLOW_EXPERIMENT_NAME": experiment,
        # Vertex does not tell the container its machine type; the image records it with the run.
        "MLGEN_INSTANCE_TYPE": machine_type,
    }
    if defaults.mlflow_tracking_uri:
        environment["MLFLOW_TRACKING_URI"] = defaults.mlflow_tracking_uri
        # The server is a Cloud Run service behind IAM: the image sends the job's ID token and renews it
        # (an ID token lasts an hour; MLflow alone would keep sending the first one).
        environment["MLGEN_MLFLOW_AUTH"] = "gcp-id-token"
    if overrides.dataset_version:
        environment["MLGEN_DATASET_VERSION"] = overrides.dataset_version

    def pool(count: int) -> Any:
        machine = types.MachineSpec(machine_type=machine_type)
        if accelerator and defaults.accelerator_count:
            machine.accelerator_type = types.AcceleratorType[accelerator]
            machine.accelerator_count = defaults.accelerator_count
        return types.WorkerPoolSpec(
            machine_spec=machine,
            replica_count=count,
            disk_spec=types.DiskSpec(
                boot_disk_type=defaults.boot_disk_type, boot_disk_size_gb=defaults.boot_disk_size_gb
            ),
            container_spec=types.ContainerSpec(
                image_uri=with_image_tag(defaults.image_uri, overrides.image_tag),
                args=training_args(overrides.hyperparameters),
                env=[types.EnvVar(name=name, value=value) for name, value in sorted(environment.items())],
            ),
        )

    pools = [pool(1)] + ([pool(replicas - 1)] if replicas > 1 else [])
    strategy = types.Scheduling.Strategy.SPOT if spot else types.Scheduling.Strategy.STANDARD
    return types.CustomJob(
        display_name=job_name,
        labels=job_labels(labels, job_name, code_version),
        encryption_spec=types.EncryptionSpec(kms_key_name=defaults.kms_key_name),
        job_spec=types.CustomJobSpec(
            worker_pool_specs=pools,
            scheduling=types.Scheduling(
                timeout=duration_pb2.Duration(seconds=runtime),
                restart_job_on_worker_restart=defaults.restart_job_on_worker_restart,
                strategy=strategy,
            ),
            service_account=defaults.service_account,
            network=defaults.network,
            base_output_directory=types.GcsDestination(
                output_uri_prefix=f"{defaults.base_output_uri.rstrip('/')}/{job_name}/"
            ),
        ),
    )


def custom_job_json(job: Any) -> dict[str, Any]:
    """The job as the REST API's JSON (camelCase field names, enums by name): what --dry-run prints."""
    from google.cloud.aiplatform_v1 import types
    from google.protobuf import json_format

    return json_format.MessageToDict(types.CustomJob.pb(job))


# Vertex job states → mlgen's cloud-neutral statuses (mlgen.ops.base.JobStatus).
STATUSES = {
    "JOB_STATE_QUEUED": "InProgress",
    "JOB_STATE_PENDING": "InProgress",
    "JOB_STATE_RUNNING": "InProgress",
    "JOB_STATE_UPDATING": "InProgress",
    "JOB_STATE_PAUSED": "InProgress",
    "JOB_STATE_SUCCEEDED": "Completed",
    "JOB_STATE_PARTIALLY_SUCCEEDED": "Completed",
    "JOB_STATE_FAILED": "Failed",
    "JOB_STATE_EXPIRED": "Failed",
    "JOB_STATE_CANCELLING": "Stopping",
    "JOB_STATE_CANCELLED": "Stopped",
}
RUNNING_STATES = frozenset(state for state, status in STATUSES.items() if status == "InProgress")


def neutral_status(state_name: str) -> tuple[str, str]:
    """(status, secondary status): e.g. JOB_STATE_RUNNING → (InProgress, Running)."""
    words = state_name.removeprefix("JOB_STATE_").replace("_", " ").title().replace(" ", "")
    return STATUSES.get(state_name, "InProgress"), words
