# The MLflow app's own role: read/write its artifact prefix (the bucket is SSE-KMS with the
# environment key) and, with automatic registration, create model packages in this account only.

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

data "aws_iam_policy_document" "app" {
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

resource "aws_iam_role" "app" {
  # IAM role name prefixes are at most 38 characters; a 24-character project in staging would make 40.
  name_prefix        = "${substr("${local.prefix}-mlflow", 0, 37)}-"
  description        = "SageMaker serverless MLflow of ${local.prefix}: artifact prefix and model registration"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}

resource "aws_iam_role_policy" "app" {
  name   = "mlflow-app"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.app.json
}
