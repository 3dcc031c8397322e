# The environment's key ring with one key per purpose, and the service agents that encrypt with them.

locals {
  keys = merge(google_kms_crypto_key.protected, google_kms_crypto_key.this)

  # Agents Google creates on first use are created here (google-beta), so their key grant can exist before
  # the first bucket, repository or endpoint that needs it. Cloud Storage's agent comes from its own data
  # source, Compute Engine's exists once the API is on, Cloud Logging's from its CMEK settings.
  created_agents = setsubtract(keys(var.agents), ["storage", "compute", "logging"])
  agent_members = merge(
    { for agent, identity in google_project_service_identity.agent : agent => identity.member },
    contains(keys(var.agents), "storage") ? { storage = data.google_storage_project_service_account.this.member } : {},
    contains(keys(var.agents), "compute") ? { compute = "serviceAccount:service-${var.project_number}@compute-system.iam.gserviceaccount.com" } : {},
    contains(keys(var.agents), "logging") ? { logging = "serviceAccount:${data.google_logging_project_cmek_settings.this.service_account_id}" } : {},
  )
}

resource "google_kms_key_ring" "this" {
  project  = var.project_id
  name     = var.key_ring_name
  location = var.location
}

# prevent_destroy must be a literal, so each key exists in a protected and an unprotected variant (README).
resource "google_kms_crypto_key" "protected" {
  for_each = var.deletion_protection ? var.keys : {}

  name                       = each.value
  key_ring                   = google_kms_key_ring.this.id
  rotation_period            = "7776000s" # 90 days, the longest the CIS benchmark allows
  destroy_scheduled_duration = "${var.key_destroy_scheduled_days * 86400}s"
  labels                     = merge(var.labels, { purpose = each.key })

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_kms_crypto_key" "this" {
  for_each = var.deletion_protection ? {} : var.keys

  #checkov:skip=CKV_GCP_82:The unprotected variant, made only where the spec sets deletion_protection false; the protected variant carries prevent_destroy.
  name                       = each.value
  key_ring                   = google_kms_key_ring.this.id
  rotation_period            = "7776000s" # 90 days, the longest the CIS benchmark allows
  destroy_scheduled_duration = "${var.key_destroy_scheduled_days * 86400}s"
  labels                     = merge(var.labels, { purpose = each.key })
}

resource "google_project_service_identity" "agent" {
  provider = google-beta
  for_each = local.created_agents

  project = var.project_id
  service = "${each.value}.googleapis.com"
}

data "google_storage_project_service_account" "this" {
  project = var.project_id
}

# Cloud Logging's CMEK account (log buckets) is named by this data source, which also makes it exist.
data "google_logging_project_cmek_settings" "this" {
  project = var.project_id
}

# Each agent may use only the key of its purpose.
resource "google_kms_crypto_key_iam_member" "agent" {
  for_each = var.agents

  crypto_key_id = local.keys[each.value].id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = local.agent_members[each.key]
}
