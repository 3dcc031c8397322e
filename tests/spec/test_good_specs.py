"""Specs that load: blueprints, initial specs, defaults, overrides and precedence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.spec.conftest import VALID_AWS

from mlgen.cli import main
from mlgen.clouds import UnsupportedCloudError, supported_clouds
from mlgen.plan import resolve_plan
from mlgen.spec import blueprint_names, describe_blueprint, load_blueprint, load_spec, render_initial_spec
from mlgen.spec.blueprints import blueprint_environments

REPO_ROOT = Path(__file__).resolve().parents[2]
CLOUD_REGIONS = {"aws": "eu-west-1", "gcp": "europe-west4", "azure": "westeurope"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mlgen.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("cloud", sorted(CLOUD_REGIONS))
@pytest.mark.parametrize("blueprint", ["starter", "production"])
def test_initial_spec_of_every_blueprint_loads_and_resolves(tmp_path, blueprint, cloud):
    text = render_initial_spec("fraud-detect", cloud, CLOUD_REGIONS[cloud], blueprint)
    spec = load_spec(write(tmp_path, text))
    if cloud not in supported_clouds():  # valid, but no adapter to name its state or build it yet
        with pytest.raises(UnsupportedCloudError, match=f"cloud {cloud!r} is not supported yet"):
            resolve_plan(spec)
        return
    plan = resolve_plan(spec)
    assert list(plan.environments) == list(blueprint_environments(blueprint))
    assert plan.blueprint == blueprint and plan.cloud == cloud
    cidrs = [env.network.cidr for env in plan.environments.values()]
    assert len(set(cidrs)) == len(cidrs)


def test_initial_spec_is_deterministic_and_marks_placeholders():
    first = render_initial_spec("fraud-detect", "aws", "eu-west-1", "production", owner="risk@example.com")
    again = render_initial_spec("fraud-detect", "aws", "eu-west-1", "production", owner="risk@example.com")
    assert first == again
    assert first.count("# REPLACE") == 3
    assert 'account_id: "333333333333"' in first


def test_initial_spec_uses_given_accounts(tmp_path):
    text = render_initial_spec(
        "fraud-detect", "aws", "eu-west-1", "starter", account_ids={"dev": "444444444444"}
    )
    assert "# REPLACE" not in text
    assert load_spec(write(tmp_path, text)).environments["dev"].account_id == "444444444444"


def test_starter_defaults_have_the_lowest_idle_cost(tmp_path):
    text = render_initial_spec("demo-app", "aws", "us-east-1", "starter")
    env = resolve_plan(load_spec(write(tmp_path, text))).environments["dev"]
    assert env.network.nat == "none" and env.network.private_endpoints
    assert [endpoint.serverless for endpoint in env.serving.endpoints] == [True]
    assert env.training.gpu == "t4" and env.training.spot and env.training.platform == "managed"
    assert env.deletion_protection is False


def test_production_defaults_differ_per_environment(tmp_path):
    plan = resolve_plan(load_spec(write(tmp_path, VALID_AWS)))
    dev, staging, prod = (plan.environments[name] for name in ("dev", "staging", "prod"))
    assert (dev.network.nat, staging.network.nat, prod.network.nat) == ("single", "single", "per_az")
    assert prod.network.az_count == 3
    assert [(v.name, v.weight) for v in prod.serving.endpoints[0].variants] == [("blue", 90), ("green", 10)]
    assert dev.serving.endpoints[0].variants == []
    assert (dev.deletion_protection, staging.deletion_protection, prod.deletion_protection) == (
        False,
        False,
        True,
    )
    assert prod.budgets.monthly_amount == 10000 and dev.budgets.monthly_amount == 3000


def test_precedence_blueprint_then_top_level_then_environment_override(tmp_path):
    spec = (
        VALID_AWS.replace(
            '    account_id: "111111111111"\n',
            '    account_id: "111111111111"\n    training: {gpu: l4}\n',
        )
        + "training:\n  gpu: a10g\n  nodes: 2\nnetwork:\n  nat: single\n"
    )
    plan = resolve_plan(load_spec(write(tmp_path, spec)))
    # environment override beats the top level; the top level beats the blueprint
    assert plan.environments["dev"].training.gpu == "l4"
    assert plan.environments["staging"].training.gpu == "a10g"
    assert plan.environments["dev"].training.nodes == 2
    # the user's top level beats the blueprint's own prod override (per_az)
    assert plan.environments["prod"].network.nat == "single"
    # untouched keys keep the blueprint's per-environment defaults
    assert plan.environments["prod"].network.az_count == 3
    assert plan.environments["prod"].training.gpus_per_node == 4


def test_lists_replace_instead_of_merging(tmp_path):
    spec = VALID_AWS + "storage:\n  zones: [raw, artifacts]\nserving:\n  endpoints:\n    - name: scoring\n"
    plan = resolve_plan(load_spec(write(tmp_path, spec)))
    assert plan.environments["dev"].storage.zones == ["raw", "artifacts"]
    # the user's endpoint list replaces the blueprint's, in prod too (no canary variants leak in)
    assert [e.name for e in plan.environments["prod"].serving.endpoints] == ["scoring"]
    assert plan.environments["prod"].serving.endpoints[0].variants == []


def test_deletion_protection_defaults_to_prod_only_when_the_blueprint_has_no_such_environment(tmp_path):
    text = render_initial_spec("demo-app", "aws", "us-east-1", "starter")
    text = text.replace("environments:\n", 'environments:\n  prod:\n    account_id: "999999999999"\n')
    spec = load_spec(write(tmp_path, text))
    assert spec.environments["prod"].deletion_protection is True
    assert spec.environments["dev"].deletion_protection is False


def test_blueprint_without_a_name_means_starter(tmp_path):
    spec = VALID_AWS.replace("blueprint: production\n", "").replace(
        '  staging:\n    account_id: "222222222222"\n', ""
    )
    spec = spec.replace('  prod:\n    account_id: "333333333333"\n', "")
    assert load_spec(write(tmp_path, spec)).blueprint == "starter"


def test_every_blueprint_has_a_description_and_every_section():
    assert blueprint_names() == ("production", "starter")
    for name in blueprint_names():
        assert describe_blueprint(name).startswith(f"{name}: ")
        assert {"network", "storage", "training", "serving", "budgets", "state"} <= set(load_blueprint(name))


def test_validate_prints_a_summary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, VALID_AWS)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output == "✓ mlgen.yaml is valid: 3 environments (dev, staging, prod) on aws/eu-west-1\n"


def test_blueprints_list_and_show():
    listed = CliRunner().invoke(main, ["blueprints", "list"])
    assert listed.exit_code == 0
    assert listed.output.splitlines()[1].startswith("starter     one dev environment")
    shown = CliRunner().invoke(main, ["blueprints", "show", "production"])
    assert shown.exit_code == 0
    assert shown.output == (REPO_ROOT / "blueprints" / "production.yaml").read_text(encoding="utf-8")


def test_blueprints_show_unknown_name_suggests_the_closest():
    result = CliRunner().invoke(main, ["blueprints", "show", "prod"])
    assert result.exit_code == 2
    assert "unknown blueprint 'prod'" in result.output
    assert "did you mean 'production'? available: production, starter" in result.output


def test_help_does_not_import_the_spec_package():
    code = (
        "import sys; from mlgen.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n"
        "print('mlgen.spec' in sys.modules, 'ruamel.yaml' in sys.modules, 'pydantic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={"PYTHONPATH": str(REPO_ROOT / "generator")},
        timeout=60,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "False False False"


def test_load_spec_text_reports_problems_under_the_given_name():
    from mlgen.spec import SpecError, load_spec_text

    text = render_initial_spec("fraud-detect", "aws", "eu-west-1", "starter")
    assert load_spec_text(text).project == "fraud-detect"
    with pytest.raises(SpecError) as raised:
        load_spec_text(text.replace("region: eu-west-1", "region: eu-west-7"), "new/mlgen.yaml")
    assert raised.value.exit_code == 2
    assert [problem.render().splitlines()[0] for problem in raised.value.problems] == [
        "new/mlgen.yaml:7:9: region: unknown aws region 'eu-west-7'"
    ]


def test_anchors_merge_keys_and_empty_sections_are_understood(tmp_path):
    spec = VALID_AWS.replace(
        '  dev:\n    account_id: "111111111111"\n',
        '  dev: &env\n    account_id: "111111111111"\n    training: {gpu: a10g, nodes: 2}\n',
    ).replace(
        '  prod:\n    account_id: "333333333333"\n', '  prod:\n    <<: *env\n    account_id: "333333333333"\n'
    )
    plan = resolve_plan(load_spec(write(tmp_path, spec + "network:\naccess:\n")))
    assert (plan.environments["prod"].training.gpu, plan.environments["prod"].training.nodes) == ("a10g", 2)
    assert plan.environments["prod"].account_id == "333333333333"
    assert plan.environments["prod"].network.nat == "per_az"  # `network:` left empty overrides nothing


def test_gcp_placeholder_projects_are_valid_for_the_longest_project_name(tmp_path):
    text = render_initial_spec("a-very-long-project-name", "gcp", "europe-west4", "production")
    assert (
        load_spec(write(tmp_path, text)).environments["staging"].account_id == "a-very-long-project-n-staging"
    )
