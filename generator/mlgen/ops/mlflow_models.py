"""MLflow model URIs (``models:/name/version``, ``runs:/id/path``) downloaded for a release, on any cloud.

MLflow resolves the URI (MLFLOW_TRACKING_URI, else the landing zone's tracking server) and downloads the
model's files; each cloud's adapter then puts them where its serving platform reads models.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from mlgen.ops.errors import OpsError

MLFLOW_SCHEMES = ("models:/", "runs:/")


def download_mlflow_model(uri: str, tracking_uri: str | None) -> Path:
    try:
        import mlflow
    except ImportError as error:
        raise OpsError(
            f"{uri} is resolved through MLflow, which is not installed: pip install mlflow"
        ) from error
    if tracking_uri and not os.environ.get("MLFLOW_TRACKING_URI"):
        mlflow.set_tracking_uri(tracking_uri)
    # MLflow's tqdm bar redraws in place on a terminal but writes a line per step to a log (CI, pipes).
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "true" if sys.stderr.isatty() else "false")
    target = Path(tempfile.mkdtemp(prefix="mlgen-release-"))
    try:
        return Path(mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=str(target)))
    except Exception as error:  # MlflowException and friends: say which URI and why
        raise OpsError(f"MLflow could not resolve {uri}: {error}") from error
