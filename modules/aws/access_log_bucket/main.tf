# The bucket that receives S3 server access logs of other buckets (the storage zones, the state bucket).

locals {
  # prevent_destroy must be a literal, so the bucket exists in one of two variants (see README).
  bucket = one(concat(aws_s3_bucket.protected, aws_s3_bucket.this))
}

resource "aws_s3_bucket" "protected" {
  count = var.deletion_protection ? 1 : 0

  #checkov:skip=CKV_AWS_18:This is the access-log bucket; logging it to itself would loop.
  #checkov:skip=CKV_AWS_21:Configured: set by the aws_s3_bucket_versioning resource that targets whichever variant exists; checkov cannot follow one(concat(...)) when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_6:Configured: set by the aws_s3_bucket_public_access_block resource that targets whichever variant exists; checkov cannot follow one(concat(...)) when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_61:Configured: set by the aws_s3_bucket_lifecycle_configuration resource that targets whichever variant exists; checkov cannot follow one(concat(...)) when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_144:Cross-region replication is a DR decision the spec does not ask for.
  #checkov:skip=CKV_AWS_145:S3 server access logging only delivers to SSE-S3 buckets; SSE-KMS targets are not supported.
  #checkov:skip=CKV2_AWS_62:Nothing consumes access-log bucket events.
  bucket        = var.bucket_name
  force_destroy = false
  tags          = var.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket" "this" {
  count = var.deletion_protection ? 0 : 1

  #checkov:skip=CKV_AWS_18:This is the access-log bucket; logging it to itself would loop.
  #checkov:skip=CKV_AWS_21:Configured: set by the aws_s3_bucket_versioning resource that targets whichever variant exists; checkov cannot follow one(concat(...)) when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_6:Configured: set by the aws_s3_bucket_public_access_block resource that targets whichever variant exists; checkov cannot follow one(concat(...)) when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_61:Configured: set by the aws_s3_bucket_lifecycle_configuration resource that targets whichever variant exists; checkov cannot follow one(concat(...)) when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_144:Cross-region replication is a DR decision the spec does not ask for.
  #checkov:skip=CKV_AWS_145:S3 server access logging only delivers to SSE-S3 buckets; SSE-KMS targets are not supported.
  #checkov:skip=CKV2_AWS_62:Nothing consumes access-log bucket events.
  bucket = var.bucket_name
  # The logging service writes objects into this bucket from the first request on, so without
  # force_destroy an unprotected environment could never be destroyed (BucketNotEmpty).
  force_destroy = true
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = local.bucket.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = local.bucket.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = local.bucket.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = local.bucket.id

  rule {
    # Server access log delivery supports SSE-S3 only.
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = local.bucket.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "this" {
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

  # With ACLs disabled (BucketOwnerEnforced) the logging service is authorised by this statement only.
  statement {
    sid       = "S3ServerAccessLogDelivery"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.source_account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = var.source_bucket_arns
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = local.bucket.id
  policy = data.aws_iam_policy_document.this.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
