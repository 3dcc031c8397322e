"""What AWS offers, as the spec checks it (see mlgen.clouds.capability_types)."""

from __future__ import annotations

from mlgen.clouds.aws.catalog import SAGEMAKER_TRAINING_INSTANCES
from mlgen.clouds.capability_types import CiIdentity, CloudCapabilities, IdFormat, NameLimits

# CloudWatch Logs accepts only these retention periods (days).
CLOUDWATCH_RETENTION_DAYS: tuple[int, ...] = (
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

CAPABILITIES = CloudCapabilities(
    cloud="aws",
    regions=(
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
    default_region="us-east-1",
    # Derived from the instance table the adapter picks from, so validate accepts exactly the counts
    # generate can map to an instance (8 x t4 and 1 x h100 have no SageMaker training instance).
    gpu_counts={kind: tuple(sorted(sizes)) for kind, sizes in SAGEMAKER_TRAINING_INSTANCES.items()},
    serverless_serving=True,  # SageMaker Serverless Inference
    log_retention_days=CLOUDWATCH_RETENTION_DAYS,
    log_service="CloudWatch Logs",
    budget_currencies=("USD",),
    # serverless: SageMaker MLflow App (aws_sagemaker_mlflow_app, hashicorp/aws >= 6.69), no idle hourly charge
    tracking_modes=("managed", "serverless", "none"),
    account_id=IdFormat(r"^\d{12}$", 'a 12-digit AWS account id such as "111111111111" (quoted)'),
    principal=IdFormat(
        r"^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/:-]+$",
        "an IAM ARN such as arn:aws:iam::111111111111:role/DataScientists",
    ),
    state_backend="s3",
    # project: 24 (every module's `project` validation); zone: 14 (storage: the bucket
    # <project>-<env>-<zone>-<12-digit account> stays within S3's 63); endpoint and variant: 30
    # (serving: SageMaker names built from them stay within 63).
    name_limits=NameLimits(project=24, zone=14, endpoint=30, variant=30),
    placeholder_accounts={"dev": "111111111111", "staging": "222222222222", "prod": "333333333333"},
    generated=True,
    # CI jobs assume IAM roles through GitHub OIDC; the environment root outputs their ARNs.
    ci_identity=CiIdentity(
        noun="role ARNs",
        variable_kind="ROLE_ARN",
        plan_output="ci_plan_role_arn",
        apply_output="ci_apply_role_arn",
    ),
    ci_action_pins={
        "aws-actions/configure-aws-credentials": ("e3dd6a429d7300a6a4c196c26e071d42e0343502", "v4.0.2"),
    },
)
