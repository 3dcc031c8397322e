locals {
  prefix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { project = var.project, environment = var.environment })

  # prevent_destroy must be a literal, so the key exists in one of two variants (see README).
  key = one(concat(aws_kms_key.protected, aws_kms_key.this))
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

resource "aws_kms_key" "protected" {
  count = var.deletion_protection ? 1 : 0

  description             = "${local.prefix} customer-managed key for ML data, logs and images"
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_key" "this" {
  count = var.deletion_protection ? 0 : 1

  description             = "${local.prefix} customer-managed key for ML data, logs and images"
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.prefix}"
  target_key_id = local.key.key_id
}
