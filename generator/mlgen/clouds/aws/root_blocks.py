"""Root-level HCL shared by every AWS root: terraform settings, the provider, and outputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mlgen.plan import EnvironmentPlan
from mlgen.render.hcl_emitter import Block, Expr, render_block, render_file

TERRAFORM_VERSION = ">= 1.10.0, < 2.0.0"  # 1.10 brought S3 native state locking (use_lockfile)
AWS_PROVIDER_VERSION = "~> 6.0"  # hashicorp/aws 6.x; the modules are written against its schema


def terraform_block(backend: Mapping[str, Any] | None) -> str:
    body: dict[str, Any] = {
        "required_version": TERRAFORM_VERSION,
        "required_providers": Block({"aws": {"source": "hashicorp/aws", "version": AWS_PROVIDER_VERSION}}),
    }
    if backend is not None:
        body["backend"] = Block(dict(backend), labels=["s3"])
    return render_block("terraform", [], body)


def provider_block(environment: EnvironmentPlan) -> str:
    # allowed_account_ids makes the provider refuse credentials for any other account, so a plan for
    # prod can never run against dev's account by accident; default_tags tag everything the provider makes.
    return render_block(
        "provider",
        ["aws"],
        {
            "region": environment.region,
            "allowed_account_ids": [environment.account_id],
            "default_tags": Block({"tags": dict(environment.tags)}),
        },
    )


def outputs_file(outputs: list[tuple[str, str, str]]) -> str:
    """``outputs`` holds (name, HCL expression, description) triples."""
    return render_file(
        render_block("output", [name], {"description": description, "value": Expr(expression)})
        for name, expression, description in outputs
    )
