# A service account per duty, each with the fewest predefined roles its job needs, granted on the
# narrowest resource that works (buckets and the repository, not the project, wherever they can be).

resource "google_service_account" "duty" {
  for_each = var.service_accounts

  project      = var.project_id
  account_id   = each.value
  display_name = "mlgen ${replace(each.key, "_", " ")}"
  description  = "mlgen landing zone: the ${replace(each.key, "_", " ")} identity."
}

resource "google_project_iam_member" "duty" {
  for_each = local.project_members

  project = var.project_id
  role    = each.value.role
  member  = google_service_account.duty[each.value.duty].member
}

resource "google_storage_bucket_iam_member" "duty" {
  for_each = local.bucket_members

  bucket = each.value.bucket
  role   = each.value.role
  member = google_service_account.duty[each.value.duty].member
}

# The state bucket: the plan takes the state lock (a lock object), so both CI identities write objects.
resource "google_storage_bucket_iam_member" "state" {
  for_each = toset([for duty in ["ci_plan", "ci_apply"] : duty if contains(keys(var.service_accounts), duty)])

  bucket = var.state_bucket_name
  role   = "roles/storage.objectUser"
  member = google_service_account.duty[each.value].member
}

resource "google_artifact_registry_repository_iam_member" "duty" {
  for_each = { for duty, role in local.repository_roles : duty => role if contains(keys(var.service_accounts), duty) }

  project    = var.project_id
  location   = var.location
  repository = var.repository_id
  role       = each.value
  member     = google_service_account.duty[each.key].member
}

# People act through the data-scientist account (impersonation), never with their own project roles.
resource "google_service_account_iam_member" "data_scientists" {
  for_each = toset(var.data_scientist_principals)

  service_account_id = google_service_account.duty["data_scientist"].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = each.value
}

# `mlgen train submit` (as the data scientist) runs jobs as the training account.
resource "google_service_account_iam_member" "submit_training" {
  service_account_id = google_service_account.duty["training"].name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.duty["data_scientist"].member
}

resource "google_service_account_iam_member" "ci_apply_acts_as" {
  for_each = toset(contains(keys(var.service_accounts), "ci_apply") ? local.attached : [])

  service_account_id = google_service_account.duty[each.value].name
  role               = "roles/iam.serviceAccountUser"
  member             = google_service_account.duty["ci_apply"].member
}
