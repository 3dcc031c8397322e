# Every API the landing zone uses, enabled explicitly so a fresh project needs no clicks in the console.
resource "google_project_service" "this" {
  for_each = toset(var.services)

  project = var.project_id
  service = each.value
  # Disabling an API on destroy would break anything else in the project that uses it (and the ops
  # commands that tear down what runs on it), so destroy leaves the APIs on.
  disable_on_destroy         = false
  disable_dependent_services = false
}
