"""`mlgen check` on a project generated with ``format: cdktf``: check what the app synthesizes.

checkov, mlgen's policies and terraform fmt read HCL roots. For a CDKTF project the app is synthesized
first and each stack is written back as the HCL root it stands for (``envs-dev`` -> ``infra/envs/dev``)
in a scan copy of the project; the checks then run on that copy, so findings name the same paths as in
an HCL project. The drift step still runs on the project itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mlgen.policy.report import FAILED, PASSED, StepResult

APP_CONFIG = "infra/cdktf/cdktf.json"
MODULES_DIR = "infra/modules"
# Not copied into the scan copy: synthesis output and the tools' caches.
IGNORED = shutil.ignore_patterns("cdktf.out", ".git", ".terraform", "__pycache__", ".venv", "node_modules")


def is_cdktf_project(project_dir: Path) -> bool:
    return (project_dir / APP_CONFIG).is_file()


def _modules_dir(project_dir: Path) -> str:
    clouds = sorted(p.name for p in (project_dir / MODULES_DIR).iterdir() if p.is_dir())
    return f"{MODULES_DIR}/{clouds[0]}" if len(clouds) == 1 else MODULES_DIR


def prepare_scan_copy(project_dir: Path, scan_dir: Path) -> StepResult:
    """Copy the project to ``scan_dir`` with the synthesized stacks as HCL roots; the synth step's result."""
    import click

    from mlgen.render.cdktf.synth import materialize_roots, synthesize

    shutil.copytree(project_dir, scan_dir, ignore=IGNORED, dirs_exist_ok=True)
    try:
        out_dir = synthesize(scan_dir / Path(APP_CONFIG).parent)
    except click.ClickException as error:
        return StepResult("cdktf synth", FAILED, error.format_message()[:2000])
    roots = materialize_roots(out_dir, scan_dir, _modules_dir(scan_dir))
    for directory, files in roots.items():
        for name, text in files.items():
            target = scan_dir / directory / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    shutil.rmtree(out_dir)  # the module asset copies would be scanned twice
    stacks = ", ".join(sorted(roots))
    return StepResult("cdktf synth", PASSED, f"{len(roots)} stacks synthesized and checked as {stacks}")
