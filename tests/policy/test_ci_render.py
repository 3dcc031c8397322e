"""The generated CI files: valid YAML, SHA-pinned actions, minimal permissions, OIDC-only plans, and a
workflow that passes checkov's github_actions checks."""

from __future__ import annotations

import copy
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from tests.policy.projects import CI_CONTEXT

from mlgen.render.ci import PRE_COMMIT_PATH, WORKFLOW_PATH, CiContextError, render_ci_files

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(text: str) -> Any:
    return YAML(typ="safe").load(StringIO(text))


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return render_ci_files(CI_CONTEXT)


@pytest.fixture(scope="module")
def workflow(files: dict[str, str]) -> dict[str, Any]:
    return load(files[WORKFLOW_PATH])


def all_steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_renders_exactly_the_two_ci_files(files: dict[str, str]) -> None:
    assert sorted(files) == [".github/workflows/mlgen-checks.yml", ".pre-commit-config.yaml"]


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_tag(
    files: dict[str, str], workflow: dict
) -> None:
    uses_lines = [
        line.split("uses: ", 1)[1] for line in files[WORKFLOW_PATH].splitlines() if "uses: " in line
    ]
    assert uses_lines and all(PINNED.match(line) for line in uses_lines), uses_lines
    assert all(re.search(r"@[0-9a-f]{40}$", step["uses"]) for step in all_steps(workflow) if "uses" in step)


def test_permissions_are_minimal_with_per_job_additions(workflow: dict) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["policy"]["permissions"] == {"contents": "read", "security-events": "write"}
    assert "permissions" not in jobs["validate"]  # inherits contents: read
    assert "permissions" not in jobs["fmt"]
    assert "permissions" not in jobs["images"]  # lint and build hold no cloud credentials
    oidc = ["plan-dev", "apply-dev", "push-images-dev", "plan-prod", "apply-prod", "push-images-prod"]
    for name in oidc:
        assert jobs[name]["permissions"] == {"contents": "read", "id-token": "write"}
    assert [name for name, job in jobs.items() if "id-token" in job.get("permissions", {})] == oidc


