"""Model artifacts for releases: `s3://…/model.tar.gz` as SageMaker expects, from S3 or from MLflow.

``models:/name/version`` and ``runs:/id/path`` are downloaded through MLflow (MLFLOW_TRACKING_URI, else the
landing zone's tracking server), packed into a deterministic model.tar.gz (same files → same bytes, so the
same model always gets the same key) and uploaded to the artifacts bucket under ``releases/``.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from mlgen.ops.base import Echo
from mlgen.ops.errors import OpsError


def split_s3(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def pack_model(directory: Path) -> bytes:
    """model.tar.gz with the model directory's files at the archive root (MLmodel next to the weights)."""
    if not (directory / "MLmodel").is_file():
        raise OpsError(f"{directory} is not an MLflow model (no MLmodel file): release an MLflow model")
    buffer = io.BytesIO()
    # mtime 0, sorted names, no owners: the archive depends on the files only.
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=9) as archive:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = tarfile.TarInfo(str(path.relative_to(directory)))
            info.size, info.mtime, info.mode = path.stat().st_size, 0, 0o644
            with path.open("rb") as handle:
                archive.addfile(info, handle)
    return _zero_gzip_time(buffer.getvalue())


def _zero_gzip_time(data: bytes) -> bytes:
    # The gzip header's bytes 4-7 hold a timestamp; zero it so that packing twice gives the same bytes.
    return data[:4] + b"\x00\x00\x00\x00" + data[8:]


def download_s3_prefix(s3: Any, uri: str) -> Path:
    bucket, prefix = split_s3(uri)
    prefix = prefix.rstrip("/") + "/"
    target = Path(tempfile.mkdtemp(prefix="mlgen-release-"))
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            path = target / item["Key"][len(prefix) :]
            path.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, item["Key"], str(path))
            count += 1
    if not count:
        raise OpsError(f"nothing under {uri}: give a model.tar.gz or an MLflow model directory")
    return target


def upload_release(s3: Any, bucket: str, archive: bytes, kms_key: str | None, echo: Echo) -> str:
    digest = hashlib.sha256(archive).hexdigest()[:16]
    key = f"releases/{digest}/model.tar.gz"
    extra: dict[str, str] = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key} if kms_key else {}
    echo(f"uploading model.tar.gz ({len(archive)} bytes) to s3://{bucket}/{key}")
    s3.put_object(Bucket=bucket, Key=key, Body=archive, **extra)
    return f"s3://{bucket}/{key}"
