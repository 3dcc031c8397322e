"""The AWS resource types and attributes the ML policies read (see mlgen.clouds.policy_fact_types)."""

from __future__ import annotations

from mlgen.clouds.policy_fact_types import (
    ActionPolicyDocuments,
    BudgetNotifications,
    CustomerKey,
    EndpointScaling,
    GpuCapacity,
    OnlyWhen,
    PolicyFacts,
)

_ON_DEMAND = "mixed_instances_policy.instances_distribution"
_SPOT_MARKET = {"instance_market_options.market_type": frozenset({"spot"})}
_SSE_DEFAULT = "rule.apply_server_side_encryption_by_default"
_SSE_KMS = frozenset({"aws:kms", "aws:kms:dsse"})

POLICY_FACTS = PolicyFacts(
    cloud="aws",
    providers=("aws",),
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
    # Application autoscaling targets of other services (ECS, DynamoDB) are not endpoints.
    endpoint_autoscaling={
        "aws_appautoscaling_target": EndpointScaling(
            max_attribute="max_capacity",
            min_attribute="min_capacity",
            only_when=OnlyWhen("service_namespace", frozenset({"sagemaker"})),
        )
    },
    budget_notifications={
        "aws_budgets_budget": BudgetNotifications(
            block="notification", recipients=("subscriber_email_addresses", "subscriber_sns_topic_arns")
        )
    },
    budgeted_providers=("aws",),
    customer_keys={
        # S3 encryption lives in its own resource since AWS provider v4; the inline block is the older form.
        "aws_s3_bucket": CustomerKey(
            key_attributes=("kms_master_key_id",),
            block=f"server_side_encryption_configuration.{_SSE_DEFAULT}",
            algorithm_attribute="sse_algorithm",
            algorithms=_SSE_KMS,
            encrypted_by="aws_s3_bucket_server_side_encryption_configuration",
            log_exempt_name_attribute="bucket",
        ),
        "aws_s3_bucket_server_side_encryption_configuration": CustomerKey(
            key_attributes=("kms_master_key_id",),
            block=_SSE_DEFAULT,
            algorithm_attribute="sse_algorithm",
            algorithms=_SSE_KMS,
            log_exempt_name_attribute="bucket",
        ),
        "aws_ecr_repository": CustomerKey(
            key_attributes=("kms_key",),
            block="encryption_configuration",
            algorithm_attribute="encryption_type",
            algorithms=frozenset({"kms"}),
        ),
    },
    key_service="KMS",
    protected_resources=("aws_s3_bucket", "aws_kms_key", "aws_ecr_repository", "aws_dynamodb_table"),
    data_services=frozenset(
        {"s3", "kms", "ecr", "dynamodb", "glue", "secretsmanager", "sagemaker", "elasticfilesystem", "fsx"}
    ),
    policy_documents=ActionPolicyDocuments(
        data_source="aws_iam_policy_document",
        inline_json={
            "aws_iam_policy": "policy",
            "aws_iam_role_policy": "policy",
            "aws_iam_user_policy": "policy",
            "aws_iam_group_policy": "policy",
            "aws_iam_role": "inline_policy.policy",  # a role's inline_policy blocks repeat
        },
        principal_type="AWS",
        principal_json_key="AWS",
        delegation_principal_pattern=r"^arn:[^:]*:iam::[^:]*:root$",
        delegation_actions=frozenset({"kms:*"}),
    ),
    image_attributes={"aws_sagemaker_model": ("primary_container.image", "container.image")},
)
