"""Root-level settings shared by every Azure root: Terraform version, the provider, and outputs."""

from __future__ import annotations

from mlgen.clouds.base import TerraformRoot
from mlgen.plan import EnvironmentPlan
from mlgen.render.hcl_emitter import Block, Expr
from mlgen.render.root_hcl import render_root_hcl
from mlgen.render.root_model import Output, RequiredProvider, RootModule

TERRAFORM_VERSION = ">= 1.10.0, < 2.0.0"
AZURERM_PROVIDER_VERSION = "~> 4.55"  # the bundled schema (offline plan, conformance) is 4.55.0
# Resource providers the landing zone uses; a subscription owner registers them once (`az provider register`).
REQUIRED_RESOURCE_PROVIDERS = (
    "Microsoft.Consumption",
    "Microsoft.ContainerRegistry",
    "Microsoft.Insights",
    "Microsoft.KeyVault",
    "Microsoft.MachineLearningServices",
    "Microsoft.ManagedIdentity",
    "Microsoft.Network",
    "Microsoft.OperationalInsights",
    "Microsoft.Resources",
    "Microsoft.Storage",
)


def azurerm_provider(environment: EnvironmentPlan) -> RequiredProvider:
    # subscription_id pins every root to the environment's subscription (the azurerm counterpart of
    # allowed_account_ids). storage_use_azuread: shared keys are off everywhere, so data-plane calls (state,
    # the job-defaults blob) use Entra ID. The Key Vault features make a redeploy recover the soft-deleted
    # vault and key instead of colliding with them, and never try to purge (purge protection forbids it).
    return RequiredProvider(
        name="azurerm",
        source="hashicorp/azurerm",
        version=AZURERM_PROVIDER_VERSION,
        config={
            "subscription_id": environment.account_id,
            "storage_use_azuread": True,
            # Registering resource providers needs subscription-wide rights the CI identities do not have
            # (their roles stop at the resource group): REQUIRED_RESOURCE_PROVIDERS are registered once by an
            # owner instead (docs/azure-landing-zone.md).
            "resource_provider_registrations": "none",
            "features": Block(
                {
                    # Application Insights would add a smart-detection rule outside Terraform's state, which
                    # would then keep the resource group from being deleted.
                    "application_insights": Block({"disable_generated_rule": True}),
                    "key_vault": Block(
                        {
                            "purge_soft_delete_on_destroy": False,
                            "purge_soft_deleted_keys_on_destroy": False,
                            "recover_soft_deleted_key_vaults": True,
                            "recover_soft_deleted_keys": True,
                        }
                    ),
                    "resource_group": Block({"prevent_deletion_if_contains_resources": True}),
                }
            ),
        },
    )


def outputs(triples: list[tuple[str, str, str]]) -> tuple[Output, ...]:
    """``triples`` holds (name, HCL expression, description)."""
    return tuple(Output(name, Expr(expression), description) for name, expression, description in triples)


def terraform_root(model: RootModule) -> TerraformRoot:
    return TerraformRoot(directory=model.directory, files=render_root_hcl(model), model=model)
