"""A plain `pip install` of the built wheel gives a working tool: assets travel inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO_ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("mlgen-*.whl")
    return built


def test_wheel_carries_every_asset_kind(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for required in (
        "mlgen/_assets/templates/aws/teardown.sh.j2",
        "mlgen/_assets/modules/aws/network/main.tf",
        "mlgen/_assets/blueprints/production.yaml",
        "mlgen/conformance/schemas/aws.json.gz",
        "mlgen/clouds/aws/prices/us-east-1.json",
    ):
        assert required in names
    assert any(name.startswith("mlgen/_assets/training_images/") for name in names)
    assert not any("__pycache__" in name for name in names)


def test_installed_wheel_runs_init_in_a_fresh_environment(wheel: Path, tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600)
    mlgen = environment / "bin" / "mlgen"
    project = tmp_path / "demo"
    # Run outside the repository so nothing can be picked up from the source tree.
    result = subprocess.run(
        [mlgen, "init", str(project), "--cloud", "aws", "--blueprint", "production"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert (project / "infra/envs/prod/main.tf").is_file()
    assert (project / "infra/modules/aws/storage/main.tf").is_file()
    assert (project / "scripts/teardown-prod.sh").is_file()
    check = subprocess.run(
        [mlgen, "generate", "--check", "--spec", str(project / "mlgen.yaml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    cost = subprocess.run(
        [mlgen, "cost", "--spec", str(project / "mlgen.yaml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert cost.returncode == 0 and "not priced" not in cost.stdout, cost.stdout + cost.stderr
