"""`mlgen teardown` in a CDKTF project: Terraform runs in the stacks the app synthesizes, so the teardown
synthesizes first (and stops, touching nothing, when it cannot), the state backups stay in
infra/envs/<env>/backups (cdktf.out is a build output), and the release file stays where `mlgen release`
writes it. Wall time ~5 s (moto; one synthesis where cdktn and Node.js are installed).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.ops.landing_zone import client, seed_landing_zone, write_spec

from mlgen.cli import main
from mlgen.ops.context import load_context
from mlgen.ops.release_file import release_values, write_release
from mlgen.pipeline import generate_project

STACKS = "infra/cdktf/cdktf.out/stacks"


def cdktf_project(directory: Path) -> Path:
    project = write_spec(directory, extra="format: cdktf")
    report = generate_project(project)
    assert (project / "infra/cdktf/main.py").is_file(), report
    return project


def test_hcl_project_runs_terraform_in_its_roots(tmp_path: Path) -> None:
    project = write_spec(tmp_path / "p")
    context = load_context(project, "dev")
    assert context.root_dir == context.env_dir == project / "infra/envs/dev"
    assert context.bootstrap_dir == project / "infra/bootstrap/dev"
    assert context.backups_dir == project / "infra/envs/dev/backups"


def test_cdktf_project_runs_terraform_in_the_synthesized_stacks(tmp_path: Path) -> None:
    context = load_context(cdktf_project(tmp_path / "p"), "dev")
    project = context.project_dir
    assert context.root_dir == project / STACKS / "envs-dev"
    assert context.bootstrap_dir == project / STACKS / "bootstrap-dev"
    # The release file and the backups are committed or kept, so they stay out of cdktf.out.
    assert context.env_dir == project / "infra/envs/dev"
    assert (context.env_dir / "release.auto.tfvars.json").is_file()
    assert context.backups_dir == project / "infra/envs/dev/backups"


@pytest.mark.skipif(
    shutil.which("node") is None or importlib.util.find_spec("cdktn") is None,
    reason="synthesizing needs Node.js and the cdktn package (pip install -e '.[test]')",
)
def test_synthesize_writes_the_roots_teardown_destroys_with_the_committed_release(tmp_path: Path) -> None:
    context = load_context(cdktf_project(tmp_path / "p"), "dev")
    values = release_values("git-1a2b3c4", "s3://churn-starter-dev-models/model.tar.gz")
    write_release(context.env_dir, values)
    context.synthesize()
    stack = json.loads((context.root_dir / "cdk.tf.json").read_text(encoding="utf-8"))
    assert stack["terraform"]["backend"]["s3"]["key"]
    assert stack["variable"]["serving_release"]["default"] == values["serving_release"]
    bootstrap = json.loads((context.bootstrap_dir / "cdk.tf.json").read_text(encoding="utf-8"))
    assert "local" in bootstrap["terraform"]["backend"]


def teardown(project: Path, *args: str):
    return CliRunner().invoke(main, ["teardown", "--project-dir", str(project), *args])


def test_dry_run_names_the_synthesized_stacks(aws: str, tmp_path: Path) -> None:
    project = cdktf_project(tmp_path / "p")
    result = teardown(project, "--env", "dev", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would synthesize the CDKTF app into {project / STACKS}" in result.output
    assert f"would run `terraform destroy` in {project / STACKS / 'envs-dev'}" in result.output
    assert f"to {project / 'infra/envs/dev/backups'}/" in result.output


def test_a_failed_synthesis_stops_the_teardown_before_anything_is_touched(aws: str, tmp_path: Path) -> None:
    project = cdktf_project(tmp_path / "p")
    seed_landing_zone()
    buckets = client("s3").list_buckets()["Buckets"]
    main_py = project / "infra/cdktf/main.py"
    main_py.write_text('raise SystemExit("planted: the app does not build")\n', encoding="utf-8")
    result = teardown(project, "--env", "dev", "--yes")
    assert result.exit_code != 0
    assert "synthesizing the CDKTF app" in result.output and "planted" in result.output
    assert "terraform destroy" not in result.output.split("synthesizing the CDKTF app", 1)[1]
    assert client("s3").list_buckets()["Buckets"] == buckets
