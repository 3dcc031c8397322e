"""The commented mlgen.yaml that `mlgen init` writes (deterministic: same arguments, same text)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from mlgen.clouds import capabilities
from mlgen.spec.blueprints import blueprint_environments, blueprint_summary, load_blueprint

ENVIRONMENT_CIDRS = {"dev": "10.10.0.0/16", "staging": "10.20.0.0/16", "prod": "10.30.0.0/16"}


def _quote(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar


def render_initial_spec(
    project: str,
    cloud: str,
    region: str,
    blueprint: str,
    owner: str = "ml-platform@example.com",
    cost_center: str = "cc-0000",
    account_ids: Mapping[str, str] | None = None,
    environments: tuple[str, ...] | None = None,
    budgets: Mapping[str, int] | None = None,
) -> str:
    """The mlgen.yaml for a new project: the blueprint's environments with placeholder accounts.
    ``budgets`` (environment -> monthly amount) overrides the blueprint's where it is below the cloud's
    idle cost (`mlgen init` computes it with mlgen.cost.budget_check.budgets_that_fit)."""
    envs = environments or blueprint_environments(blueprint)
    accounts = dict(account_ids or {})
    lines = [
        f"# mlgen.yaml: the spec of {project}. `mlgen generate` turns it into Terraform, images and CI;",
        "# `mlgen validate` checks it; `mlgen schema` prints its JSON Schema for editor completion.",
        f"# Blueprint {blueprint}: {blueprint_summary(blueprint)}",
        f"# Every section the blueprint sets can be overridden here; see `mlgen blueprints show {blueprint}`.",
        f"project: {project}",
        f"cloud: {cloud}",
        f"region: {region}",
        f"blueprint: {blueprint}",
        f"owner: {_quote(owner)}",
        f"cost_center: {_quote(cost_center)}",
        "tags: {}                         # extra tags on every resource, e.g. {team: risk}",
        "",
        "environments:",
    ]
    placeholders = capabilities(cloud).placeholder_accounts
    for env in envs:
        # GCP project ids are at most 30 characters and must not end with '-'
        account = accounts.get(env, placeholders[env].format(project=project[:21].rstrip("-")))
        note = "" if env in accounts else "   # REPLACE with the real account of this environment"
        lines += [
            f"  {env}:",
            f"    account_id: {_quote(account)}{note}",
            f"    deletion_protection: {'true' if env == 'prod' else 'false'}",
            "    network:",
            f"      cidr: {ENVIRONMENT_CIDRS[env]}",
        ]
        if budgets and env in budgets:
            lines += [
                f"    # The blueprint's budget leaves too little room above what {cloud} bills idle here",
                "    # (`mlgen cost`): raised so idle stays under a quarter of it (MLG009 fails above half).",
                "    budgets:",
                f"      monthly_amount: {budgets[env]}",
            ]
    lines += _serving_fallback(cloud, blueprint)
    lines += [
        "",
        "# Sections you may want to set now (uncomment):",
        "# access:",
        "#   data_scientist_principals: []   # who may assume the data-scientist role",
        f"#   ci: {{provider: github, repository: your-org/{project}, branches: [main]}}",
        "# budgets:",
        f"#   emails: [{owner}]",
        "# monitoring:",
        f"#   emails: [{owner}]",
    ]
    return "\n".join(lines) + "\n"


def _serving_fallback(cloud: str, blueprint: str) -> list[str]:
    """Blueprint endpoints that are serverless, made dedicated on clouds without serverless inference."""
    endpoints = load_blueprint(blueprint).get("serving", {}).get("endpoints", [])
    if capabilities(cloud).serverless_serving or not any(e.get("serverless") for e in endpoints):
        return []
    lines = [
        "",
        f"# {cloud} has no serverless inference: the smallest dedicated endpoint instead.",
        "serving:",
        "  endpoints:",
    ]
    for endpoint in endpoints:
        lines += [
            f"    - name: {endpoint['name']}",
            f"      size: {endpoint.get('size', 'small')}",
            "      serverless: false",
            "      min_replicas: 1",
            "      max_replicas: 1",
        ]
    return lines
