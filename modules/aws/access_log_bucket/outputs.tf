output "id" {
  description = "Bucket name, available only once the delivery policy is in place: use it as aws_s3_bucket_logging's target_bucket so logging is never enabled before the logging service is authorised (S3 rejects it with InvalidTargetBucketForLogging)."
  value       = local.bucket.id

  depends_on = [
    aws_s3_bucket_policy.this,
    aws_s3_bucket_ownership_controls.this,
    aws_s3_bucket_server_side_encryption_configuration.this,
  ]
}

output "arn" {
  description = "Bucket ARN."
  value       = local.bucket.arn
}
