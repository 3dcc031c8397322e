"""The state-bootstrap root of one Azure environment.

The azurerm backend needs its storage account before any environment root can use it, so this small root
keeps its own state locally (back up infra/bootstrap/<env>/terraform.tfstate).
"""

from __future__ import annotations

from mlgen.clouds.azure import naming
from mlgen.clouds.azure.environment_root import COMMON_INPUTS, MODULES, root_locals
from mlgen.clouds.azure.root_blocks import TERRAFORM_VERSION, azurerm_provider, outputs, terraform_root
from mlgen.clouds.base import TerraformRoot
from mlgen.plan import EnvironmentPlan
from mlgen.render.root_model import ModuleCall, RootModule

# Soft delete of state blobs (days): long enough to notice a bad apply over a holiday.
STATE_SOFT_DELETE_DAYS = 30


def bootstrap_root(project: str, env: EnvironmentPlan) -> TerraformRoot:
    state = ModuleCall(
        "state",
        f"{MODULES}/state_bootstrap",
        {
            **COMMON_INPUTS,
            "location": env.region,
            "resource_group_name": naming.state_resource_group(env),
            "storage_account_name": env.state.bucket,
            "key_vault_name": naming.state_key_vault(project, env.name, env.account_id),
            "encryption_identity_name": naming.state_encryption_identity(env),
            "replication_type": "ZRS",
            "soft_delete_retention_days": STATE_SOFT_DELETE_DAYS,
            "deletion_protection": env.deletion_protection,
        },
    )
    root_outputs = [
        (
            "state_storage_account_name",
            "module.state.storage_account_name",
            "Storage account that holds the environment's Terraform state.",
        ),
        ("state_container_name", "module.state.container_name", "Container of the state blobs."),
        (
            "backend_config",
            "module.state.backend_config",
            "Settings for the environment root's azurerm backend.",
        ),
    ]
    return terraform_root(
        RootModule(
            directory=f"infra/bootstrap/{env.name}",
            required_version=TERRAFORM_VERSION,
            providers=(azurerm_provider(env),),
            backend=None,
            locals=root_locals(project, env),
            modules=(state,),
            outputs=outputs(root_outputs),
        )
    )
