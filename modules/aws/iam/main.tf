locals {
  prefix     = "${var.project}-${var.environment}"
  tags       = merge(var.tags, { project = var.project, environment = var.environment })
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region

  zone_bucket_arns     = values(var.bucket_arns)
  zone_object_arns     = [for arn in values(var.bucket_arns) : "${arn}/*"]
  artifacts_bucket_arn = var.bucket_arns[var.artifacts_zone]
  repository_arns      = values(var.ecr_repository_arns)

  log_group_arn_prefix = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group"
  training_job_arns    = "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:training-job/${local.prefix}-*"
  # SSM parameters of this environment live under /<project>/<environment>/ (gpu_compute's job defaults).
  project_parameter_arns = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/${var.project}/${var.environment}/*"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_iam_policy_document" "sagemaker_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    # Confused-deputy protection: only SageMaker acting for this account may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "training" {
  name                 = "${local.prefix}-training"
  description          = "Execution role of ${local.prefix} SageMaker training jobs"
  assume_role_policy   = data.aws_iam_policy_document.sagemaker_assume.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy" "training" {
  name   = "training"
  role   = aws_iam_role.training.id
  policy = data.aws_iam_policy_document.training.json
}

resource "aws_iam_role" "serving" {
  name                 = "${local.prefix}-serving"
  description          = "Execution role of ${local.prefix} SageMaker models and endpoints"
  assume_role_policy   = data.aws_iam_policy_document.sagemaker_assume.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy" "serving" {
  name   = "serving"
  role   = aws_iam_role.serving.id
  policy = data.aws_iam_policy_document.serving.json
}

data "aws_iam_policy_document" "data_scientist_assume" {
  count = local.create_data_scientist ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = var.data_scientist_principals
    }

    dynamic "condition" {
      for_each = local.data_scientist_require_mfa ? [1] : []

      content {
        test     = "Bool"
        variable = "aws:MultiFactorAuthPresent"
        values   = ["true"]
      }
    }
  }
}

resource "aws_iam_role" "data_scientist" {
  count = local.create_data_scientist ? 1 : 0

  name                 = "${local.prefix}-data-scientist"
  description          = "Data scientists of ${local.prefix}: data zones, training jobs, experiment tracking"
  assume_role_policy   = data.aws_iam_policy_document.data_scientist_assume[0].json
  max_session_duration = local.data_scientist_session_hours * 3600
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy" "data_scientist" {
  count = local.create_data_scientist ? 1 : 0

  name   = "data-scientist"
  role   = aws_iam_role.data_scientist[0].id
  policy = data.aws_iam_policy_document.data_scientist.json
}
