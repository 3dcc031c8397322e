locals {
  prefix     = "${var.project}-${var.environment}"
  tags       = merge(var.tags, { project = var.project, environment = var.environment })
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  bucket_name     = coalesce(var.bucket_name, "${local.prefix}-tfstate-${local.account_id}")
  log_bucket_name = "${local.prefix}-tfstate-logs-${local.account_id}"

  # prevent_destroy must be a literal, so each top-level resource exists in one of two variants (see README).
  key    = one(concat(aws_kms_key.protected, aws_kms_key.this))
  bucket = one(concat(aws_s3_bucket.protected, aws_s3_bucket.this))
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# The state key is separate from the environment CMK: state is bootstrapped before anything else exists
# and must outlive every other resource of the environment.
resource "aws_kms_key" "protected" {
  count = var.deletion_protection ? 1 : 0

  description             = "${local.prefix} Terraform state"
  deletion_window_in_days = var.key_deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_key" "this" {
  count = var.deletion_protection ? 0 : 1

  description             = "${local.prefix} Terraform state"
  deletion_window_in_days = var.key_deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.prefix}-tfstate"
  target_key_id = local.key.key_id
}

data "aws_iam_policy_document" "key" {
  # Key policy: "*" is this key. The root statement delegates access to IAM policies in this account, so
  # whoever runs Terraform is authorised by IAM like for every other resource.
  #checkov:skip=CKV_AWS_109:Key policy; resources "*" is this key only, administration is limited to the account root.
  #checkov:skip=CKV_AWS_111:Key policy; resources "*" is this key only, access is delegated to IAM in this account.
  #checkov:skip=CKV_AWS_356:Key policy; resources "*" is the only valid resource and denotes this key.
  statement {
    sid       = "AccountRootAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_s3_bucket" "protected" {
  count = var.deletion_protection ? 1 : 0

  #checkov:skip=CKV_AWS_144:Cross-region replication of state is a DR decision the spec does not ask for; versioning keeps every state revision.
  #checkov:skip=CKV_AWS_145:Configured: SSE-KMS with the state key is set by aws_s3_bucket_server_side_encryption_configuration.state below, which targets whichever variant exists; checkov loses that link once the module calls a submodule.
  #checkov:skip=CKV2_AWS_62:Nothing consumes state bucket events.
  bucket        = local.bucket_name
  force_destroy = false
  tags          = local.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket" "this" {
  count = var.deletion_protection ? 0 : 1

  #checkov:skip=CKV_AWS_144:Cross-region replication of state is a DR decision the spec does not ask for; versioning keeps every state revision.
  #checkov:skip=CKV_AWS_145:Configured: SSE-KMS with the state key is set by aws_s3_bucket_server_side_encryption_configuration.state below, which targets whichever variant exists; checkov loses that link once the module calls a submodule.
  #checkov:skip=CKV2_AWS_62:Nothing consumes state bucket events.
  bucket = local.bucket_name
  # Deletion protection is off: destroy means destroy, with the versioned objects in the bucket
  # (without it, destroy fails with BucketNotEmpty).
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = local.bucket.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = local.bucket.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = local.bucket.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = local.bucket.id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.key.arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = local.bucket.id

  rule {
    id     = "noncurrent-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

resource "aws_s3_bucket_logging" "state" {
  bucket = local.bucket.id
  # module.access_logs.id is known only once the log bucket's delivery policy exists: S3 refuses to
  # enable logging into a bucket that does not yet authorise the logging service.
  target_bucket = module.access_logs.id
  target_prefix = "tfstate/"

  target_object_key_format {
    partitioned_prefix {
      partition_date_source = "EventTime"
    }
  }
}

data "aws_iam_policy_document" "state" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket.arn, "${local.bucket.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = local.bucket.id
  policy = data.aws_iam_policy_document.state.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}
