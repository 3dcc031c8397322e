output "bucket_name" {
  description = "Name of the state bucket (backend \"s3\" bucket)."
  value       = local.bucket.id
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = local.bucket.arn
}

output "kms_key_arn" {
  description = "ARN of the state key (backend \"s3\" kms_key_id)."
  value       = local.key.arn
}

output "kms_key_alias" {
  description = "Alias of the state key."
  value       = aws_kms_alias.this.name
}

output "access_log_bucket_name" {
  description = "Name of the bucket that receives the state bucket's access logs."
  value       = module.access_logs.id
}

output "backend_config" {
  description = "Arguments for the generated root's backend \"s3\" block (key and region are set by the root)."
  value = {
    bucket       = local.bucket.id
    encrypt      = true
    kms_key_id   = local.key.arn
    use_lockfile = true
  }
}
