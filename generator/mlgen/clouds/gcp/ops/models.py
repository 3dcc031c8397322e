"""Model folders for GCP releases: Vertex AI serves a model from a gs:// folder (``artifactUri``).

An MLflow model (``models:/``, ``runs:/``) is downloaded through MLflow and uploaded to the artifacts bucket
under ``releases/<content hash>/``: the hash covers every file's path and bytes, so the same model always
lands in the same folder and a re-release uploads nothing new.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from mlgen.ops.base import Echo
from mlgen.ops.errors import OpsError


def folder_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def upload_model_folder(storage: Any, bucket: str, directory: Path, echo: Echo) -> str:
    """Upload an MLflow model directory; the bucket's default key (CMEK) encrypts every object."""
    if not (directory / "MLmodel").is_file():
        raise OpsError(f"{directory} is not an MLflow model (no MLmodel file): release an MLflow model")
    prefix = f"releases/{folder_digest(directory)}"
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    echo(f"uploading {len(files)} model file(s) to gs://{bucket}/{prefix}/")
    target = storage.bucket(bucket)
    for path in files:
        target.blob(f"{prefix}/{path.relative_to(directory).as_posix()}").upload_from_filename(str(path))
    return f"gs://{bucket}/{prefix}/"
