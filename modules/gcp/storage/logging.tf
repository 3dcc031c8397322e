# The access-log bucket: Cloud Storage usage logs of every zone bucket, kept access_log_retention_days.

resource "google_storage_bucket" "log_protected" {
  count = var.deletion_protection ? 1 : 0

  #checkov:skip=CKV_GCP_62:This is the access-log bucket itself; logging it into itself would loop.
  project                     = var.project_id
  name                        = var.log_bucket_name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(var.labels, { zone = "access-logs" })

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  lifecycle_rule {
    condition {
      age = var.access_log_retention_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_storage_bucket" "log" {
  count = var.deletion_protection ? 0 : 1

  #checkov:skip=CKV_GCP_62:This is the access-log bucket itself; logging it into itself would loop.
  project                     = var.project_id
  name                        = var.log_bucket_name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Deletion protection is off: destroy removes the bucket with its log objects.
  force_destroy = true
  labels        = merge(var.labels, { zone = "access-logs" })

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  lifecycle_rule {
    condition {
      age = var.access_log_retention_days
    }
    action {
      type = "Delete"
    }
  }
}

# Cloud Storage delivers usage logs as this Google group; it may only create objects in the log bucket.
resource "google_storage_bucket_iam_member" "usage_log_writer" {
  bucket = local.log_bucket.name
  role   = "roles/storage.objectCreator"
  member = "group:cloud-storage-analytics@google.com"
}
