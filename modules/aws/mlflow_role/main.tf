# The role SageMaker's MLflow (a managed tracking server or a serverless MLflow app) assumes: read/write its
# artifact prefix (the bucket is SSE-KMS with the environment key) and, with automatic registration, create
# model packages in this account only.

locals {
  artifacts_bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.artifacts_bucket_name}"
  sagemaker_arn_base   = "arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "SageMakerAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

data "aws_iam_policy_document" "mlflow" {
  statement {
    sid       = "LocateBucket"
    actions   = ["s3:GetBucketLocation"]
    resources = [local.artifacts_bucket_arn]
  }

  statement {
    sid       = "ListArtifactPrefix"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.artifact_prefix, "${var.artifact_prefix}/*"]
    }
  }

  statement {
    sid       = "ReadWriteArtifacts"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${local.artifacts_bucket_arn}/${var.artifact_prefix}/*"]
  }

  statement {
    sid       = "UseEnvironmentKeyForS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${data.aws_region.current.region}.amazonaws.com"]
    }
  }

  dynamic "statement" {
    for_each = var.automatic_model_registration ? [1] : []

    content {
      sid = "RegisterModels"
      actions = [
        "sagemaker:AddTags",
        "sagemaker:CreateModelPackage",
        "sagemaker:CreateModelPackageGroup",
        "sagemaker:DescribeModelPackage",
        "sagemaker:DescribeModelPackageGroup",
        "sagemaker:UpdateModelPackage",
      ]
      resources = [
        "${local.sagemaker_arn_base}:model-package-group/*",
        "${local.sagemaker_arn_base}:model-package/*",
      ]
    }
  }
}

resource "aws_iam_role" "this" {
  # IAM role name prefixes are at most 38 characters; a 24-character project in staging would make 40.
  name_prefix        = "${substr(var.name, 0, 37)}-"
  description        = var.description
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = var.policy_name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.mlflow.json
}
