"""Where the model is: turn each platform's convention into one local directory holding ``MLmodel``.

Runs once in the parent process, before workers start, so a download (Vertex ``gs://``, a registry
``models:/`` URI) happens once and every worker loads the same files.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from model_server.config import ConfigError, Settings

log = logging.getLogger("model_server.location")

MLMODEL = "MLmodel"
COMPLETE_MARKER = ".download-complete"
# Azure ML mounts registered models at .../azureml-models/<name>/<version>.
_AZURE_MOUNT = re.compile(r"azureml-models/(?P<name>[^/]+)/(?P<version>[^/]+)/?$")
_REGISTRY_URI = re.compile(r"^models:/(?P<name>[^/@]+)(?:/(?P<version>[^/]+)|@(?P<alias>[^/]+))?/?$")


@dataclass(frozen=True)
class ResolvedModel:
    local_dir: Path
    source: str
    name: str | None
    version: str | None


def find_mlflow_model_dir(root: Path, max_depth: int = 2) -> Path:
    """The directory holding ``MLmodel``: ``root`` itself or a single sub-directory a level or two down.

    Platforms wrap the model differently (a tarball with a top folder on SageMaker, the registered
    model's folder under ``AZUREML_MODEL_DIR``), so a short, unambiguous search beats a fixed layout.
    """
    if not root.is_dir():
        raise ConfigError(f"model directory {root} does not exist or is not a directory")
    if (root / MLMODEL).is_file():
        return root
    found = sorted(p.parent for p in root.glob("/".join(["*"] * max_depth) + "/" + MLMODEL))
    found += sorted(p.parent for p in root.glob("*/" + MLMODEL))
    unique = sorted(set(found))
    if len(unique) == 1:
        return unique[0]
    if not unique:
        raise ConfigError(f"no MLflow model (an {MLMODEL} file) found in {root} or its sub-directories")
    listed = ", ".join(str(p) for p in unique)
    raise ConfigError(f"several MLflow models found under {root} ({listed}); point at exactly one")


def needs_download(settings: Settings) -> bool:
    """True when the model must be fetched (Vertex ``gs://``, registry or remote URIs)."""
    if settings.model_uri:
        uri = settings.model_uri
        return ":/" in uri and not uri.startswith("file://")
    return settings.platform == "vertex"


@contextlib.contextmanager
def _download_once(settings: Settings, source: str) -> Iterator[tuple[Path, bool]]:
    """A directory for ``source`` shared by all workers; yields (dir, already_complete) under a file lock.

    Every worker process resolves the model itself (so the port is open while it downloads), but the
    first one to take the lock does the download; the others find it complete and reuse it.
    """
    base = (
        Path(settings.download_dir)
        if settings.download_dir
        else Path(tempfile.gettempdir()) / "model-downloads"
    )
    base.mkdir(parents=True, exist_ok=True)
    target = base / hashlib.sha256(source.encode()).hexdigest()[:16]
    with open(f"{target}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        complete = (target / COMPLETE_MARKER).is_file()
        if not complete:
            shutil.rmtree(target, ignore_errors=True)  # a previous attempt died half-way
            target.mkdir(parents=True)
        yield target, complete
        (target / COMPLETE_MARKER).touch()


def download_gcs_prefix(uri: str, destination: Path) -> int:
    """Copy every object under a ``gs://bucket/prefix`` into ``destination``; returns the file count.

    google-cloud-storage is imported here only: it is needed on Vertex AI alone. It honours
    ``STORAGE_EMULATOR_HOST`` (anonymous credentials), which is how the tests exercise this code.
    """
    match = re.match(r"^gs://(?P<bucket>[^/]+)/?(?P<prefix>.*)$", uri)
    if not match:
        raise ConfigError(f"AIP_STORAGE_URI must look like gs://bucket/path, got {uri!r}")
    from google.cloud import storage

    client = storage.Client()
    prefix = match["prefix"].rstrip("/")
    count = 0
    for blob in client.list_blobs(match["bucket"], prefix=f"{prefix}/" if prefix else None):
        relative = blob.name[len(prefix) :].lstrip("/") if prefix else blob.name
        if not relative or blob.name.endswith("/"):
            continue  # "directory" placeholder objects
        target = (destination / relative).resolve()
        if destination.resolve() not in target.parents:
            raise ConfigError(f"refusing to write object {blob.name!r} outside {destination}")
        target.parent.mkdir(parents=True, exist_ok=True)
        blob.download_to_filename(str(target))
        count += 1
    if count == 0:
        raise ConfigError(f"no objects found under {uri}")
    return count


def _resolve_uri(settings: Settings, uri: str) -> ResolvedModel:
    local = Path(uri.removeprefix("file://"))
    if "://" not in uri and ":/" not in uri:
        return ResolvedModel(find_mlflow_model_dir(local), uri, None, None)
    if uri.startswith("file://"):
        return ResolvedModel(find_mlflow_model_dir(local), uri, None, None)
    import mlflow

    name = version = None
    registry = _REGISTRY_URI.match(uri)
    if registry and not registry["name"].startswith("m-"):
        name = registry["name"]
        version = registry["version"]
        if registry["alias"]:
            version = mlflow.MlflowClient().get_model_version_by_alias(name, registry["alias"]).version
        elif version and not version.isdigit():
            raise ConfigError(f"model version in {uri!r} must be a number or use @alias")
    with _download_once(settings, f"{uri}@{version}") as (target, complete):
        if not complete:
            try:
                mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=str(target))
            except Exception as exc:  # noqa: BLE001 - mlflow raises many types; the person needs the message
                raise ConfigError(f"could not fetch model {uri!r}: {exc}") from None
            log.info("downloaded model", extra={"source": uri})
    return ResolvedModel(find_mlflow_model_dir(target), uri, name, version)


def resolve_model(settings: Settings) -> ResolvedModel:
    """Find or fetch the model for the detected platform."""
    if settings.model_uri:
        resolved = _resolve_uri(settings, settings.model_uri)
    elif settings.platform == "vertex":
        if not settings.vertex_storage_uri:
            raise ConfigError("Vertex AI: AIP_STORAGE_URI is not set; deploy the model with an artifact URI")
        with _download_once(settings, settings.vertex_storage_uri) as (target, complete):
            if not complete:
                count = download_gcs_prefix(settings.vertex_storage_uri, target)
                log.info("downloaded model", extra={"source": settings.vertex_storage_uri, "files": count})
        resolved = ResolvedModel(find_mlflow_model_dir(target), settings.vertex_storage_uri, None, None)
    elif settings.platform == "azure":
        if not settings.azure_model_dir:
            raise ConfigError("Azure ML: AZUREML_MODEL_DIR is not set")
        mount = _AZURE_MOUNT.search(settings.azure_model_dir.rstrip("/"))
        resolved = ResolvedModel(
            find_mlflow_model_dir(Path(settings.azure_model_dir)),
            settings.azure_model_dir,
            mount["name"] if mount else None,
            mount["version"] if mount else None,
        )
    elif settings.platform == "sagemaker":
        model_dir = settings.sagemaker_root / "model"
        resolved = ResolvedModel(find_mlflow_model_dir(model_dir), str(model_dir), None, None)
    else:
        raise ConfigError(
            "no model given: set SERVING_MODEL_URI to a directory or a models:/name/version URI"
        )
    return ResolvedModel(
        resolved.local_dir,
        resolved.source,
        settings.model_name or resolved.name,
        settings.model_version or resolved.version,
    )


def run_tags(run_id: str | None) -> dict[str, str]:
    """Code/dataset version tags of the training run, when a tracking server is configured (best effort)."""
    import os

    if not run_id or not os.environ.get("MLFLOW_TRACKING_URI"):
        return {}
    try:
        import mlflow

        tags = mlflow.MlflowClient().get_run(run_id).data.tags
    except Exception as exc:  # noqa: BLE001 - metadata is optional; serving must not depend on it
        log.warning("could not read run tags", extra={"run_id": run_id, "error": str(exc)})
        return {}
    keep = {"mlflow.source.git.commit", "mlflow.source.name"}
    return {k: v for k, v in sorted(tags.items()) if k in keep or not k.startswith("mlflow.")}


def resolved_as_dict(resolved: ResolvedModel) -> dict[str, object]:
    return {
        "local_dir": str(resolved.local_dir),
        "source": resolved.source,
        "name": resolved.name,
        "version": resolved.version,
    }
