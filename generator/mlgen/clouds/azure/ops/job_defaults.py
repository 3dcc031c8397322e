"""The job-defaults document: what the Azure landing zone tells `mlgen train submit`.

The environment root writes it as JSON to the blob ``naming.JOB_DEFAULTS_BLOB`` in the ``artifacts``
container of ``naming.storage_account(env)`` (the Azure counterpart of AWS's SSM job-defaults parameter).
It holds what a command job needs and the plan cannot derive: ids the cloud assigned (the identity's
client id), the image the zone was applied with, and the sizes the zone chose. Names the plan CAN derive
(storage account, registry, endpoint) come from ``mlgen.clouds.azure.naming`` instead, so the two never
disagree.

Every key is required; ``None`` is allowed only where the type says so. Example::

    {
      "schema_version": 1,
      "subscription_id": "00000000-0000-0000-0000-000000000000",
      "resource_group": "rg-demo-dev",
      "location": "westeurope",
      "workspace_name": "mlw-demo-dev",
      "compute_name": "gpu-1a2b3c4d",
      "vm_size": "Standard_NC4as_T4_v3",
      "gpus_per_instance": 1,
      "instance_count": 1,
      "max_instance_count": 2,
      "spot": true,
      "image_uri": "acrdemodev1a2b3c.azurecr.io/training:git-abc1234",
      "distribution_type": "PyTorch",
      "process_count_per_instance": 1,
      "identity_resource_id": "/subscriptions/…/resourceGroups/rg-demo-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-demo-dev-training",
      "identity_client_id": "11111111-1111-1111-1111-111111111111",
      "training_data_uri": "azureml://datastores/lake_features/paths/train/",
      "model_output_uri": "azureml://datastores/lake_artifacts/paths/models/",
      "checkpoint_uri": "azureml://datastores/lake_artifacts/paths/checkpoints/",
      "output_uri": "azureml://datastores/lake_artifacts/paths/jobs/",
      "max_runtime_seconds": 86400,
      "shm_size": "16g"
    }

The three output URIs are prefixes: a job writes under ``<prefix><job name>/``. They must be datastore
paths (``azureml://datastores/<datastore>/paths/<path>/``, the datastores the landing zone registers, one per
lake container: ``naming.datastore``), because Azure ML accepts no other kind of path for a job output
("Access data in a job", Paths: https://learn.microsoft.com/azure/machine-learning/how-to-read-write-data-v2#paths).
The input may be any URI a job can read; the landing zone writes a datastore path there too. Documents from
landing zones before the datastores (``abfss://`` outputs, same schema version and keys) are refused with a
message that says to apply the landing zone again. The checkpoint prefix is per
job name on purpose: a resubmitted job with the same name finds its previous checkpoints (training image
README, "Give checkpoints an explicit, stable path").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from typing import Any

from mlgen.ops.errors import OpsError

SCHEMA_VERSION = 1
# The only distribution the training image runs under on Azure ML: Azure starts one process per GPU and sets
# RANK/LOCAL_RANK/WORLD_SIZE/NODE_RANK/MASTER_* (training_images/training/README.md, "Per platform").
DISTRIBUTION_TYPE = "PyTorch"
URI_SCHEMES = ("azureml://", "https://", "abfss://", "wasbs://")
OUTPUT_KEYS = ("model_output_uri", "checkpoint_uri", "output_uri")
# azureml://datastores/<datastore>/paths/<path>: Azure ML's only output path (see the module docstring).
DATASTORE_PATH = re.compile(r"azureml://datastores/([A-Za-z0-9_-]+)/paths/(.+)")


@dataclass(frozen=True)
class JobDefaults:
    schema_version: int
    # Where the job runs.
    subscription_id: str
    resource_group: str
    location: str
    workspace_name: str
    compute_name: str  # the Azure ML compute cluster (naming.compute_cluster)
    # What the cluster is: the job cannot change the VM size or the priority, only the node count.
    vm_size: str
    gpus_per_instance: int
    instance_count: int  # nodes per job unless --instance-count
    max_instance_count: int  # the cluster's max nodes: a larger --instance-count is refused before submit
    spot: bool  # the cluster's priority is Spot
    # What runs.
    image_uri: str  # <registry>.azurecr.io/training:<tag>; --image-tag replaces the tag
    distribution_type: str  # always "PyTorch" (DISTRIBUTION_TYPE)
    process_count_per_instance: int  # processes per node: the GPU count of vm_size
    # Who it runs as: the training user-assigned managed identity, attached to the cluster.
    identity_resource_id: str
    identity_client_id: str
    # Data in and out (azureml://datastores/<datastore>/paths/<path>/ or a storage URL).
    training_data_uri: str | None  # mounted as input "train"; None: the job gets no input
    model_output_uri: str
    checkpoint_uri: str
    output_uri: str
    # Limits.
    max_runtime_seconds: int
    shm_size: str | None  # /dev/shm of the container (PyTorch data loaders need more than Docker's 64m)


KEYS: tuple[str, ...] = tuple(item.name for item in fields(JobDefaults))
_OPTIONAL = {"training_data_uri", "shm_size"}
_INTS = {"schema_version", "gpus_per_instance", "instance_count", "max_instance_count"}
_INTS |= {"process_count_per_instance", "max_runtime_seconds"}


def parse_job_defaults(document: str | bytes | dict[str, Any], where: str) -> JobDefaults:
    """The document as JobDefaults; OpsError (exit 1) naming ``where`` and what is wrong with it."""
    hint = "regenerate and apply the landing zone (`make plan apply ENV=<env>`), or upgrade mlgen"
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except ValueError as error:
            raise OpsError(f"the job defaults at {where} are not JSON ({error}): {hint}") from error
    if not isinstance(document, dict):
        raise OpsError(f"the job defaults at {where} are not a JSON object: {hint}")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise OpsError(
            f"the job defaults at {where} have schema_version {version!r}; this mlgen reads version "
            f"{SCHEMA_VERSION}: {hint}"
        )
    missing = [key for key in KEYS if key not in document]
    if missing:
        raise OpsError(f"the job defaults at {where} lack {', '.join(missing)}: {hint}")
    for key in KEYS:
        value = document[key]
        if value is None and key in _OPTIONAL:
            continue
        expected: type | tuple[type, ...] = int if key in _INTS else bool if key == "spot" else str
        # bool is an int in Python: a true/false where a count belongs is still wrong.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise OpsError(f"the job defaults at {where}: {key} is {value!r}, not {expected.__name__}")
        if expected is str and not value:
            raise OpsError(f"the job defaults at {where}: {key} is empty")
    if document["distribution_type"] != DISTRIBUTION_TYPE:
        raise OpsError(
            f"the job defaults at {where}: distribution_type is {document['distribution_type']!r}; the "
            f"training image runs under {DISTRIBUTION_TYPE!r} only"
        )
    for key in ("training_data_uri", *OUTPUT_KEYS):
        value = document[key]
        if value is not None and not value.startswith(URI_SCHEMES):
            raise OpsError(f"the job defaults at {where}: {key} {value!r} is not a storage URI")
    for key in OUTPUT_KEYS:
        if not DATASTORE_PATH.fullmatch(document[key]):
            raise OpsError(
                f"the job defaults at {where}: {key} {document[key]!r} is not a datastore path "
                "(azureml://datastores/<datastore>/paths/<path>/), the only kind Azure ML accepts for job "
                f"outputs; a landing zone from before mlgen registered datastores wrote it: {hint}"
            )
    for key in (
        "gpus_per_instance",
        "instance_count",
        "max_instance_count",
        "process_count_per_instance",
        "max_runtime_seconds",
    ):
        if document[key] < 1:
            raise OpsError(f"the job defaults at {where}: {key} must be at least 1")
    return JobDefaults(**{key: document[key] for key in KEYS})
