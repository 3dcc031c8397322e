"""`mlgen cost` through the real CLI, the scenario file, MLG009 and the generated files that carry the estimate.

Wall time: about 12 s (one subprocess for the import check, one checkov run over a spec-only project).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import REPO_ROOT
from tests.cost.conftest import EXAMPLES, example_spec, plan_from

from mlgen.cli import main
from mlgen.cost import estimate_plan
from mlgen.cost.budget_check import IDLE_SHARE_LIMIT
from mlgen.policy.idle_cost import idle_cost_findings
from mlgen.policy.report import FAILED, PASSED


def cost(*args: str):
    return CliRunner().invoke(main, ["cost", *args])


def test_cost_prints_every_environment_with_sources_and_runs_fast() -> None:
    start = time.perf_counter()
    result = cost("--spec", str(EXAMPLES["production"]))
    elapsed = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    for name in ("dev (eu-west-1)", "staging (eu-west-1)", "prod (eu-west-1)"):
        assert name in result.output
    assert "https://aws.amazon.com/sagemaker/ai/pricing/ (2026-12-03)" in result.output
    assert "prices: eu-west-1 compiled 2026-12-03" in result.output
    assert elapsed < 1.0


def test_env_and_format_options() -> None:
    result = cost("--spec", str(EXAMPLES["production"]), "--env", "prod", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [env["name"] for env in data["environments"]] == ["prod"]
    result = cost("--spec", str(EXAMPLES["production"]), "--env", "qa")
    assert result.exit_code == 2
    assert "qa not in" in result.output and "dev, staging, prod" in result.output


def test_scenario_file_overrides_globally_and_per_environment(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("training_runs_per_month: 8\nenvironments:\n  prod: {training_runs_per_month: 2}\n")
    base = json.loads(cost("--spec", str(EXAMPLES["production"]), "--format", "json").output)
    more = json.loads(
        cost("--spec", str(EXAMPLES["production"]), "--format", "json", "--scenario", str(scenario)).output
    )

    def training(data, env):
        (line,) = [l for l in data["environments"][env]["usage"] if l["what"].startswith("training")]
        return line["quantity"]

    assert training(more, 0) == 2 * training(base, 0)  # dev: 8 runs instead of 4
    assert training(more, 2) == training(base, 2) / 2  # prod: 2 runs instead of 4
    assert more["scenario"]["prod"]["training_runs_per_month"] == 2


def test_a_bad_scenario_file_names_the_field_and_the_allowed_keys(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("training_runs: 8\nendpoint_load: 3\n")
    result = cost("--spec", str(EXAMPLES["starter"]), "--scenario", str(scenario))
    assert result.exit_code == 2
    assert f"{scenario}: training_runs: Extra inputs are not permitted" in result.output
    assert f"{scenario}: endpoint_load: Input should be less than or equal to 1" in result.output
    assert "allowed keys: training_runs_per_month" in result.output
    assert "Traceback" not in result.output


def test_markdown_compare_shows_the_idle_change_against_a_base_spec(tmp_path: Path) -> None:
    spec = example_spec("starter")
    spec["network"] = {"endpoint_zones": 2}
    changed = tmp_path / "mlgen.yaml"
    plan_from(spec, tmp_path)  # writes tmp_path/mlgen.yaml through the real loader
    result = cost("--spec", str(changed), "--format", "markdown", "--compare", str(EXAMPLES["starter"]))
    assert result.exit_code == 0, result.output
    assert "(+51.10 vs base)" in result.output


def test_cost_imports_no_cloud_sdk() -> None:
    code = (
        # Only what the command loaded: a .pth file may create empty namespace packages (google) at start-up.
        "import sys; before = set(sys.modules); from mlgen.cli import main\n"
        f"try:\n    main(['cost', '--spec', {str(EXAMPLES['starter'])!r}])\nexcept SystemExit as e:\n    assert e.code == 0\n"
        "heavy = [m for m in set(sys.modules) - before if m.split('.')[0] in ('boto3', 'botocore', 'google', 'azure', 'checkov', 'torch', 'mlflow')]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr


def _project(tmp_path: Path, edit=None) -> Path:
    spec = example_spec("starter")
    if edit:
        edit(spec)
    plan_from(spec, tmp_path)
    return tmp_path


def test_mlg009_passes_for_the_blueprint_defaults(tmp_path: Path) -> None:
    findings = idle_cost_findings(_project(tmp_path))
    assert [(f.check_id, f.status, f.resource) for f in findings] == [
        ("MLG009", PASSED, "environments.dev.budgets")
    ]


def test_mlg009_fails_when_idle_cost_eats_the_budget(tmp_path: Path) -> None:
    project = _project(tmp_path, lambda spec: spec.update(budgets={"monthly_amount": 100}))
    (finding,) = idle_cost_findings(project)
    assert finding.status == FAILED and finding.file == "mlgen.yaml"
    lines = (project / "mlgen.yaml").read_text().splitlines()
    assert lines[finding.line - 1].strip() == "dev:"  # points at the environment in the spec
    assert "idle cost 56.83 USD/month is 57% of the 100 USD budget (limit 50%)" in finding.message
    assert "budgets.monthly_amount" in finding.fix
    # At exactly the limit it still passes: 56.83 / 113.66 = 50 %.
    idle = estimate_plan(plan_from(example_spec("starter"), tmp_path, "again.yaml")).environments[0]
    at_limit = _project(
        tmp_path, lambda spec: spec.update(budgets={"monthly_amount": idle.idle_total / IDLE_SHARE_LIMIT})
    )
    assert [f.status for f in idle_cost_findings(at_limit)] == [PASSED]


def test_mlg009_is_silent_without_a_spec(tmp_path: Path) -> None:
    assert idle_cost_findings(tmp_path) == []


def test_generated_readme_idle_column_is_the_estimate(make_plan) -> None:
    estimate = estimate_plan(make_plan("production"))
    readme = (REPO_ROOT / "examples/aws-production/README.md").read_text()
    for env in estimate.environments:
        assert f"| `{env.name}` |" in readme
        assert f"~{env.idle_total:,.2f} USD/month (`mlgen cost`)" in readme


def test_mlgen_check_reports_mlg009_in_its_json_report(tmp_path: Path) -> None:
    # A spec alone: checkov finds nothing to scan, MLG009 still estimates the spec (drift fails: no files).
    pytest.importorskip("checkov")
    project = _project(tmp_path, lambda spec: spec.update(budgets={"monthly_amount": 80}))
    result = CliRunner().invoke(main, ["check", str(project), "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    (failure,) = [f for f in report["failures"] if f["check_id"] == "MLG009"]
    assert failure["file"] == "mlgen.yaml" and "71% of the 80 USD budget" in failure["message"]
    assert report["summary"]["policies"]["MLG009"] == {"failed": 1}


def test_a_cloud_without_an_adapter_is_a_clear_usage_error(tmp_path: Path, monkeypatch) -> None:
    # Every cloud generates now: pretend azure does not, to keep the refusal path honest.
    import mlgen.clouds

    monkeypatch.setattr(mlgen.clouds, "supported_clouds", lambda: ["aws", "gcp"])
    spec = tmp_path / "mlgen.yaml"
    spec.write_text(
        "project: az-demo\ncloud: azure\nregion: westeurope\nblueprint: production\nowner: a@example.com\n"
        "cost_center: cc-1\nenvironments:\n  dev: {account_id: 00000000-0000-0000-0000-000000000001}\n"
        "  staging: {account_id: 00000000-0000-0000-0000-000000000002}\n"
        "  prod: {account_id: 00000000-0000-0000-0000-000000000003}\n"
    )
    result = cost("--spec", str(spec))
    assert result.exit_code == 2, result.output
    assert (
        "no cost estimate: generating Terraform for cloud 'azure' is not supported yet" in result.output
        and "Traceback" not in result.output
    )
