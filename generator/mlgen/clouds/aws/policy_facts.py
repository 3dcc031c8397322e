"""The AWS resource types and attributes the ML policies read (see mlgen.clouds.policy_fact_types)."""

from __future__ import annotations

from mlgen.clouds.policy_fact_types import GpuCapacity, PolicyFacts

_ON_DEMAND = "mixed_instances_policy.instances_distribution"
_SPOT_MARKET = {"instance_market_options.market_type": frozenset({"spot"})}

POLICY_FACTS = PolicyFacts(
    cloud="aws",
    default_tag_providers={"aws": ("default_tags", "tags")},
    gpu_instance_prefixes=(
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
    ),
    gpu_capacity={
        "aws_launch_template": GpuCapacity(
            machine_attribute="instance_type",
            spot_values=_SPOT_MARKET,
            spot_when_launched_by="aws_autoscaling_group",
        ),
        "aws_instance": GpuCapacity(machine_attribute="instance_type", spot_values=_SPOT_MARKET),
        # A mixed-instances group names its machine types in its launch template overrides.
        "aws_autoscaling_group": GpuCapacity(
            machine_attribute="mixed_instances_policy.launch_template.override.instance_type",
            machine_attribute_repeats=True,
            spot_when_zero=(
                f"{_ON_DEMAND}.on_demand_base_capacity",
                f"{_ON_DEMAND}.on_demand_percentage_above_base_capacity",
            ),
        ),
    },
    endpoint_autoscaling={"aws_appautoscaling_target": ("max_capacity", "min_capacity")},
    # Application autoscaling targets of other services (ECS, DynamoDB) are not endpoints.
    endpoint_scaling_namespaces=frozenset({"sagemaker"}),
    budget_notifications={"aws_budgets_budget": "notification"},
    budgeted_providers=("aws",),
    # S3 encryption lives in its own resource since AWS provider v4.
    bucket_type="aws_s3_bucket",
    bucket_encryption_type="aws_s3_bucket_server_side_encryption_configuration",
    cmk_algorithms=frozenset({"aws:kms", "aws:kms:dsse"}),
    protected_resources=("aws_s3_bucket", "aws_kms_key", "aws_ecr_repository", "aws_dynamodb_table"),
    data_services=frozenset(
        {"s3", "kms", "ecr", "dynamodb", "glue", "secretsmanager", "sagemaker", "elasticfilesystem", "fsx"}
    ),
    inline_policy_attributes={
        "aws_iam_policy": "policy",
        "aws_iam_role_policy": "policy",
        "aws_iam_user_policy": "policy",
        "aws_iam_group_policy": "policy",
    },
    image_attributes={"aws_sagemaker_model": ("primary_container.image", "container.image")},
)
