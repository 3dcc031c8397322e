output "bucket_name" {
  description = "Name of the state bucket."
  value       = local.state_bucket.name
}

output "kms_key_id" {
  description = "Id of the Cloud KMS key that encrypts the state bucket."
  value       = local.state_key.id
}

output "log_bucket_name" {
  description = "Name of the bucket that receives the state bucket's access logs."
  value       = local.log_bucket.name
}

output "backend_config" {
  description = "Settings for the environment root's gcs backend (bucket; the root sets its prefix)."
  value = {
    bucket = local.state_bucket.name
  }
}
