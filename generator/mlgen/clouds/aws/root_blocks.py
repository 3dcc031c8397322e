"""Root-level settings shared by every AWS root: Terraform version, the provider, and outputs."""

from __future__ import annotations

from mlgen.clouds.base import TerraformRoot
from mlgen.plan import EnvironmentPlan
from mlgen.render.hcl_emitter import Block, Expr
from mlgen.render.root_hcl import render_root_hcl
from mlgen.render.root_model import Output, RequiredProvider, RootModule

TERRAFORM_VERSION = ">= 1.10.0, < 2.0.0"  # 1.10 brought S3 native state locking (use_lockfile)
AWS_PROVIDER_VERSION = "~> 6.69"  # >= 6.69, < 7: has aws_sagemaker_mlflow_app; the bundled schema is 6.69


def aws_provider(environment: EnvironmentPlan) -> RequiredProvider:
    # allowed_account_ids makes the provider refuse credentials for any other account, so a plan for
    # prod can never run against dev's account by accident; default_tags tag everything the provider makes.
    return RequiredProvider(
        name="aws",
        source="hashicorp/aws",
        version=AWS_PROVIDER_VERSION,
        config={
            "region": environment.region,
            "allowed_account_ids": [environment.account_id],
            "default_tags": Block({"tags": dict(environment.tags)}),
        },
    )


def outputs(triples: list[tuple[str, str, str]]) -> tuple[Output, ...]:
    """``triples`` holds (name, HCL expression, description)."""
    return tuple(Output(name, Expr(expression), description) for name, expression, description in triples)


def terraform_root(model: RootModule) -> TerraformRoot:
    return TerraformRoot(directory=model.directory, files=render_root_hcl(model), model=model)
