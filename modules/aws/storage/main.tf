locals {
  prefix     = "${var.project}-${var.environment}"
  tags       = merge(var.tags, { project = var.project, environment = var.environment })
  account_id = data.aws_caller_identity.current.account_id

  # Bucket names are global; the account id keeps them unique across accounts that share a project name.
  zone_bucket_names = { for zone in var.zones : zone => "${local.prefix}-${zone}-${local.account_id}" }
  log_bucket_name   = "${local.prefix}-access-logs-${local.account_id}"

  # prevent_destroy must be a literal, so each bucket exists in one of two variants (see README).
  buckets = merge(aws_s3_bucket.this, aws_s3_bucket.protected)
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "protected" {
  for_each = var.deletion_protection ? local.zone_bucket_names : {}

  #checkov:skip=CKV_AWS_18:Configured: set by the aws_s3_bucket_logging resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_21:Configured: set by the aws_s3_bucket_versioning resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_145:Configured: set by the aws_s3_bucket_server_side_encryption_configuration (SSE-KMS) resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_6:Configured: set by the aws_s3_bucket_public_access_block resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_61:Configured: set by the aws_s3_bucket_lifecycle_configuration resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_144:Cross-region replication is a DR decision the spec does not ask for; versioning covers accidental deletes.
  #checkov:skip=CKV2_AWS_62:No consumer of bucket events is part of the landing zone.
  bucket        = each.value
  force_destroy = false
  tags          = merge(local.tags, { zone = each.key })

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket" "this" {
  for_each = var.deletion_protection ? {} : local.zone_bucket_names

  #checkov:skip=CKV_AWS_18:Configured: set by the aws_s3_bucket_logging resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_21:Configured: set by the aws_s3_bucket_versioning resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_145:Configured: set by the aws_s3_bucket_server_side_encryption_configuration (SSE-KMS) resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_6:Configured: set by the aws_s3_bucket_public_access_block resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV2_AWS_61:Configured: set by the aws_s3_bucket_lifecycle_configuration resource that iterates the merged protected/unprotected bucket map; checkov cannot follow that map when the module is called from a root (tests/modules/aws/test_storage_controls.py proves it is there).
  #checkov:skip=CKV_AWS_144:Cross-region replication is a DR decision the spec does not ask for; versioning covers accidental deletes.
  #checkov:skip=CKV2_AWS_62:No consumer of bucket events is part of the landing zone.
  bucket = each.value
  # Deletion protection is off: destroy means destroy, with the versioned objects in the bucket
  # (without it, destroy fails with BucketNotEmpty).
  force_destroy = true
  tags          = merge(local.tags, { zone = each.key })
}

resource "aws_s3_bucket_ownership_controls" "zone" {
  for_each = local.buckets

  bucket = each.value.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "zone" {
  for_each = local.buckets

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "zone" {
  for_each = local.buckets

  bucket = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "zone" {
  for_each = local.buckets

  bucket = each.value.id

  rule {
    # The bucket key cuts KMS request costs for large training datasets by ~99%.
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "zone" {
  for_each = local.buckets

  bucket = each.value.id

  rule {
    id     = "versions-and-uploads"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }

    dynamic "transition" {
      for_each = var.transition_to_ia_days == null ? [] : [var.transition_to_ia_days]

      content {
        days          = transition.value
        storage_class = "STANDARD_IA"
      }
    }
  }

  # Lifecycle rules on noncurrent versions only make sense once versioning is on.
  depends_on = [aws_s3_bucket_versioning.zone]
}

resource "aws_s3_bucket_logging" "zone" {
  for_each = local.buckets

  bucket = each.value.id
  # module.access_logs.id is known only once the log bucket's delivery policy exists: S3 refuses to
  # enable logging into a bucket that does not yet authorise the logging service.
  target_bucket = module.access_logs.id
  target_prefix = "${each.key}/"

  target_object_key_format {
    partitioned_prefix {
      partition_date_source = "EventTime"
    }
  }
}

data "aws_iam_policy_document" "zone" {
  for_each = local.buckets

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value.arn, "${each.value.arn}/*"]

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

resource "aws_s3_bucket_policy" "zone" {
  for_each = local.buckets

  bucket = each.value.id
  policy = data.aws_iam_policy_document.zone[each.key].json

  # A bucket policy written before the public access block could be judged public and rejected.
  depends_on = [aws_s3_bucket_public_access_block.zone]
}
