output "bucket_names" {
  description = "Zone name => bucket name."
  value       = { for zone, bucket in local.buckets : zone => bucket.id }
}

output "bucket_arns" {
  description = "Zone name => bucket ARN (feed to the iam module's bucket_arns)."
  value       = { for zone, bucket in local.buckets : zone => bucket.arn }
}

output "access_log_bucket_name" {
  description = "Name of the bucket that receives S3 server access logs."
  value       = module.access_logs.id
}

output "access_log_bucket_arn" {
  description = "ARN of the bucket that receives S3 server access logs."
  value       = module.access_logs.arn
}
