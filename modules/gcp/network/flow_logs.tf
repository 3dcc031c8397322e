# Flow logs get their own regional log bucket, encrypted with the logging key and kept as long as the spec's
# network.flow_log_retention_days, instead of the project's _Default bucket (which keeps every other log as
# long as monitoring says).

resource "google_logging_project_bucket_config" "flow_logs" {
  project        = var.project_id
  location       = var.region
  bucket_id      = "${var.network_name}-flow-logs"
  description    = "VPC flow logs of ${var.network_name} (mlgen)."
  retention_days = var.flow_log_retention_days

  cmek_settings {
    kms_key_name = var.logging_kms_key_id
  }
}

resource "google_logging_project_sink" "flow_logs" {
  project     = var.project_id
  name        = "${var.network_name}-flow-logs"
  description = "Routes the VPC flow logs of ${var.network_name} to their own bucket."
  destination = "logging.googleapis.com/${google_logging_project_bucket_config.flow_logs.id}"
  filter      = "log_id(\"compute.googleapis.com/vpc_flows\") AND resource.labels.subnetwork_name=\"${var.subnet_name}\""
}

# Kept once, in the flow-log bucket: the _Default sink skips them.
resource "google_logging_project_exclusion" "flow_logs" {
  project     = var.project_id
  name        = "${var.network_name}-flow-logs-in-own-bucket"
  description = "VPC flow logs of ${var.network_name} go to their own bucket (sink ${google_logging_project_sink.flow_logs.name})."
  filter      = google_logging_project_sink.flow_logs.filter
}