def test_runs_on_pull_requests_with_pinned_mlgen_and_uploads_sarif(workflow: dict) -> None:
    assert "pull_request" in workflow["on"]
    runs = [step.get("run", "") for step in workflow["jobs"]["policy"]["steps"]]
    assert 'python -m pip install "mlgen[check]==0.1.0"' in runs
    assert "mlgen check --format sarif --output mlgen.sarif" in runs
    upload = next(s for s in workflow["jobs"]["policy"]["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "mlgen.sarif"
    assert upload["if"].startswith("always()")


def test_validate_matrix_covers_every_environment(workflow: dict) -> None:
    validate = workflow["jobs"]["validate"]
    assert [row["environment"] for row in validate["strategy"]["matrix"]["include"]] == [
        "dev",
        "staging",
        "prod",
    ]
    runs = [step.get("run") for step in validate["steps"]]
    assert runs[-2:] == ["terraform init -backend=false -input=false", "terraform validate -no-color"]
    # fmt once over the whole Terraform directory (roots and modules), not per root
    assert workflow["jobs"]["fmt"]["steps"][-1]["run"] == "terraform fmt -check -recursive ."


def test_plan_uses_oidc_only_when_the_role_variable_is_set(workflow: dict) -> None:
    jobs = workflow["jobs"]
    assert "plan-staging" not in jobs  # plan disabled for staging
    plan = jobs["plan-prod"]
    assert plan["if"] == "${{ vars.MLGEN_CI_PLAN_ROLE_ARN_PROD != '' }}"
    credentials = next(s for s in plan["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert credentials["with"] == {
        "role-to-assume": "${{ vars.MLGEN_CI_PLAN_ROLE_ARN_PROD }}",
        "role-session-name": "mlgen-plan-prod",
        "aws-region": "eu-central-1",
    }
    text = str(workflow)
    assert "aws-access-key-id" not in text and "secrets." not in text
    assert plan["steps"][-1]["run"] == "terraform plan -input=false -lock-timeout=5m -no-color"
    apply = jobs["apply-prod"]
    assert apply["environment"] == "prod" and apply["needs"] == "plan-prod"
    assert "vars.MLGEN_CI_APPLY_ROLE_ARN_PROD" in str(apply["steps"])


def test_images_are_linted_and_built_on_pull_requests_and_pushed_only_with_the_apply_role(
    workflow: dict,
) -> None:
    jobs = workflow["jobs"]
    images = jobs["images"]
    assert images["strategy"]["matrix"]["image"] == ["training", "serving"]
    assert "if" not in images  # every pull request
    lint = next(s for s in images["steps"] if "hadolint/hadolint-action@" in s.get("uses", ""))
    assert lint["with"]["dockerfile"] == "${{ matrix.image }}/Dockerfile"
    assert images["steps"][-1]["run"].startswith("docker build --pull ")
    push = jobs["push-images-prod"]
    assert push["needs"] == "images" and push["environment"] == "prod"
    # The same gate as apply: never a pull request, only a dispatch on the default branch.
    assert push["if"] == jobs["apply-prod"]["if"]
    assert "github.event_name == 'workflow_dispatch'" in push["if"]
    credentials = next(s for s in push["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert credentials["with"]["role-to-assume"] == "${{ vars.MLGEN_CI_APPLY_ROLE_ARN_PROD }}"
    runs = [step.get("run") for step in push["steps"]]
    assert runs[-2:] == ["mlgen images build --env prod", "mlgen images push --env prod"]
    assert 'python -m pip install "mlgen[aws]==0.1.0"' in runs
    assert "push-images-staging" not in jobs  # no CI roles for staging


def test_checkout_never_persists_credentials(workflow: dict) -> None:
    checkouts = [s for s in all_steps(workflow) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_workflow_passes_checkovs_github_actions_checks(files: dict[str, str], tmp_path: Path) -> None:
    from mlgen.policy.checkov_scan import scan_with_checkov

    target = tmp_path / WORKFLOW_PATH
    target.parent.mkdir(parents=True)
    target.write_text(files[WORKFLOW_PATH], encoding="utf-8")
    findings = scan_with_checkov(tmp_path, ("github_actions",))
    assert findings, "checkov found no workflow to check"
    assert [f for f in findings if f.status != "passed"] == []
    assert {"CKV2_GHA_1", "CKV_GHA_2", "CKV_GHA_7"} <= {f.check_id for f in findings}


def test_pre_commit_runs_terraform_fmt_and_mlgen_check_locally(files: dict[str, str]) -> None:
    config = load(files[PRE_COMMIT_PATH])
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert hooks["terraform-fmt"]["entry"] == "terraform fmt -recursive"
    assert hooks["mlgen-check"]["entry"] == "mlgen check"
    assert all(hook["language"] == "system" for hook in hooks.values())


def test_files_say_they_are_generated_and_how_to_regenerate(files: dict[str, str]) -> None:
    for text in files.values():
        assert text.startswith("# Generated by mlgen 0.1.0 for fraud-detect.")
        assert "mlgen generate" in text.splitlines()[0]


def test_same_context_same_bytes() -> None:
    assert render_ci_files(copy.deepcopy(CI_CONTEXT)) == render_ci_files(copy.deepcopy(CI_CONTEXT))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cloud": "aws-gov"}, "cloud"),
        ({"environments": []}, "environments"),
        ({"mlgen_version": "latest"}, "mlgen_version"),
        ({"environments": [{"name": "dev"}]}, "environments[0].region"),
        ({"environments": [{"name": "dev", "region": "eu-west-1"}] * 2}, "unique"),
    ],
)
def test_bad_context_is_rejected_with_the_field_named(change: dict, message: str) -> None:
    with pytest.raises(CiContextError, match=re.escape(message)):
        render_ci_files({**CI_CONTEXT, **change})


def test_a_plan_for_a_cloud_without_a_plan_job_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every cloud has a plan job now; pretend this one has none, to keep the refusal path honest.
    import mlgen.render.ci

    monkeypatch.setattr(mlgen.render.ci, "has_plan_job", lambda cloud: False)
    with pytest.raises(CiContextError, match="OIDC plan"):
        render_ci_files(copy.deepcopy(CI_CONTEXT))


def test_clouds_without_oidc_plan_get_checks_and_validate_only(tmp_path: Path) -> None:
    context = {
        "project": "vision",
        "cloud": "gcp",
        "mlgen_version": "0.1.0",
        "environments": [{"name": "dev", "region": "europe-west4", "plan": False, "path": "infra/dev"}],
    }
    files = render_ci_files(context)
    workflow = load(files[WORKFLOW_PATH])
    assert sorted(workflow["jobs"]) == ["fmt", "images", "policy", "validate"]
    assert workflow["jobs"]["validate"]["strategy"]["matrix"]["include"] == [
        {"environment": "dev", "path": "infra/dev"}
    ]
    assert "id-token" not in files[WORKFLOW_PATH]


CDKTF_CONTEXT = {
    **CI_CONTEXT,
    "terraform_dir": "infra",
    "cdktf_app": "infra/cdktf",
    "environments": [
        {**env, "path": f"infra/cdktf/cdktf.out/stacks/envs-{env['name']}"}
        for env in CI_CONTEXT["environments"]
    ],
}


def _synthesizes_before_terraform(job: dict[str, Any], app: str) -> bool:
    """The job runs the app (python main.py in its folder) before its first terraform step."""
    runs = [(step.get("working-directory"), step.get("run") or "") for step in job["steps"]]
    synth = [i for i, (where, run) in enumerate(runs) if where == app and "python main.py" in run]
    terraform = [i for i, (_, run) in enumerate(runs) if run.startswith("terraform ")]
    return bool(synth and terraform) and synth[0] < terraform[0]


def test_cdktf_workflow_synthesizes_before_terraform_runs_in_the_stacks(tmp_path: Path) -> None:
    files = render_ci_files(CDKTF_CONTEXT)
    workflow = load(files[WORKFLOW_PATH])
    jobs = workflow["jobs"]
    stacks = [row["path"] for row in jobs["validate"]["strategy"]["matrix"]["include"]]
    assert stacks == [f"infra/cdktf/cdktf.out/stacks/envs-{name}" for name in ("dev", "staging", "prod")]
    for name in ("validate", "plan-dev", "apply-dev", "plan-prod", "apply-prod"):
        assert _synthesizes_before_terraform(jobs[name], "infra/cdktf"), name
    for name in ("plan-prod", "apply-prod"):
        steps = jobs[name]["steps"]
        assert jobs[name]["defaults"]["run"]["working-directory"] == "infra/cdktf/cdktf.out/stacks/envs-prod"
        credentials = next(i for i, s in enumerate(steps) if "configure-aws-credentials" in s.get("uses", ""))
        synth = next(i for i, s in enumerate(steps) if "python main.py" in s.get("run", ""))
        assert synth < credentials, f"{name}: the app is installed and run before any credentials exist"
    policy_runs = [step.get("run", "") for step in jobs["policy"]["steps"]]
    assert "python -m pip install -r infra/cdktf/requirements.txt" in policy_runs
    assert "infra/envs/" not in files[WORKFLOW_PATH]
    uses_lines = [
        line.split("uses: ", 1)[1] for line in files[WORKFLOW_PATH].splitlines() if "uses: " in line
    ]
    assert all(PINNED.match(line) for line in uses_lines), uses_lines
    # The HCL workflow has none of it.
    assert "python main.py" not in render_ci_files(CI_CONTEXT)[WORKFLOW_PATH]
    target = tmp_path / WORKFLOW_PATH
    target.parent.mkdir(parents=True)
    target.write_text(files[WORKFLOW_PATH], encoding="utf-8")
    from mlgen.policy.checkov_scan import scan_with_checkov

    findings = scan_with_checkov(tmp_path, ("github_actions",))
    assert findings and [f for f in findings if f.status != "passed"] == []
