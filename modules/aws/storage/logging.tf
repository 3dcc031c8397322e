# The access-log bucket receives S3 server access logs from every zone bucket.

resource "aws_s3_bucket" "log_protected" {
  count = var.deletion_protection ? 1 : 0

  #checkov:skip=CKV_AWS_21:Configured: set by the aws_s3_bucket_versioning resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_6:Configured: set by the aws_s3_bucket_public_access_block resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_61:Configured: set by the aws_s3_bucket_lifecycle_configuration resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_18:This is the access-log bucket; logging it to itself would loop.
  #checkov:skip=CKV_AWS_144:Cross-region replication is a DR decision the spec does not ask for.
  #checkov:skip=CKV_AWS_145:S3 server access logging only delivers to SSE-S3 buckets; SSE-KMS targets are not supported.
  #checkov:skip=CKV2_AWS_62:No consumer of bucket events is part of the landing zone.
  bucket        = local.log_bucket_name
  force_destroy = false
  tags          = merge(local.tags, { zone = "access-logs" })

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket" "log" {
  count = var.deletion_protection ? 0 : 1

  #checkov:skip=CKV_AWS_21:Configured: set by the aws_s3_bucket_versioning resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_6:Configured: set by the aws_s3_bucket_public_access_block resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_61:Configured: set by the aws_s3_bucket_lifecycle_configuration resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_18:This is the access-log bucket; logging it to itself would loop.
  #checkov:skip=CKV_AWS_144:Cross-region replication is a DR decision the spec does not ask for.
  #checkov:skip=CKV_AWS_145:S3 server access logging only delivers to SSE-S3 buckets; SSE-KMS targets are not supported.
  #checkov:skip=CKV2_AWS_62:No consumer of bucket events is part of the landing zone.
  bucket        = local.log_bucket_name
  force_destroy = false
  tags          = merge(local.tags, { zone = "access-logs" })
}

resource "aws_s3_bucket_ownership_controls" "log" {
  bucket = local.log_bucket.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "log" {
  bucket                  = local.log_bucket.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "log" {
  bucket = local.log_bucket.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "log" {
  bucket = local.log_bucket.id

  rule {
    # Server access log delivery supports SSE-S3 only.
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "log" {
  bucket = local.log_bucket.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.log]
}

data "aws_iam_policy_document" "log" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.log_bucket.arn, "${local.log_bucket.arn}/*"]

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
    resources = ["${local.log_bucket.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [for bucket in local.buckets : bucket.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "log" {
  bucket = local.log_bucket.id
  policy = data.aws_iam_policy_document.log.json

  depends_on = [aws_s3_bucket_public_access_block.log]
}
