"""Resource-type tables the ML policies read. Adding a cloud is a table edit, not new check logic.

Each table maps a Terraform resource type to what the policy needs to know about it.
"""

from __future__ import annotations

REQUIRED_TAGS: tuple[str, ...] = ("project", "environment", "owner", "cost-center", "managed-by")
ENVIRONMENT_NAMES: tuple[str, ...] = ("dev", "staging", "prod")
PROD_ENVIRONMENTS: frozenset[str] = frozenset({"prod"})

# MLG001 -- providers whose default tags/labels reach every resource they create: provider -> block, key.
DEFAULT_TAG_PROVIDERS: dict[str, tuple[str, str]] = {
    "aws": ("default_tags", "tags"),
    "google": ("", "default_labels"),
    "google-beta": ("", "default_labels"),
}
# MLG001 -- resource types that must carry the tags themselves because their provider has no
# provider-level defaults: resource type -> tag attribute.
SELF_TAGGED_RESOURCES: dict[str, str] = {
    "azurerm_resource_group": "tags",
    "azurerm_storage_account": "tags",
    "azurerm_key_vault": "tags",
    "azurerm_container_registry": "tags",
    "azurerm_machine_learning_workspace": "tags",
    "azurerm_machine_learning_compute_cluster": "tags",
    "azurerm_virtual_network": "tags",
    "azurerm_linux_virtual_machine_scale_set": "tags",
    "azurerm_log_analytics_workspace": "tags",
    "azurerm_application_insights": "tags",
}

# MLG002 -- GPU machine families per cloud (prefix match on the lower-cased machine type).
GPU_INSTANCE_PREFIXES: tuple[str, ...] = (
    "p2.",
    "p3.",
    "p3dn.",
    "p4d.",
    "p4de.",
    "p5.",
    "p5e.",
    "p5en.",
    "p6-",
    "g4dn.",
    "g4ad.",
    "g5.",
    "g5g.",
    "g6.",
    "g6e.",
    "g6f.",
    "gr6.",
    "ml.p",
    "ml.g",
    "a2-",
    "a3-",
    "g2-",
    "standard_nc",
    "standard_nd",
    "standard_nv",
)
# MLG002 -- resource type -> attribute that names the machine type.
GPU_CAPACITY_MACHINE_ATTRIBUTE: dict[str, str] = {
    "aws_launch_template": "instance_type",
    "aws_instance": "instance_type",
    "aws_autoscaling_group": "",  # machine types live in mixed_instances_policy overrides
    "google_compute_instance_template": "machine_type",
    "google_compute_region_instance_template": "machine_type",
    "google_compute_instance": "machine_type",
    "azurerm_machine_learning_compute_cluster": "vm_size",
    "azurerm_linux_virtual_machine_scale_set": "sku",
}

# MLG003 -- autoscaling resources of serving endpoints: type -> (max attribute, min attribute).
ENDPOINT_AUTOSCALING: dict[str, tuple[str, str]] = {
    "aws_appautoscaling_target": ("max_capacity", "min_capacity"),
}
# Only AWS application autoscaling targets in these namespaces are endpoints.
ENDPOINT_SCALING_NAMESPACES: frozenset[str] = frozenset({"sagemaker"})
MAX_ENDPOINT_REPLICAS = 100
# Module calls that build endpoints, and the inputs (at any depth) that cap their replicas.
ENDPOINT_MODULE_COMPONENTS: frozenset[str] = frozenset({"serving"})
ENDPOINT_MAXIMUM_INPUTS: frozenset[str] = frozenset(
    {"max_capacity", "max_replicas", "max_replica_count", "max_instances_per_variant"}
)

# MLG004 -- budget resource types and the attribute holding their notifications.
BUDGET_NOTIFICATIONS: dict[str, str] = {
    "aws_budgets_budget": "notification",
    "google_billing_budget": "threshold_rules",
    "azurerm_consumption_budget_subscription": "notification",
    "azurerm_consumption_budget_resource_group": "notification",
}
# Providers whose roots are environments that must each hold a budget.
BUDGETED_PROVIDERS: tuple[str, ...] = ("aws", "google", "azurerm")

# MLG005 -- data stores and registries that must use a customer-managed key.
S3_BUCKET_TYPE = "aws_s3_bucket"
S3_SSE_CONFIG_TYPE = "aws_s3_bucket_server_side_encryption_configuration"
CMK_ALGORITHMS: frozenset[str] = frozenset({"aws:kms", "aws:kms:dsse"})

# MLG006 -- module components that hold data or keys (last path element of the module source).
PROTECTED_MODULE_COMPONENTS: frozenset[str] = frozenset(
    {"storage", "kms", "keys", "registry", "state", "state_bootstrap", "state-bootstrap"}
)
# MLG006 -- data-store resources declared directly in a prod root need prevent_destroy.
PROTECTED_RESOURCES: tuple[str, ...] = (
    "aws_s3_bucket",
    "aws_kms_key",
    "aws_ecr_repository",
    "aws_dynamodb_table",
    "google_storage_bucket",
    "google_kms_crypto_key",
    "google_artifact_registry_repository",
    "azurerm_storage_account",
    "azurerm_key_vault",
    "azurerm_container_registry",
)

# MLG007 -- services whose data or keys must never be granted with a wildcard.
DATA_SERVICES: frozenset[str] = frozenset(
    {"s3", "kms", "ecr", "dynamodb", "glue", "secretsmanager", "sagemaker", "elasticfilesystem", "fsx"}
)
# Identity policies carrying inline JSON: resource type -> attribute.
INLINE_POLICY_ATTRIBUTES: dict[str, str] = {
    "aws_iam_policy": "policy",
    "aws_iam_role_policy": "policy",
    "aws_iam_user_policy": "policy",
    "aws_iam_group_policy": "policy",
}

# MLG008 -- module inputs (at any depth) that name a container image: "image", "*_image", "*image_uri".
IMAGE_INPUT_SUFFIXES: tuple[str, ...] = ("image", "image_uri")

# MLG008 -- where infrastructure names container images: resource type -> dotted paths to the image.
IMAGE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "aws_sagemaker_model": ("primary_container.image", "container.image"),
    "google_cloud_run_v2_service": ("template.containers.image",),
    "google_cloud_run_v2_job": ("template.template.containers.image",),
    "azurerm_container_app": ("template.container.image",),
}
