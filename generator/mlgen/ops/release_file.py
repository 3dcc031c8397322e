"""The committed release file the environment root reads: infra/envs/<env>/release.auto.tfvars.json.

Terraform loads ``*.auto.tfvars.json`` from the root automatically, so the release reviewed in a pull
request is the one every later plan keeps (a ``-var`` on one command line would be undone by the next plan).
The format is exactly the root's ``serving_release`` variable::

    {"serving_release": {"image_tag": "<tag in the serving repository>", "model_data_url": "s3://…/model.tar.gz"}}
"""

from __future__ import annotations

import json
from pathlib import Path

RELEASE_FILENAME = "release.auto.tfvars.json"
VARIABLE = "serving_release"


def release_values(image_tag: str, model_data_url: str) -> dict:
    return {VARIABLE: {"image_tag": image_tag, "model_data_url": model_data_url}}


def render_release(values: dict) -> str:
    # Sorted keys and a trailing newline: the same release is the same bytes, so diffs show only changes.
    return json.dumps(values, indent=2, sort_keys=True) + "\n"


def read_release(root_dir: Path) -> dict | None:
    path = root_dir / RELEASE_FILENAME
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(VARIABLE)


def write_release(root_dir: Path, values: dict) -> Path:
    path = root_dir / RELEASE_FILENAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_release(values), encoding="utf-8")
    return path
