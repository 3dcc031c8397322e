"""Azure ML command jobs: the ARM request bodies built from the landing zone's job defaults.

A job needs an environment (the training image) and the job itself. Both are pure functions of the job
defaults, the overrides and the job name, so every field is checked without a cloud; the adapter sends them.
The command is the training image's own (training_images/training/README.md, "Azure ML command job"):
paths come on the command line from the job's inputs and outputs, and with the PyTorch distribution Azure
starts one process per GPU and sets RANK/LOCAL_RANK/WORLD_SIZE/NODE_RANK/MASTER_*.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from mlgen.clouds.azure.ops.job_defaults import JobDefaults
from mlgen.ops.base import TrainingOverrides
from mlgen.ops.errors import OpsError

# Azure ML job statuses → the neutral words of mlgen.ops.base.JobStatus.
FINISHED = {"Completed": "Completed", "Failed": "Failed", "Canceled": "Stopped"}
STOPPING = {"CancelRequested"}
RUNNING_STATUSES = {
    "NotStarted",
    "Starting",
    "Provisioning",
    "Preparing",
    "Queued",
    "Running",
    "Finalizing",
    "CancelRequested",
    "NotResponding",
    "Paused",
}
MAX_COMMAND = 32 * 1024  # keep well under ARM's request size; hyperparameters travel in the command
VERSION_PATTERN = re.compile(r"[^A-Za-z0-9._-]")


def neutral_status(status: str) -> str:
    if status in FINISHED:
        return FINISHED[status]
    return "Stopping" if status in STOPPING else "InProgress"


def training_environment(prefix: str) -> str:
    """The Azure ML environment (asset) that names the training image; one version per image tag."""
    return f"{prefix}-training"


def with_image_tag(image_uri: str, tag: str | None) -> str:
    if not tag:
        return image_uri
    repository, _, name = image_uri.rpartition("/")
    return f"{repository}/{name.split(':', 1)[0]}:{tag}"


def image_version(image_uri: str) -> str:
    """An environment version from the image tag (versions are immutable, as tags are)."""
    tag = image_uri.rpartition("/")[2].partition(":")[2] or "untagged"
    return VERSION_PATTERN.sub("-", tag)[:64]


def workspace_path(defaults: JobDefaults) -> str:
    return (
        f"/subscriptions/{defaults.subscription_id}/resourceGroups/{defaults.resource_group}"
        f"/providers/Microsoft.MachineLearningServices/workspaces/{defaults.workspace_name}"
    )


def environment_body(image_uri: str, tags: dict[str, str]) -> dict[str, Any]:
    return {
        "properties": {
            "image": image_uri,
            "osType": "Linux",
            "description": "mlgen training image",
            "tags": dict(sorted(tags.items())),
        }
    }


def _command(defaults: JobDefaults, hyperparameters: dict[str, str]) -> str:
    parts = ["train"]
    if defaults.training_data_uri:
        parts.append("--data train=${{inputs.train}}")
    parts += [
        "--model-dir ${{outputs.model}}",
        "--checkpoint-dir ${{outputs.checkpoints}}",
        "--output-dir ${{outputs.output}}",
    ]
    for key, value in sorted(hyperparameters.items()):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", key):
            raise OpsError(f"hyperparameter name {key!r}: use letters, digits, '_', '.', '-' only")
        # Azure ML runs the command through a shell: quote the value, never the placeholders.
        parts.append(f"--{key} {shlex.quote(value)}")
    command = " ".join(parts)
    if len(command) > MAX_COMMAND:
        raise OpsError(
            f"the hyperparameters make a command of {len(command)} characters (at most {MAX_COMMAND})"
        )
    return command


def _check_overrides(defaults: JobDefaults, overrides: TrainingOverrides) -> int:
    """The node count; refuse what a job on this cluster cannot change (say what would)."""
    if overrides.instance_type and overrides.instance_type != defaults.vm_size:
        raise OpsError(
            f"the compute cluster {defaults.compute_name} runs {defaults.vm_size}; an Azure ML job cannot pick "
            "another size: change training.gpu / gpus_per_node in mlgen.yaml and apply the landing zone"
        )
    if overrides.spot is not None and overrides.spot != defaults.spot:
        kind = "Spot" if defaults.spot else "Dedicated"
        raise OpsError(
            f"the compute cluster {defaults.compute_name} has {kind} priority; a job cannot change it: set "
            "training.spot in mlgen.yaml and apply the landing zone"
        )
    count = overrides.instance_count or defaults.instance_count
    if count > defaults.max_instance_count:
        raise OpsError(
            f"--instance-count {count} is above the cluster's {defaults.max_instance_count} nodes "
            f"({defaults.compute_name}): raise training.nodes in mlgen.yaml and apply the landing zone"
        )
    return count


def build_job_body(
    defaults: JobDefaults,
    overrides: TrainingOverrides,
    job_name: str,
    code_version: str,
    experiment: str,
    tags: dict[str, str],
) -> dict[str, Any]:
    """The PUT body of workspaces/<ws>/jobs/<name>: a Command job on the zone's cluster."""
    count = _check_overrides(defaults, overrides)
    runtime = (
        int(overrides.max_runtime_hours * 3600)
        if overrides.max_runtime_hours is not None
        else defaults.max_runtime_seconds
    )
    image = with_image_tag(defaults.image_uri, overrides.image_tag)
    workspace = workspace_path(defaults)
    variables = {
        "MLGEN_CODE_VERSION": code_version,
        "MLFLOW_EXPERIMENT_NAME": experiment,
        # Azure does not tell the container its VM size; the image records it with the run.
        "MLGEN_INSTANCE_TYPE": defaults.vm_size,
    }
    if overrides.dataset_version:
        variables["MLGEN_DATASET_VERSION"] = overrides.dataset_version

    # Outputs are datastore paths (azureml://datastores/<datastore>/paths/<path>): "Access data in a job" lists
    # them as the only path Azure ML supports for outputs (abfss:// and wasbs:// are inputs only),
    # https://learn.microsoft.com/azure/machine-learning/how-to-read-write-data-v2#paths. parse_job_defaults
    # has refused anything else, so the prefix is used as it is.
    def output(prefix: str) -> dict[str, str]:
        return {
            "jobOutputType": "uri_folder",
            "mode": "ReadWriteMount",
            "uri": f"{prefix.rstrip('/')}/{job_name}/",
        }

    resources: dict[str, Any] = {"instanceCount": count}
    if defaults.shm_size:
        resources["shmSize"] = defaults.shm_size
    properties: dict[str, Any] = {
        "jobType": "Command",
        "displayName": job_name,
        "experimentName": experiment,
        "description": f"mlgen train submit ({code_version})",
        "computeId": f"{workspace}/computes/{defaults.compute_name}",
        "environmentId": f"{workspace}/environments/{training_environment(experiment)}/versions/{image_version(image)}",
        "command": _command(defaults, overrides.hyperparameters),
        "environmentVariables": dict(sorted(variables.items())),
        "identity": {
            "identityType": "Managed",
            "clientId": defaults.identity_client_id,
            "resourceId": defaults.identity_resource_id,
        },
        "distribution": {
            "distributionType": defaults.distribution_type,
            "processCountPerInstance": defaults.process_count_per_instance,
        },
        "resources": resources,
        "limits": {"jobLimitsType": "Command", "timeout": f"PT{runtime}S"},
        # One checkpoint folder per job name: a resubmitted job of the same name resumes from it.
        "outputs": {
            "model": output(defaults.model_output_uri),
            "checkpoints": output(defaults.checkpoint_uri),
            "output": output(defaults.output_uri),
        },
        "tags": dict(sorted({**tags, "mlgen-job": job_name, "code-version": code_version}.items())),
    }
    if defaults.training_data_uri:
        properties["inputs"] = {
            "train": {
                "jobInputType": "uri_folder",
                "mode": "ReadOnlyMount",
                "uri": defaults.training_data_uri,
            }
        }
    return {"properties": properties}


def summary(body: dict[str, Any], defaults: JobDefaults) -> str:
    properties = body["properties"]
    capacity = "spot" if defaults.spot else "dedicated"
    processes = properties["distribution"]["processCountPerInstance"]
    return (
        f"{properties['resources']['instanceCount']} × {defaults.vm_size} ({capacity}, {processes} "
        f"process(es) per node) on {defaults.compute_name}"
    )
