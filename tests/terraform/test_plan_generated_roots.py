"""Every root of every golden example and of every blueprint passes `terraform init`, `validate` and
`plan -refresh=false` against the harness's providers (docs/terraform-harness.md), with the default
variables and again with `serving_release` set. Zero errors; zero warnings but the lock-file note.

Wall time: about 2-3 minutes on 2 cores (24 plans, two at a time)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.terraform_harness import Harness, PlanResult

from mlgen.cli import main as mlgen_main

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = sorted(p.stem for p in (REPO_ROOT / "blueprints").glob("*.yaml"))
SERVING_RELEASE = {"image_tag": "v1.0.0", "model_data_url": "s3://models/churn/v1/model.tar.gz"}


def _roots(project: Path) -> list[Path]:
    return sorted(
        p for kind in ("bootstrap", "envs") for p in (project / "infra" / kind).iterdir() if p.is_dir()
    )


def _serves(root: Path) -> bool:
    text = "".join(tf.read_text() for tf in root.glob("*.tf"))
    return re.search(r'variable\s+"serving_release"', text) is not None


@pytest.fixture(scope="session")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    # A format: cdktf example has no HCL roots; its synthesized stacks are planned in test_plan_cdktf_stacks.py.
    found = {
        f"examples/{p.name}": p
        for p in sorted((REPO_ROOT / "examples").iterdir())
        if p.is_dir() and (p / "infra/envs").is_dir() and not (p / "infra/cdktf/cdktf.json").is_file()
    }
    work = tmp_path_factory.mktemp("blueprints")
    for blueprint in BLUEPRINTS:
        target = work / f"bp-{blueprint}"
        result = CliRunner().invoke(
            mlgen_main, ["init", str(target), "--cloud", "aws", "--blueprint", blueprint], input=""
        )
        assert result.exit_code == 0, result.output
        found[f"blueprint {blueprint}"] = target
    return found


@pytest.fixture(scope="session")
def plans(harness: Harness, projects: dict[str, Path]) -> dict[str, PlanResult]:
    jobs: dict[str, tuple[Path, dict | None]] = {}
    for name, project in projects.items():
        for root in _roots(project):
            label = f"{name}: {root.relative_to(project / 'infra')}"
            jobs[label] = (root, None)
            if _serves(root):
                jobs[f"{label} with serving_release"] = (root, {"serving_release": SERVING_RELEASE})
    results = harness.plan_many(list(jobs.values()), workers=2)
    return dict(zip(jobs, results, strict=True))


def test_every_generated_root_plans_without_errors_or_warnings(plans: dict[str, PlanResult]) -> None:
    failed = [
        f"{label}:\n{result.summary()}" for label, result in plans.items() if result.errors or result.warnings
    ]
    assert not failed, "\n\n".join(failed)
    # Both example families and both blueprints, every environment, each with and without serving.
    assert len(plans) >= 24, sorted(plans)


def test_plans_create_the_landing_zone(plans: dict[str, PlanResult]) -> None:
    for label, result in plans.items():
        assert result.stage == "plan" and result.resources > 0, label
    serving = {label: r for label, r in plans.items() if label.endswith("with serving_release")}
    assert serving
    for label, result in serving.items():
        assert any(a.startswith("module.serving[0].aws_sagemaker_endpoint.") for a in result.planned), label
