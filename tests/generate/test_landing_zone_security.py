"""Generated AWS roots and CI after the landing-zone review (issue 15, section 3): what the generator writes.

Wall time: about 15 s (a few `mlgen init` runs and one offline `terraform init` of a backend block).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from tests.conftest import REPO_ROOT
from tests.generate.conftest import init_project, run_cli

TERRAFORM = shutil.which("terraform")
PRODUCTION = REPO_ROOT / "examples" / "aws-production"
STARTER = REPO_ROOT / "examples" / "aws-starter"
RELEASE = "infra/envs/dev/release.auto.tfvars.json"


# ---------------------------------------------------------------- item 3: state encrypted with the CMK


def _backend(root: Path) -> dict[str, str]:
    text = (root / "versions.tf").read_text()
    block = text[text.index('backend "s3" {') : text.index("}", text.index('backend "s3" {'))]
    return dict(re.findall(r"^\s+(\w+)\s+=\s+\"?([^\"\n]+)\"?$", block, flags=re.MULTILINE))


@pytest.mark.parametrize("environment,account", [("dev", "111111111111"), ("prod", "333333333333")])
def test_backend_encrypts_state_with_the_state_key(environment: str, account: str) -> None:
    """Item 3: encrypt = true alone makes the backend write state with SSE-S3 (AES256)."""
    backend = _backend(PRODUCTION / "infra/envs" / environment)
    alias = f"alias/fraud-detect-{environment}-tfstate"
    assert backend["kms_key_id"] == f"arn:aws:kms:eu-west-1:{account}:{alias}"
    # The same alias the bootstrap module creates, and the one the root resolves for the CI roles.
    assert (
        'name          = "alias/${local.prefix}-tfstate"'
        in (REPO_ROOT / "modules/aws/state_bootstrap/main.tf").read_text()
    )
    assert f'name = "{alias}"' in (PRODUCTION / "infra/envs" / environment / "main.tf").read_text()


@pytest.mark.skipif(TERRAFORM is None, reason="terraform binary not on PATH")
def test_terraform_accepts_the_alias_arn_as_backend_key(tmp_path: Path) -> None:
    """Terraform's S3 backend validates kms_key_id; an alias ARN passes, so init stops only at STS."""
    shutil.copy(STARTER / "infra/envs/dev/versions.tf", tmp_path / "versions.tf")
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9",  # nothing listens: credentials check fails fast
        "AWS_MAX_ATTEMPTS": "1",
        "CHECKPOINT_DISABLE": "1",
    }
    result = subprocess.run(
        [TERRAFORM, "init", "-input=false", "-no-color"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    flat = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Invalid KMS Key" not in flat, flat
    assert "GetCallerIdentity" in flat or "STS" in flat, flat


# ---------------------------------------------------------------- item 4 and 14: the workflow


def _workflow(example: Path) -> dict:
    return YAML(typ="safe").load((example / ".github/workflows/mlgen-checks.yml").read_text())


def test_pull_requests_plan_with_the_plan_role_and_applies_need_approval() -> None:
    jobs = _workflow(PRODUCTION)["jobs"]
    for env in ("dev", "staging", "prod"):
        plan, apply = jobs[f"plan-{env}"], jobs[f"apply-{env}"]
        assert f"MLGEN_CI_PLAN_ROLE_ARN_{env.upper()}" in str(plan["steps"]) and "APPLY" not in str(plan)
        assert "environment" not in plan  # a pull request's token says pull_request: only the plan role
        assert apply["environment"] == env  # required reviewers of the GitHub environment approve
        assert "github.event_name == 'workflow_dispatch'" in apply["if"]
        assert apply["needs"] == f"plan-{env}"
        assert f"MLGEN_CI_APPLY_ROLE_ARN_{env.upper()}" in str(apply["steps"])
        assert (
            plan["steps"][-1]["run"].startswith("terraform plan")
            and "-lock=false" not in plan["steps"][-1]["run"]
        )
    main = (PRODUCTION / "infra/envs/prod/main.tf").read_text()
    assert 'environments  = ["prod"]' in main and "pull_requests = true" in main


def test_fmt_check_covers_the_vendored_modules() -> None:
    """Item 14: fmt ran in infra/envs/<env> only, never over infra/modules."""
    for example in (PRODUCTION, STARTER):
        jobs = _workflow(example)["jobs"]
        runs = [step.get("run", "") for job in jobs.values() for step in job["steps"]]
        assert [run for run in runs if "terraform fmt" in run] == ["terraform fmt -check -recursive infra"]


# ---------------------------------------------------------------- item 5: reuse account-wide things


def _with_ci(project: Path, extra: str) -> None:
    spec = project / "mlgen.yaml"
    spec.write_text(
        spec.read_text()
        + f"\naccess:\n  data_scientist_principals: []\n  ci: {{repository: acme/demo{extra}}}\n"
    )


def test_an_existing_github_oidc_provider_is_reused(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    account = re.search(r'account_id: "(\d{12})"', (project / "mlgen.yaml").read_text()).group(1)
    arn = f"arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"
    _with_ci(project, f", oidc_provider_arn: '{arn}'")
    code, output = run_cli("generate", "--spec", str(project / "mlgen.yaml"))
    assert code == 0, output
    assert f'oidc_provider_arn = "{arn}"' in (project / "infra/envs/dev/main.tf").read_text()

    _with_ci(project, ", oidc_provider_arn: 'arn:aws:iam::1:oidc-provider/example.com'")
    code, output = run_cli("validate", "--spec", str(project / "mlgen.yaml"))
    assert code == 2 and "oidc_provider_arn" in output and "Traceback" not in output


def test_the_account_wide_training_log_group_is_not_created_by_default() -> None:
    for example in (PRODUCTION, STARTER):
        assert "manage_training_log_group = false" in (example / "infra/envs/dev/main.tf").read_text()
    variables = (REPO_ROOT / "modules/aws/gpu_compute/variables.tf").read_text()
    block = variables[variables.index('variable "manage_training_log_group"') :]
    assert block[: block.index("}\n")].rstrip().endswith("default     = false")


# ---------------------------------------------------------------- item 6: the committed release file


def test_release_file_is_seeded_once_and_then_owned_by_its_user(tmp_path: Path) -> None:
    project = init_project(tmp_path / "demo", "starter")
    release = project / RELEASE
    assert json.loads(release.read_text()) == {"serving_release": None}
    variables = (project / "infra/envs/dev/variables.tf").read_text()
    assert 'variable "serving_release"' in variables and "release.auto.tfvars.json" in variables

    chosen = {
        "serving_release": {"image_tag": "v7", "model_data_url": "s3://demo-dev-artifacts/m/model.tar.gz"}
    }
    release.write_text(json.dumps(chosen, indent=2, sort_keys=True) + "\n")  # what `mlgen release` writes
    spec = str(project / "mlgen.yaml")
    assert run_cli("generate", "--spec", spec, "--check")[0] == 0  # not drift
    for flags in ((), ("--force",)):
        code, output = run_cli("generate", "--spec", spec, *flags)
        assert code == 0, output
        assert json.loads(release.read_text()) == chosen


def test_readme_names_the_release_file_not_a_missing_variable() -> None:
    readme = (STARTER / "README.md").read_text()
    assert "serving_image_tag" not in readme
    assert "release.auto.tfvars.json" in readme and "serving_release" in readme


def test_gpu_fleet_environments_open_the_key_to_auto_scaling(tmp_path: Path) -> None:
    """Item 13: the generator turns the key statement on exactly where the fleet exists."""
    assert "allow_autoscaling_service_role = false" in (STARTER / "infra/envs/dev/main.tf").read_text()
    project = init_project(tmp_path / "demo", "starter")
    spec = project / "mlgen.yaml"
    spec.write_text(spec.read_text() + "\ntraining: {platform: vm, vm_max_instances: 2}\n")
    code, output = run_cli("generate", "--spec", str(spec))
    assert code == 0, output
    main = (project / "infra/envs/dev/main.tf").read_text()
    assert re.search(r"allow_autoscaling_service_role = true", main) and re.search(
        r"vm_fleet_enabled +\= true", main
    )
