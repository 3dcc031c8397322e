"""Root-level settings shared by every GCP root: Terraform version, the google providers, and outputs."""

from __future__ import annotations

from mlgen.clouds.base import TerraformRoot
from mlgen.clouds.gcp import naming
from mlgen.plan import EnvironmentPlan
from mlgen.render.hcl_emitter import Expr
from mlgen.render.root_hcl import render_root_hcl
from mlgen.render.root_model import Output, RequiredProvider, RootModule

TERRAFORM_VERSION = ">= 1.10.0, < 2.0.0"
# The bundled google and google-beta schemas are 6.50; 6.x has every resource the modules use.
GOOGLE_PROVIDER_VERSION = "~> 6.50"
MODULES = "../../modules/gcp"


def google_providers(environment: EnvironmentPlan, beta: bool = True) -> tuple[RequiredProvider, ...]:
    # project pins every resource to the environment's project (a plan for prod cannot touch dev's);
    # default_labels label everything the provider makes with the plan's tags.
    config = {
        "project": environment.account_id,
        "region": environment.region,
        "default_labels": naming.labels(environment),
        # The attribution label would differ from the spec's labels and show as drift in policy checks.
        "add_terraform_attribution_label": False,
    }
    google = RequiredProvider("google", "hashicorp/google", GOOGLE_PROVIDER_VERSION, config)
    if not beta:
        return (google,)
    # google-beta only for what the GA provider lacks (service identities); same project and labels.
    return (google, RequiredProvider("google-beta", "hashicorp/google-beta", GOOGLE_PROVIDER_VERSION, config))


def outputs(triples: list[tuple[str, str, str]]) -> tuple[Output, ...]:
    """``triples`` holds (name, HCL expression, description)."""
    return tuple(Output(name, Expr(expression), description) for name, expression, description in triples)


def terraform_root(model: RootModule) -> TerraformRoot:
    return TerraformRoot(directory=model.directory, files=render_root_hcl(model), model=model)


def root_locals(project: str, env: EnvironmentPlan) -> dict[str, object]:
    return {
        "project": project,
        "environment": env.name,
        "project_id": env.account_id,
        "labels": naming.labels(env),
    }
