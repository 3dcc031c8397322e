# Vertex AI custom jobs need no standing resources beyond the staging bucket, the training service account
# and the peered network (storage, iam and network modules). What `mlgen train submit` cannot derive from
# the spec is written here, as the job-defaults document in the artifacts bucket (schema: README).

resource "google_storage_bucket_object" "job_defaults" {
  bucket       = var.artifacts_bucket_name
  name         = var.job_defaults_object
  content_type = "application/json"
  content      = jsonencode(var.job_defaults)
}
