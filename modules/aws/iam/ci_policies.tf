# Permissions of the two CI roles. The reads return configuration, never data: object reads, log events,
# image layers and other parameters' values are not listed. The plan role's only writes are lock files.

locals {
  state_objects    = var.state_bucket_arn == null ? null : "${var.state_bucket_arn}/${var.state_key_prefix}*"
  state_lock_files = var.state_bucket_arn == null ? null : "${var.state_bucket_arn}/${var.state_key_prefix}*.tflock"
}

# What `terraform plan` reads to refresh every resource and data source of modules/aws, scoped to this
# environment's names (<project>-<environment>-*) where the service allows it.
data "aws_iam_policy_document" "ci_read" {
  # Not resource-scoped by AWS (these Describe and List calls).
  statement {
    sid = "ReadUnscopedConfiguration"
    actions = [
      "application-autoscaling:DescribeScalableTargets",
      "application-autoscaling:DescribeScalingPolicies",
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeScalingActivities",
      "ec2:DescribeAddresses",
      "ec2:DescribeAddressesAttribute",
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeFlowLogs",
      "ec2:DescribeImages",
      "ec2:DescribeInstances",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:DescribeLaunchTemplates",
      "ec2:DescribeManagedPrefixLists",
      "ec2:DescribeNatGateways",
      "ec2:DescribeNetworkAcls",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribePrefixLists",
      "ec2:DescribeRouteTables",
      "ec2:DescribeSecurityGroupRules",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeTags",
      "ec2:DescribeVpcEndpointServices",
      "ec2:DescribeVpcEndpoints",
      "ec2:DescribeVpcs",
      "kms:ListAliases",
      "logs:DescribeLogGroups",
      "ssm:DescribeParameters",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ReadLandingZoneConfiguration"
    actions = [
      "budgets:ListTagsForResource",
      "budgets:ViewBudget",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:GetDashboard",
      "cloudwatch:ListTagsForResource",
      "ec2:DescribeVpcAttribute",
      "ecr:DescribeRepositories",
      "ecr:GetLifecyclePolicy",
      "ecr:GetRepositoryPolicy",
      "ecr:ListTagsForResource",
      "iam:GetInstanceProfile",
      "iam:GetOpenIDConnectProvider",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
      "kms:DescribeKey",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListResourceTags",
      "logs:ListTagsForResource",
      "logs:ListTagsLogGroup",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucket*",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
      "sagemaker:Describe*",
      "sagemaker:ListTags",
      "sns:GetSubscriptionAttributes",
      "sns:GetTopicAttributes",
      "sns:ListSubscriptionsByTopic",
      "sns:ListTagsForResource",
      "ssm:ListTagsForResource",
    ]
    resources = concat(
      [
        "arn:${local.partition}:budgets::${local.account_id}:budget/${local.prefix}-*",
        "arn:${local.partition}:cloudwatch::${local.account_id}:dashboard/${local.prefix}-*",
        "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${local.prefix}-*",
        "arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc/*",
        "arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${local.prefix}/*",
        "arn:${local.partition}:iam::${local.account_id}:instance-profile/${local.prefix}-*",
        "arn:${local.partition}:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com",
        "arn:${local.partition}:iam::${local.account_id}:role/${local.prefix}-*",
        "arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*",
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*",
        "arn:${local.partition}:s3:::${local.prefix}-*",
        "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:*",
        "arn:${local.partition}:sns:${local.region}:${local.account_id}:${local.prefix}-*",
        local.project_parameter_arns,
      ],
      var.state_bucket_arn == null ? [] : [var.state_bucket_arn],
    )
  }

  # The GPU fleet looks its AMI up in AWS's public parameters (/aws/service/...).
  statement {
    sid       = "ReadPublicAmiParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:${local.partition}:ssm:${local.region}::parameter/aws/service/*"]
  }

  # aws_ssm_parameter refreshes with its value; only the project's parameters, decrypted by the
  # environment key for exactly those parameters (SSM puts the parameter ARN in the encryption context).
  statement {
    sid       = "ReadProjectParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = [local.project_parameter_arns]
  }

  statement {
    sid       = "DecryptProjectParameters"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:PARAMETER_ARN"
      values   = [local.project_parameter_arns]
    }
  }
}

data "aws_iam_policy_document" "ci_plan" {
  source_policy_documents = [data.aws_iam_policy_document.ci_read.json]

  dynamic "statement" {
    for_each = var.state_bucket_arn == null ? [] : [1]

    content {
      sid       = "ReadState"
      actions   = ["s3:GetObject"]
      resources = [local.state_objects]
    }
  }

  # Native S3 locking: the plan holds <key>.tflock while it runs, so it never reads state mid-apply.
  dynamic "statement" {
    for_each = var.state_bucket_arn == null ? [] : [1]

    content {
      sid       = "WriteLockFiles"
      actions   = ["s3:DeleteObject", "s3:PutObject"]
      resources = [local.state_lock_files]
    }
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]

    content {
      sid       = "UseStateKey"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

data "aws_iam_policy_document" "ci_apply" {
  source_policy_documents = [data.aws_iam_policy_document.ci_read.json]

  dynamic "statement" {
    for_each = var.state_bucket_arn == null ? [] : [1]

    content {
      # State objects and their lock files under state_key_prefix only.
      sid       = "ReadWriteState"
      actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
      resources = [local.state_objects]
    }
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]

    content {
      sid       = "UseStateKey"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = length(local.repository_arns) > 0 ? [1] : []

    content {
      sid       = "EcrLogin"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = length(local.repository_arns) > 0 ? [1] : []

    content {
      sid = "PushImages"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ]
      resources = local.repository_arns
    }
  }
}
