output "job_defaults_uri" {
  description = "gs:// URI of the job-defaults document `mlgen train submit` reads."
  value       = "gs://${google_storage_bucket_object.job_defaults.bucket}/${google_storage_bucket_object.job_defaults.name}"
}

output "gpu_group" {
  description = "Name of the GPU managed instance group (null unless vm_enabled)."
  value       = try(google_compute_region_instance_group_manager.gpu["gpu"].name, null)
}
