# One bucket per data zone (and the Vertex AI staging bucket), plus the access-log bucket they log into.

locals {
  # prevent_destroy must be a literal, so each bucket exists in one of two variants (see README).
  buckets    = merge(google_storage_bucket.protected, google_storage_bucket.this)
  log_bucket = one(concat(google_storage_bucket.log_protected, google_storage_bucket.log))
}

resource "google_storage_bucket" "protected" {
  for_each = var.deletion_protection ? var.buckets : {}

  project                     = var.project_id
  name                        = each.value
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(var.labels, { zone = each.key })

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  logging {
    log_bucket        = local.log_bucket.name
    log_object_prefix = "${each.key}/"
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_expiration_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age                   = var.transition_to_nearline_days
      matches_storage_class = ["STANDARD"]
      with_state            = "LIVE"
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_storage_bucket" "this" {
  for_each = var.deletion_protection ? {} : var.buckets

  project                     = var.project_id
  name                        = each.value
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Deletion protection is off: destroy means destroy, with the versioned objects in the bucket.
  force_destroy = true
  labels        = merge(var.labels, { zone = each.key })

  versioning {
    enabled = true
  }

  encryption {
    default_kms_key_name = var.kms_key_id
  }

  logging {
    log_bucket        = local.log_bucket.name
    log_object_prefix = "${each.key}/"
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_expiration_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age                   = var.transition_to_nearline_days
      matches_storage_class = ["STANDARD"]
      with_state            = "LIVE"
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }
}
