"""Fixture projects for the policy tests: paths, the CI context, and planting violations into a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CLEAN_PROJECT = FIXTURES / "clean_project"
POLICY_FIXTURES = FIXTURES / "policies"
SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-2.1.0.json"

CI_CONTEXT = {
    "project": "fraud-detect",
    "cloud": "aws",
    "mlgen_version": "0.1.0",
    "environments": [
        {"name": "dev", "region": "eu-west-1", "plan": True},
        {"name": "staging", "region": "eu-west-1", "plan": False},
        {"name": "prod", "region": "eu-central-1", "plan": True, "plan_role_output": "ci_plan_role_arn"},
    ],
}


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit a fixture copy; fail loudly if the fixture no longer has the text (the edit would be void)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected exactly one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def copy_clean_project(destination: Path, with_ci: bool = True) -> Path:
    project = destination / "project"
    shutil.copytree(CLEAN_PROJECT, project)
    if with_ci:
        from mlgen.render.ci import render_ci_files

        for relative, text in render_ci_files(CI_CONTEXT).items():
            target = project / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return project


# (file, resource) of each planted violation, by the policy that must catch it.
PLANTED = {
    ("MLG001", "environments/dev/main.tf", "aws.default"),
    # the unbounded maximum shows both at the module call and on the resource it reaches
    ("MLG003", "environments/dev/main.tf", "serving"),
    ("MLG003", "modules/aws/serving/main.tf", "module.serving.aws_appautoscaling_target.endpoint"),
    ("MLG005", "modules/aws/storage/main.tf", "module.storage.aws_s3_bucket.scratch"),
    ("MLG007", "modules/aws/iam/main.tf", "module.iam.aws_iam_policy_document.training"),
    ("MLG008", "images/training/Dockerfile", "images/training/Dockerfile.FROM"),
}


def plant_violations(project: Path) -> None:
    replace_once(project / "environments/dev/main.tf", '      cost-center = "cc-1234"\n', "")
    replace_once(project / "environments/dev/main.tf", "max_replicas = 4", "max_replicas = 100000")
    storage = project / "modules/aws/storage/main.tf"
    storage.write_text(
        storage.read_text(encoding="utf-8")
        + '\nresource "aws_s3_bucket" "scratch" {\n  bucket = "${var.name}-scratch"\n}\n',
        encoding="utf-8",
    )
    replace_once(project / "images/training/Dockerfile", "FROM python:3.11.9-slim\n", "FROM python:latest\n")
    replace_once(project / "modules/aws/iam/main.tf", '"s3:GetObject", "s3:PutObject"', '"s3:*"')
