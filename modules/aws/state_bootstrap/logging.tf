# The access-log bucket receives S3 server access logs from the state bucket.

module "access_logs" {
  source = "../access_log_bucket"

  bucket_name                            = local.log_bucket_name
  source_bucket_arns                     = [local.bucket.arn]
  source_account_id                      = local.account_id
  deletion_protection                    = var.deletion_protection
  retention_days                         = var.access_log_retention_days
  abort_incomplete_multipart_upload_days = 7
  tags                                   = merge(local.tags, { purpose = "tfstate-access-logs" })
}

# The log bucket's resources lived in this module before access_log_bucket existed.
moved {
  from = aws_s3_bucket.log_protected
  to   = module.access_logs.aws_s3_bucket.protected
}

moved {
  from = aws_s3_bucket.log
  to   = module.access_logs.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.log
  to   = module.access_logs.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.log
  to   = module.access_logs.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.log
  to   = module.access_logs.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.log
  to   = module.access_logs.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.log
  to   = module.access_logs.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.log
  to   = module.access_logs.aws_s3_bucket_policy.this
}
