"""What Azure offers, as the spec checks it; the adapter (adapter.py) builds exactly this."""

from __future__ import annotations

from mlgen.clouds.azure.catalog import TRAINING_SIZES
from mlgen.clouds.capability_types import CiIdentity, CloudCapabilities, IdFormat, NameLimits

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

CAPABILITIES = CloudCapabilities(
    cloud="azure",
    regions=(
        "australiaeast",
        "australiasoutheast",
        "brazilsouth",
        "canadacentral",
        "canadaeast",
        "centralindia",
        "centralus",
        "eastasia",
        "eastus",
        "eastus2",
        "francecentral",
        "germanywestcentral",
        "israelcentral",
        "italynorth",
        "japaneast",
        "japanwest",
        "koreacentral",
        "mexicocentral",
        "northcentralus",
        "northeurope",
        "norwayeast",
        "polandcentral",
        "qatarcentral",
        "southafricanorth",
        "southcentralus",
        "southeastasia",
        "southindia",
        "spaincentral",
        "swedencentral",
        "switzerlandnorth",
        "uaenorth",
        "uksouth",
        "ukwest",
        "westcentralus",
        "westeurope",
        "westus",
        "westus2",
        "westus3",
    ),
    default_region="westeurope",
    # Derived from the VM-size table the adapter picks from (no L4 and no A10G on Azure ML), so validate
    # accepts exactly the counts generate can map to a size.
    gpu_counts={kind: tuple(sorted(sizes)) for kind, sizes in TRAINING_SIZES.items()},
    serverless_serving=False,  # Azure ML online endpoints keep at least one instance
    # Managed online endpoints take Entra ID tokens (AADToken) or endpoint keys (Key): catalog.ENDPOINT_AUTH_MODES
    endpoint_auth_modes=("identity", "key"),
    log_retention_days=None,
    log_service="Azure Monitor Logs",
    budget_currencies=("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR", "BRL"),
    account_id=IdFormat(UUID, "an Azure subscription id (a lower-case UUID)"),
    principal=IdFormat(UUID, "an Entra ID object id (a lower-case UUID)"),
    state_backend="azurerm",
    # project: 21, because Azure ML workspace names are at most 33 characters and naming.workspace is
    # mlw-<project>-<environment> ("-staging" is the longest suffix). Global names (storage, vault, registry)
    # are shortened and hashed, so they fit for any project.
    name_limits=NameLimits(project=21, zone=32, endpoint=32, variant=32),
    placeholder_accounts={
        "dev": "00000000-0000-0000-0000-000000000001",
        "staging": "00000000-0000-0000-0000-000000000002",
        "prod": "00000000-0000-0000-0000-000000000003",
    },
    generated=True,
    # CI jobs log in with federated credentials of user-assigned managed identities (no secrets); the
    # environment root outputs their client ids.
    ci_identity=CiIdentity(
        noun="managed identity client ids",
        variable_kind="CLIENT_ID",
        plan_output="ci_plan_client_id",
        apply_output="ci_apply_client_id",
    ),
    ci_action_pins={"azure/login": ("a457da9ea143d694b1b9c7c869ebb04ebe844ef5", "v2.3.0")},
)
