locals {
  # Predefined roles only (no primitive owner/editor/viewer), per duty, on the project.
  project_roles = {
    training       = ["roles/logging.logWriter", "roles/monitoring.metricWriter"]
    serving        = ["roles/logging.logWriter", "roles/monitoring.metricWriter"]
    data_scientist = ["roles/aiplatform.user", "roles/logging.viewer", "roles/monitoring.viewer"]
    tracking       = ["roles/cloudsql.client", "roles/cloudsql.instanceUser", "roles/logging.logWriter"]
    # Read-only: what `terraform plan` refreshes, nothing that writes or reads data.
    ci_plan = [
      "roles/aiplatform.viewer",
      "roles/artifactregistry.reader",
      "roles/cloudkms.viewer",
      "roles/cloudsql.viewer",
      "roles/compute.networkViewer",
      "roles/compute.viewer",
      "roles/dns.reader",
      "roles/iam.roleViewer",
      "roles/iam.securityReviewer",
      "roles/iam.serviceAccountViewer",
      "roles/iam.workloadIdentityPoolViewer",
      "roles/logging.viewer",
      "roles/monitoring.viewer",
      "roles/pubsub.viewer",
      "roles/run.viewer",
      "roles/serviceusage.serviceUsageViewer",
      "roles/storage.bucketViewer",
    ]
    # What creating the landing zone needs; granted only to jobs in the approved GitHub environment.
    ci_apply = [
      "roles/aiplatform.admin",
      "roles/artifactregistry.admin",
      "roles/cloudkms.admin",
      "roles/cloudsql.admin",
      "roles/compute.instanceAdmin.v1",
      "roles/compute.networkAdmin",
      "roles/compute.securityAdmin",
      "roles/dns.admin",
      "roles/iam.serviceAccountAdmin",
      "roles/iam.workloadIdentityPoolAdmin",
      "roles/logging.configWriter",
      "roles/monitoring.admin",
      "roles/pubsub.admin",
      "roles/resourcemanager.projectIamAdmin",
      "roles/run.admin",
      "roles/servicenetworking.networksAdmin",
      "roles/serviceusage.serviceUsageAdmin",
      "roles/storage.admin",
    ]
  }

  # Bucket-level grants: duty => zones (every zone: "*") and the role on each.
  bucket_roles = {
    training       = { zones = ["*"], role = "roles/storage.objectUser" }
    data_scientist = { zones = ["*"], role = "roles/storage.objectUser" }
    serving        = { zones = ["artifacts"], role = "roles/storage.objectViewer" }
    tracking       = { zones = ["artifacts"], role = "roles/storage.objectUser" }
  }
  bucket_members = merge([
    for duty, grant in local.bucket_roles : {
      for zone, bucket in var.bucket_names : "${duty}/${zone}" => { duty = duty, bucket = bucket, role = grant.role }
      if contains(keys(var.service_accounts), duty) && (contains(grant.zones, "*") || contains(grant.zones, zone))
    }
  ]...)

  # Repository-level grants: pull for the workloads and people, push for the approved CI job.
  repository_roles = {
    training       = "roles/artifactregistry.reader"
    serving        = "roles/artifactregistry.reader"
    data_scientist = "roles/artifactregistry.reader"
    ci_apply       = "roles/artifactregistry.writer"
  }

  project_members = merge([
    for duty, roles in local.project_roles : {
      for role in roles : "${duty}/${role}" => { duty = duty, role = role }
    } if contains(keys(var.service_accounts), duty)
  ]...)

  # Service accounts CI apply attaches to resources (jobs, endpoints, Cloud Run) and so must act as.
  attached = [for duty in ["training", "serving", "tracking"] : duty if contains(keys(var.service_accounts), duty)]
  emails   = { for duty, account in google_service_account.duty : duty => account.email }
}
