"""What each cloud offers, as far as the spec can check without calling the cloud.

Only facts the spec needs to reject impossible requests early: region names, which abstract GPU kinds a
cloud's managed training offers and in which per-node counts, serverless inference, log retention values.
Instance types live in the cloud adapters, not here.
"""

from __future__ import annotations

CLOUDS: tuple[str, ...] = ("aws", "gcp", "azure")

REGIONS: dict[str, tuple[str, ...]] = {
    "aws": (
        "af-south-1",
        "ap-east-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    ),
    "gcp": (
        "africa-south1",
        "asia-east1",
        "asia-east2",
        "asia-northeast1",
        "asia-northeast2",
        "asia-northeast3",
        "asia-south1",
        "asia-south2",
        "asia-southeast1",
        "asia-southeast2",
        "australia-southeast1",
        "australia-southeast2",
        "europe-central2",
        "europe-north1",
        "europe-southwest1",
        "europe-west1",
        "europe-west10",
        "europe-west12",
        "europe-west2",
        "europe-west3",
        "europe-west4",
        "europe-west6",
        "europe-west8",
        "europe-west9",
        "me-central1",
        "me-central2",
        "me-west1",
        "northamerica-northeast1",
        "northamerica-northeast2",
        "southamerica-east1",
        "southamerica-west1",
        "us-central1",
        "us-east1",
        "us-east4",
        "us-east5",
        "us-south1",
        "us-west1",
        "us-west2",
        "us-west3",
        "us-west4",
    ),
    "azure": (
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
}

GPU_KINDS: tuple[str, ...] = ("t4", "l4", "a10g", "a100", "h100")

# GPUs per node each cloud's managed training offers for a GPU kind (the per-node counts of its GPU
# machine families). A kind missing from a cloud is not offered there: A10G is an AWS-only part (g5),
# Azure ML compute has no L4 sizes, and GCP has neither A10G nor A10.
GPU_COUNTS: dict[str, dict[str, tuple[int, ...]]] = {
    "aws": {"t4": (1, 4, 8), "l4": (1, 4, 8), "a10g": (1, 4, 8), "a100": (8,), "h100": (1, 8)},
    "gcp": {"t4": (1, 2, 4), "l4": (1, 2, 4, 8), "a100": (1, 2, 4, 8), "h100": (1, 2, 4, 8)},
    "azure": {"t4": (1, 4), "a100": (1, 2, 4, 8), "h100": (1, 2, 8)},
}

# Serverless (scale-to-zero, pay per request) inference endpoints: SageMaker Serverless Inference.
# Vertex AI and Azure ML online endpoints keep at least one replica.
SERVERLESS_CLOUDS: frozenset[str] = frozenset({"aws"})

# The remote-state backend native to each cloud.
STATE_BACKENDS: dict[str, str] = {"aws": "s3", "gcp": "gcs", "azure": "azurerm"}

# CloudWatch Logs accepts only these retention periods (days); other clouds take any day count.
AWS_LOG_RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

# Currencies each cloud's budget service accepts for a budget amount.
BUDGET_CURRENCIES: dict[str, tuple[str, ...]] = {
    "aws": ("USD",),
    "gcp": ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR", "BRL"),
    "azure": ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "INR", "BRL"),
}

# What identifies the account/project/subscription of an environment, per cloud: (regex, description).
ACCOUNT_ID_FORMATS: dict[str, tuple[str, str]] = {
    "aws": (r"^\d{12}$", 'a 12-digit AWS account id such as "111111111111" (quoted)'),
    "gcp": (r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$", "a GCP project id such as my-project-dev"),
    "azure": (
        r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "an Azure subscription id (a lower-case UUID)",
    ),
}

# The principals that may assume/impersonate the data-scientist role, per cloud: (regex, description).
PRINCIPAL_FORMATS: dict[str, tuple[str, str]] = {
    "aws": (
        r"^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/:-]+$",
        "an IAM ARN such as arn:aws:iam::111111111111:role/DataScientists",
    ),
    "gcp": (
        r"^(user|group|serviceAccount|domain):[^\s]+$",
        "a GCP member such as group:data-science@example.com",
    ),
    "azure": (
        r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "an Entra ID object id (a lower-case UUID)",
    ),
}


def regions(cloud: str) -> tuple[str, ...]:
    return REGIONS.get(cloud, ())


def gpu_kinds(cloud: str) -> tuple[str, ...]:
    return tuple(kind for kind in GPU_KINDS if kind in GPU_COUNTS.get(cloud, {}))
