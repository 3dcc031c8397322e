"""Render the CI files mlgen writes into the user's repository.

``render_ci_files(context)`` takes plain data and returns ``{path: text}``; the writer puts them on
disk. Third-party actions are pinned to full commit SHAs in one table (``ACTION_PINS``; a cloud's own
credentials action in its capabilities), with the release tag kept next to each for humans and update
bots. The plan job of each environment comes from ``templates/<cloud>/ci-plan-job.yml.j2``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mlgen.clouds import CLOUDS, capabilities

if TYPE_CHECKING:
    from mlgen.clouds.capability_types import CiIdentity

WORKFLOW_PATH = ".github/workflows/mlgen-checks.yml"
PRE_COMMIT_PATH = ".pre-commit-config.yaml"
DEFAULT_TERRAFORM_VERSION = "1.11.4"
DEFAULT_PYTHON_VERSION = "3.11"
PLAN_JOB_TEMPLATE = "ci-plan-job.yml.j2"  # per cloud: how a job gets credentials and plans

# action -> (full commit SHA, release tag it points at)
ACTION_PINS: dict[str, tuple[str, str]] = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "hashicorp/setup-terraform": ("b9cd54a3c349d3f38e8881555d616ced269862dd", "v3.1.2"),
    "github/codeql-action/upload-sarif": ("4dd16135b69a43b6c8efb853346f8437d92d3c93", "v3.26.6"),
    "hadolint/hadolint-action": ("54c9adbab1582c2ef04b2016b760714a4bfde3cf", "v3.1.0"),
}

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
_VERSION = re.compile(r"^\d+(\.\d+){1,3}([a-z0-9.+-]*)$")
_OUTPUT_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_PATH = re.compile(r"^[A-Za-z0-9._/-]+$")


class CiContextError(ValueError):
    """The data handed to render_ci_files is incomplete or malformed; the message says which field."""


def has_plan_job(cloud: str) -> bool:
    """Whether the cloud has a plan job template (templates/<cloud>/ci-plan-job.yml.j2)."""
    from mlgen.assets import asset_dir

    return (asset_dir("templates") / cloud / PLAN_JOB_TEMPLATE).is_file()


def role_variable_name(environment: str, duty: str, identity: CiIdentity) -> str:
    """The repository variable with an environment's CI identity (on AWS: MLGEN_CI_PLAN_ROLE_ARN_DEV)."""
    return f"MLGEN_CI_{duty.upper()}_{identity.variable_kind}_" + environment.upper().replace("-", "_")


def _require(value: Any, pattern: re.Pattern[str], field: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise CiContextError(f"{field}: {value!r} is not valid (expected {pattern.pattern})")
    return value


def _environment(raw: Any, index: int, cloud: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CiContextError(f"environments[{index}] must be a mapping")
    name = _require(raw.get("name"), _NAME, f"environments[{index}].name")
    plan = bool(raw.get("plan", True))
    identity = capabilities(cloud).ci_identity
    if plan and (identity is None or not has_plan_job(cloud)):
        planned = ", ".join(c for c in CLOUDS if has_plan_job(c))
        raise CiContextError(f"environments[{index}].plan: OIDC plan is generated for {planned} only")
    region = raw.get("region")
    if region not in capabilities(cloud).regions:
        raise CiContextError(f"environments[{index}].region: {region!r} is not a {cloud} region")
    environment = {
        "name": name,
        "path": _require(raw.get("path", f"environments/{name}"), _PATH, f"environments[{index}].path"),
        "region": region,
        "plan": plan,
    }
    if identity is None:  # no plan job, so nothing in the workflow names the CI identities
        return environment
    return {
        **environment,
        "plan_role_output": _require(
            raw.get("plan_role_output", identity.plan_output),
            _OUTPUT_NAME,
            f"environments[{index}].plan_role_output",
        ),
        "apply_role_output": _require(
            raw.get("apply_role_output", identity.apply_output),
            _OUTPUT_NAME,
            f"environments[{index}].apply_role_output",
        ),
        "plan_role_variable": role_variable_name(name, "plan", identity),
        "apply_role_variable": role_variable_name(name, "apply", identity),
    }


def normalise_context(context: dict[str, Any]) -> dict[str, Any]:
    """Validate the plain-data context and fill in defaults."""
    cloud = context.get("cloud")
    if cloud not in CLOUDS:
        raise CiContextError(f"cloud: {cloud!r} is not one of {', '.join(CLOUDS)}")
    raw_environments = context.get("environments")
    if not isinstance(raw_environments, list) or not raw_environments:
        raise CiContextError(
            "environments: give at least one environment, e.g. [{'name': 'dev', 'region': ...}]"
        )
    environments = [_environment(raw, index, cloud) for index, raw in enumerate(raw_environments)]
    names = [environment["name"] for environment in environments]
    if len(set(names)) != len(names):
        raise CiContextError(f"environments: names must be unique, got {names}")
    identity = capabilities(cloud).ci_identity
    return {
        "project": _require(context.get("project"), _NAME, "project"),
        "cloud": cloud,
        "mlgen_version": _require(context.get("mlgen_version"), _VERSION, "mlgen_version"),
        "terraform_version": _require(
            context.get("terraform_version", DEFAULT_TERRAFORM_VERSION), _VERSION, "terraform_version"
        ),
        "python_version": _require(
            context.get("python_version", DEFAULT_PYTHON_VERSION), _VERSION, "python_version"
        ),
        # terraform fmt -check runs over this whole directory: roots and vendored modules alike.
        "terraform_dir": _require(context.get("terraform_dir", "."), _PATH, "terraform_dir"),
        # A CDKTF app (format: cdktf): jobs synthesize it first, and the environments' paths are its stacks.
        "cdktf_app": (
            None if context.get("cdktf_app") is None else _require(context["cdktf_app"], _PATH, "cdktf_app")
        ),
        "environments": environments,
        # what the CI identity variables hold, in the workflow header's words
        "ci_identity_noun": identity.noun if identity else "",
        "actions": {
            name: {"sha": sha, "tag": tag}
            for name, (sha, tag) in {**ACTION_PINS, **capabilities(cloud).ci_action_pins}.items()
        },
    }


def render_ci_files(context: dict[str, Any]) -> dict[str, str]:
    """``{".github/workflows/mlgen-checks.yml": ..., ".pre-commit-config.yaml": ...}`` for ``context``.

    context: project, cloud, mlgen_version, environments=[{name, region, plan, plan_role_output,
    apply_role_output, path}] (path defaults to environments/<name>, plan to true, the outputs to
    the cloud's ``CiIdentity`` outputs), optional terraform_dir (default "."), terraform_version,
    python_version and cdktf_app (the CDKTF app's folder: every Terraform job synthesizes it first, and
    each environment's path is then its synthesized stack).
    """
    from mlgen.render.templates import render_template

    values = normalise_context(context)
    return {
        WORKFLOW_PATH: render_template("ci/mlgen-checks.yml.j2", trim_blocks=True, **values),
        PRE_COMMIT_PATH: render_template("ci/pre-commit-config.yaml.j2", trim_blocks=True, **values),
    }
