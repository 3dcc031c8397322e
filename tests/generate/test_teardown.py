"""The generated teardown scripts, run for real with a stand-in `terraform` on PATH.

Terraform cannot reach a backend here, so a small executable named terraform records its arguments
and answers `state pull` with a state document; the script under test is the real generated one.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tests.generate.conftest import init_project

FAKE_TERRAFORM = """#!/usr/bin/env bash
echo "$*" >> "$TF_LOG_FILE"
case " $* " in
  *" state pull "*) echo '{"version": 4, "serial": 7, "resources": []}' ;;
esac
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return init_project(tmp_path_factory.mktemp("teardown") / "demo", "production")


def run_teardown(project: Path, env: str, *args: str, tmp_path: Path) -> tuple[int, str, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "terraform"
    fake.write_text(FAKE_TERRAFORM)
    fake.chmod(0o755)
    log = tmp_path / "terraform.log"
    log.write_text("")
    # No aws CLI on this PATH: the script must warn and carry on.
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", "TF_LOG_FILE": str(log), "HOME": str(tmp_path)}
    result = subprocess.run(
        [str(project / f"scripts/teardown-{env}.sh"), *args],
        capture_output=True, text=True, env=environment, stdin=subprocess.DEVNULL, check=False, timeout=60,
    )
    return result.returncode, result.stdout + result.stderr, log.read_text().splitlines()


def test_dev_teardown_backs_up_state_then_destroys(production: Path, tmp_path: Path) -> None:
    code, output, calls = run_teardown(production, "dev", "--yes", tmp_path=tmp_path)
    assert code == 0, output
    root = production / "infra/envs/dev"
    assert calls[0].startswith(f"-chdir={root} init")
    assert calls[1] == f"-chdir={root} state pull"
    assert calls[-1] == f"-chdir={root} destroy -input=false -auto-approve"
    backups = sorted((root / "backups").glob("terraform-*.tfstate"))
    assert backups and '"serial": 7' in backups[-1].read_text()
    assert "aws CLI is not installed" in output


def test_dry_run_plans_the_destroy_and_destroys_nothing(production: Path, tmp_path: Path) -> None:
    code, output, calls = run_teardown(production, "staging", "--dry-run", tmp_path=tmp_path)
    assert code == 0, output
    assert any(" plan -destroy" in call for call in calls)
    assert not any(" destroy " in f" {call} " and "plan" not in call for call in calls)


def test_prod_refuses_without_confirmation(production: Path, tmp_path: Path) -> None:
    code, output, calls = run_teardown(production, "prod", tmp_path=tmp_path)
    assert code == 3
    assert "--confirm demo" in output
    assert calls == []


def test_prod_refuses_a_wrong_project_name(production: Path, tmp_path: Path) -> None:
    code, output, calls = run_teardown(production, "prod", "--confirm", "other", tmp_path=tmp_path)
    assert code == 3 and calls == []
    assert "nothing was destroyed" in output


def test_protected_prod_explains_how_to_lift_protection(production: Path, tmp_path: Path) -> None:
    code, output, calls = run_teardown(production, "prod", "--confirm", "demo", tmp_path=tmp_path)
    assert code == 4 and calls == []
    assert "deletion_protection: false" in output and "mlgen generate" in output


def test_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    code, output, calls = run_teardown(project, "dev", "--nuke", tmp_path=tmp_path)
    assert code == 2 and "unknown option" in output and calls == []


@pytest.mark.skipif(not os.path.exists("/usr/bin/make"), reason="make is not installed")
def test_makefile_rejects_unknown_environment(production: Path) -> None:
    result = subprocess.run(["make", "-C", str(production), "plan", "ENV=qa"], capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "ENV must be one of: dev staging prod" in result.stderr
    dry = subprocess.run(["make", "-n", "-C", str(production), "plan", "ENV=prod"], capture_output=True, text=True, check=False)
    assert "terraform -chdir=infra/envs/prod plan -out=tfplan" in dry.stdout
