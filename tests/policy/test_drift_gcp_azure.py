"""The drift step of `mlgen check` on GCP and Azure projects.

Drift compares the tree with what mlgen.yaml generates, so it is as cloud-neutral as generation itself.
Until a cloud's adapter generates Terraform, a spec for it must fail the step with the reason (never pass
as "no drift"); once it generates, a fresh project passes and a hand edit fails. The same test covers
both, switching on the cloud's `generated` capability.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.policy.projects import FIXTURES

from mlgen.cli import main
from mlgen.clouds import capabilities
from mlgen.policy.report import FAILED, PASSED
from mlgen.policy.steps import run_drift_step

CLOUDS = ("gcp", "azure")


def _generated(cloud: str) -> bool:
    return capabilities(cloud).generated


def init_project(target: Path, cloud: str) -> Path:
    result = CliRunner().invoke(main, ["init", str(target), "--cloud", cloud, "--blueprint", "starter"])
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize("cloud", CLOUDS)
def test_drift_fails_with_its_reason_while_the_cloud_does_not_generate(cloud: str, tmp_path: Path) -> None:
    if _generated(cloud):
        pytest.skip(f"{cloud} generates Terraform: the drift test below covers it")
    project = tmp_path / "demo"
    shutil.copytree(FIXTURES / cloud / "drift", project)
    step = run_drift_step(project)
    assert step.status == FAILED
    assert "cannot be generated" in step.detail and f"cloud {cloud!r} is not supported yet" in step.detail


@pytest.mark.parametrize("cloud", CLOUDS)
def test_drift_passes_a_fresh_project_and_flags_an_edited_file(cloud: str, tmp_path: Path) -> None:
    if not _generated(cloud):
        pytest.skip(f"{cloud} does not generate Terraform yet: the test above covers it")
    project = init_project(tmp_path / "demo", cloud)
    assert run_drift_step(project).status == PASSED
    edited = min(project.rglob("*.tf"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# hand edit\n", encoding="utf-8")
    step = run_drift_step(project)
    assert step.status == FAILED
    assert edited.relative_to(project).as_posix() in step.files


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_drift_fixture_spec_is_valid(cloud: str, tmp_path: Path) -> None:
    # so that the first test fails for the reason it names, not for a broken spec
    from mlgen.spec import load_spec

    spec = load_spec(FIXTURES / cloud / "drift" / "mlgen.yaml")
    assert spec.cloud == cloud
