resource "google_storage_bucket" "log_protected" {
  count = var.deletion_protection ? 1 : 0

  #checkov:skip=CKV_GCP_62:This is the access-log bucket itself; logging it into itself would loop.
  project                     = var.project_id
  name                        = var.log_bucket_name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = var.labels

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = local.state_key.id
  }

  lifecycle_rule {
    condition {
      age = var.access_log_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.storage_agent]

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
  labels        = var.labels

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = local.state_key.id
  }

  lifecycle_rule {
    condition {
      age = var.access_log_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.storage_agent]
}

resource "google_storage_bucket" "protected" {
  count = var.deletion_protection ? 1 : 0

  project                     = var.project_id
  name                        = var.bucket_name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = var.labels

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = local.state_key.id
  }

  logging {
    log_bucket        = local.log_bucket.name
    log_object_prefix = "tfstate/"
  }

  lifecycle_rule {
    condition {
      num_newer_versions = var.noncurrent_state_versions
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.storage_agent]

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_storage_bucket" "this" {
  count = var.deletion_protection ? 0 : 1

  project                     = var.project_id
  name                        = var.bucket_name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Deletion protection is off: destroy removes the state with the bucket (the teardown backs it up first).
  force_destroy = true
  labels        = var.labels

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = local.state_key.id
  }

  logging {
    log_bucket        = local.log_bucket.name
    log_object_prefix = "tfstate/"
  }

  lifecycle_rule {
    condition {
      num_newer_versions = var.noncurrent_state_versions
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.storage_agent]
}

# Cloud Storage delivers usage logs as this Google group; it may only create objects in the log bucket.
resource "google_storage_bucket_iam_member" "usage_log_writer" {
  bucket = local.log_bucket.name
  role   = "roles/storage.objectCreator"
  member = "group:cloud-storage-analytics@google.com"
}
