# The state bucket and its own key ring: the environment's keys are made by the environment root, which
# already needs this bucket for its state.

locals {
  state_bucket = one(concat(google_storage_bucket.protected, google_storage_bucket.this))
  state_key    = one(concat(google_kms_crypto_key.protected, google_kms_crypto_key.this))
  log_bucket   = one(concat(google_storage_bucket.log_protected, google_storage_bucket.log))
}

resource "google_kms_key_ring" "state" {
  project  = var.project_id
  name     = var.key_ring_name
  location = var.location
}

# prevent_destroy must be a literal, so the key and the buckets exist in a protected and an unprotected
# variant, exactly one of which is created (see README).
resource "google_kms_crypto_key" "protected" {
  count = var.deletion_protection ? 1 : 0

  name                       = "state"
  key_ring                   = google_kms_key_ring.state.id
  rotation_period            = "7776000s" # 90 days, the longest the CIS benchmark allows
  destroy_scheduled_duration = "${var.key_destroy_scheduled_days * 86400}s"
  labels                     = var.labels

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_kms_crypto_key" "this" {
  count = var.deletion_protection ? 0 : 1

  #checkov:skip=CKV_GCP_82:The unprotected variant, made only where the spec sets deletion_protection false; the protected variant carries prevent_destroy.
  name                       = "state"
  key_ring                   = google_kms_key_ring.state.id
  rotation_period            = "7776000s" # 90 days, the longest the CIS benchmark allows
  destroy_scheduled_duration = "${var.key_destroy_scheduled_days * 86400}s"
  labels                     = var.labels
}

# Cloud Storage encrypts with the key as the project's storage service agent, which must hold the key role.
data "google_storage_project_service_account" "this" {
  project = var.project_id
}

resource "google_kms_crypto_key_iam_member" "storage_agent" {
  crypto_key_id = local.state_key.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = data.google_storage_project_service_account.this.member
}
