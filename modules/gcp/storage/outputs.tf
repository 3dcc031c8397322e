output "bucket_names" {
  description = "Zone => bucket name (the staging bucket under \"staging\")."
  value       = { for zone, bucket in local.buckets : zone => bucket.name }
}

output "bucket_urls" {
  description = "Zone => gs:// URL of the bucket."
  value       = { for zone, bucket in local.buckets : zone => bucket.url }
}

output "log_bucket_name" {
  description = "Name of the bucket that receives the zone buckets' access logs."
  value       = local.log_bucket.name
}
