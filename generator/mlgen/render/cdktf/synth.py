"""Synthesize a generated CDKTF app and lay its stacks out as the HCL roots they stand for.

``synthesize`` runs ``python main.py`` in the app directory (what ``cdktf synth`` runs, without the
CLI). ``materialize_roots`` writes each synthesized stack back as HCL in the root directory it came from
(``envs-dev`` -> ``infra/envs/dev``), with module sources pointing at the vendored modules again, so that
everything that checks HCL roots checks the synthesized app.
"""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from mlgen.render.cdktf.json_to_hcl import stack_as_hcl

SYNTH_TIMEOUT_S = 300
# The interpreter that has the app's requirements installed; defaults to the one running mlgen.
PYTHON_ENV = "MLGEN_CDKTF_PYTHON"


class SynthError(click.ClickException):
    exit_code = 2


def synthesize(app_dir: Path, out_dir: Path | None = None, timeout: float = SYNTH_TIMEOUT_S) -> Path:
    """Run the app; returns the folder holding ``stacks/<stack>/cdk.tf.json``."""
    out_dir = (out_dir or app_dir / "cdktf.out").resolve()
    env = {**os.environ, "CDKTF_OUTDIR": str(out_dir), "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1"}
    python = os.environ.get(PYTHON_ENV) or sys.executable
    try:
        completed = subprocess.run(
            [python, "main.py"],
            cwd=app_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SynthError(f"could not synthesize the CDKTF app in {app_dir}: {error}") from error
    if completed.returncode != 0:
        tail = "\n".join((completed.stderr or completed.stdout).strip().splitlines()[-15:])
        raise SynthError(
            f"synthesizing the CDKTF app in {app_dir} failed (exit {completed.returncode}); install its "
            f"requirements (pip install -r requirements.txt, Node.js >= 20) or set {PYTHON_ENV}:\n{tail}"
        )
    return out_dir


def stack_directory(stack_id: str) -> str:
    """``envs-dev`` -> ``infra/envs/dev`` (the inverse of :func:`mlgen.render.cdktf.stacks.stack_id`)."""
    kind, _, name = stack_id.partition("-")
    return f"infra/{kind}/{name}"


def synthesized_stacks(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Stack id -> the synthesized ``cdk.tf.json`` as data."""
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    return {
        name: json.loads((out_dir / entry["synthesizedStackPath"]).read_text(encoding="utf-8"))
        for name, entry in sorted(manifest["stacks"].items())
    }


def asset_module_path(source: str, stack_dir: Path) -> Path:
    return (stack_dir / source).resolve()


def materialize_roots(out_dir: Path, project_dir: Path, modules_dir: str) -> dict[str, dict[str, str]]:
    """Root directory -> HCL files of every synthesized stack, module sources relative to ``modules_dir``.

    A module source that CDKTF rewrote to its asset copy (``./assets/<asset>/<hash>/kms``) is pointed back
    at ``modules_dir/kms``; :func:`asset_matches_modules` checks that the copy is the vendored module.
    """
    roots: dict[str, dict[str, str]] = {}
    for stack_id, stack in synthesized_stacks(out_dir).items():
        directory = stack_directory(stack_id)

        def source_for(source: str, directory: str = directory) -> str:
            if "/assets/" not in f"/{source}":
                return source
            module = source.rstrip("/").split("/")[-1]
            return posixpath.relpath(f"{modules_dir}/{module}", directory)

        roots[directory] = stack_as_hcl(stack, source_for)
    return roots


def asset_matches_modules(out_dir: Path, stack_id: str, source: str, module_dir: Path) -> bool:
    """Is the asset copy CDKTF made of a module (``source`` in the stack) the same files as ``module_dir``?"""
    copied = (out_dir / "stacks" / stack_id / source).resolve()
    files = sorted(p.relative_to(module_dir) for p in module_dir.rglob("*") if p.is_file())
    copies = sorted(p.relative_to(copied) for p in copied.rglob("*") if p.is_file())
    return files == copies and all((module_dir / f).read_bytes() == (copied / f).read_bytes() for f in files)
