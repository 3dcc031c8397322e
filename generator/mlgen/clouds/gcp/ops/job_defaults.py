"""The job-defaults document: what the GCP landing zone tells `mlgen train submit` (and release) that the
plan cannot derive.

The environment root writes it as JSON to ``gs://<naming.bucket_name(env, 'artifacts')>/<naming.JOB_DEFAULTS_OBJECT>``
(the GCP counterpart of AWS's SSM job-defaults parameter). :data:`KEYS` is the contract with the landing zone:
it writes exactly these keys, with ``"schema_version": SCHEMA_VERSION``. Names the plan already fixes (bucket,
service account, repository, endpoint ids, labels) are read from :mod:`mlgen.clouds.gcp.naming` instead, so the
document carries only what exists once Terraform ran (the project number, self links, key names) or what the
adapter's catalog chose (machine and accelerator types).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, get_type_hints

from mlgen.ops.errors import OpsError

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class JobDefaults:
    """Every key of the document (all required; strings may be empty only where said)."""

    schema_version: int  # SCHEMA_VERSION; bumped when a key changes meaning or goes away
    project_id: str  # the environment's GCP project id (the spec's account id)
    project_number: str  # digits: Vertex names networks and service agents by number
    region: str  # where jobs, models and endpoints live (the environment's region)
    network: str  # projects/<project number>/global/networks/<name>: the VPC jobs peer into
    image_uri: (
        str  # <region>-docker.pkg.dev/<project>/<repository>/training:<tag>; --image-tag replaces the tag
    )
    machine_type: str  # e.g. g2-standard-8 (the machine family that carries the spec's GPU)
    accelerator_type: (
        str  # Vertex AcceleratorType enum name, e.g. NVIDIA_L4, NVIDIA_TESLA_T4, NVIDIA_H100_80GB
    )
    accelerator_count: int  # GPUs per replica (the spec's gpus_per_node)
    replica_count: int  # machines per job (the spec's nodes): 1 primary + replica_count-1 workers
    boot_disk_type: str  # pd-ssd or pd-standard
    boot_disk_size_gb: int
    spot: bool  # scheduling.strategy SPOT (else STANDARD)
    restart_job_on_worker_restart: (
        bool  # a preempted replica restarts the job, which resumes from checkpoints
    )
    max_runtime_seconds: int  # scheduling.timeout
    service_account: str  # e-mail of the training service account the job runs as
    kms_key_name: (
        str  # projects/<p>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>: CustomJob and model CMEK
    )
    base_output_uri: str  # gs://<artifacts bucket>/jobs: each job writes under <base_output_uri>/<job name>/
    staging_bucket: str  # gs://<staging bucket>: where the SDK stages uploads (model artifacts of a release)
    mlflow_tracking_uri: str  # https://… of the Cloud Run MLflow service; "" when tracking is off


KEYS: tuple[str, ...] = tuple(field.name for field in fields(JobDefaults))
_TYPES = get_type_hints(JobDefaults)
# Keys that must be non-empty strings (no tracking: no URI; no GPU: no accelerator type).
_MAY_BE_EMPTY = ("mlflow_tracking_uri", "accelerator_type")
_REQUIRED_TEXT = tuple(key for key in KEYS if _TYPES[key] is str and key not in _MAY_BE_EMPTY)


def _problem(where: str, message: str) -> OpsError:
    return OpsError(
        f"the job-defaults document {where} {message}: regenerate and apply the landing zone "
        "(`make plan apply ENV=<env>`), or upgrade mlgen"
    )


def parse_job_defaults(raw: bytes | str | None, where: str) -> JobDefaults:
    """The document as :class:`JobDefaults`; ``raw`` None means the object does not exist.

    ``where`` names the object (gs://…) in the messages. Raises :class:`OpsError` (exit 1, no traceback)
    for a missing document, one that is not JSON, another schema version, or a missing or mistyped key.
    """
    if raw is None:
        raise OpsError(
            f"no job-defaults document at {where}: the landing zone of this environment is not applied yet "
            "(run `make bootstrap init plan apply ENV=<env>` first)"
        )
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise _problem(where, f"is not JSON ({error})") from None
    if not isinstance(document, dict):
        raise _problem(where, "is not a JSON object")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise _problem(where, f"has schema_version {version!r}; this mlgen reads version {SCHEMA_VERSION}")
    missing = [key for key in KEYS if key not in document]
    if missing:
        raise _problem(where, f"lacks {', '.join(missing)}")
    values: dict[str, Any] = {}
    for key in KEYS:
        value, expected = document[key], _TYPES[key]
        # bool is an int in Python: a count given as true/false is a mistake, not a number.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise _problem(where, f"has {key} = {value!r}, not a {expected.__name__}")
        values[key] = value
    empty = [key for key in _REQUIRED_TEXT if not values[key].strip()]
    if empty:
        raise _problem(where, f"has empty {', '.join(empty)}")
    if not values["project_number"].isdigit():
        raise _problem(where, f"has project_number {values['project_number']!r}, not digits")
    for key in ("base_output_uri", "staging_bucket"):
        if not values[key].startswith("gs://"):
            raise _problem(where, f"has {key} {values[key]!r}, not a gs:// URI")
    if not values["network"].startswith(f"projects/{values['project_number']}/global/networks/"):
        raise _problem(
            where,
            f"has network {values['network']!r}; Vertex AI wants projects/<project number>/global/networks/<name>",
        )
    for key in ("accelerator_count", "replica_count", "max_runtime_seconds", "boot_disk_size_gb"):
        if values[key] < (0 if key == "accelerator_count" else 1):
            raise _problem(where, f"has {key} = {values[key]}")
    if values["accelerator_count"] and not values["accelerator_type"].strip():
        raise _problem(where, f"has accelerator_count {values['accelerator_count']} but no accelerator_type")
    return JobDefaults(**values)


def example(**changes: Any) -> dict[str, Any]:
    """A complete, valid document (tests and docs); keyword arguments replace keys."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "project_id": "acme-ml-dev",
        "project_number": "123456789012",
        "region": "us-central1",
        "network": "projects/123456789012/global/networks/acme-dev",
        "image_uri": "us-central1-docker.pkg.dev/acme-ml-dev/acme-dev/training:latest",
        "machine_type": "g2-standard-8",
        "accelerator_type": "NVIDIA_L4",
        "accelerator_count": 1,
        "replica_count": 1,
        "boot_disk_type": "pd-ssd",
        "boot_disk_size_gb": 100,
        "spot": True,
        "restart_job_on_worker_restart": True,
        "max_runtime_seconds": 86400,
        "service_account": "acme-dev-train@acme-ml-dev.iam.gserviceaccount.com",
        "kms_key_name": "projects/acme-ml-dev/locations/us-central1/keyRings/acme-dev-keys/cryptoKeys/vertex",
        "base_output_uri": "gs://acme-dev-artifacts-0123abcd/jobs",
        "staging_bucket": "gs://acme-dev-staging-0123abcd",
        "mlflow_tracking_uri": "",
    }
    document.update(changes)
    return document
