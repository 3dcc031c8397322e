"""What Azure offers, as the spec checks it (no Terraform adapter yet: specs validate, generate refuses)."""

from __future__ import annotations

from mlgen.clouds.capability_types import CloudCapabilities, IdFormat, NameLimits

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
    # Azure ML compute sizes; no L4 and no A10G.
    gpu_counts={"t4": (1, 4), "a100": (1, 2, 4, 8), "h100": (1, 2, 8)},
    serverless_serving=False,  # Azure ML online endpoints keep at least one instance
    log_retention_days=None,
    log_service="Azure Monitor Logs",
    budget_currencies=("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR", "BRL"),
    account_id=IdFormat(UUID, "an Azure subscription id (a lower-case UUID)"),
    principal=IdFormat(UUID, "an Entra ID object id (a lower-case UUID)"),
    state_backend="azurerm",
    name_limits=NameLimits(project=24, zone=32, endpoint=32, variant=32),
    placeholder_accounts={
        "dev": "00000000-0000-0000-0000-000000000001",
        "staging": "00000000-0000-0000-0000-000000000002",
        "prod": "00000000-0000-0000-0000-000000000003",
    },
    generated=False,
)
