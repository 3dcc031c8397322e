# Alerts on every serving endpoint (p99 latency, error rate), a dashboard, and how long logs are kept.

locals {
  channels = [for channel in google_monitoring_notification_channel.email : channel.id]
  endpoint_filter = {
    for name, id in var.endpoint_ids : name => "resource.type = \"aiplatform.googleapis.com/Endpoint\" AND resource.labels.endpoint_id = \"${id}\""
  }
}

resource "google_monitoring_notification_channel" "email" {
  for_each = toset(var.emails)

  project      = var.project_id
  display_name = "${var.name} alerts: ${each.value}"
  type         = "email"
  user_labels  = var.labels

  labels = {
    email_address = each.value
  }
}

resource "google_monitoring_alert_policy" "latency" {
  for_each = var.endpoint_ids

  project               = var.project_id
  display_name          = "${var.name} ${each.key}: p99 latency above ${var.p99_latency_ms} ms"
  combiner              = "OR"
  notification_channels = local.channels
  severity              = "WARNING"
  user_labels           = var.labels

  conditions {
    display_name = "p99 prediction latency"

    condition_threshold {
      filter          = "${local.endpoint_filter[each.key]} AND metric.type = \"aiplatform.googleapis.com/prediction/online/prediction_latencies\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.p99_latency_ms
      duration        = "300s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_PERCENTILE_99"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }
}

resource "google_monitoring_alert_policy" "errors" {
  for_each = var.endpoint_ids

  project               = var.project_id
  display_name          = "${var.name} ${each.key}: error rate above ${var.error_rate_percent} %"
  combiner              = "OR"
  notification_channels = local.channels
  severity              = "ERROR"
  user_labels           = var.labels

  conditions {
    display_name = "share of failed predictions"

    # Errors / all responses, per minute.
    condition_threshold {
      filter             = "${local.endpoint_filter[each.key]} AND metric.type = \"aiplatform.googleapis.com/prediction/online/error_count\""
      denominator_filter = "${local.endpoint_filter[each.key]} AND metric.type = \"aiplatform.googleapis.com/prediction/online/prediction_count\""
      comparison         = "COMPARISON_GT"
      threshold_value    = var.error_rate_percent / 100
      duration           = "300s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }

      denominator_aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
}

resource "google_monitoring_dashboard" "this" {
  count = length(var.endpoint_ids) > 0 ? 1 : 0

  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "${var.name} serving"
    gridLayout = {
      columns = 2
      widgets = flatten([
        for name in sort(keys(var.endpoint_ids)) : [
          {
            title = "${name}: p99 latency (ms)"
            xyChart = {
              dataSets = [{
                timeSeriesQuery = {
                  timeSeriesFilter = {
                    filter      = "${local.endpoint_filter[name]} AND metric.type = \"aiplatform.googleapis.com/prediction/online/prediction_latencies\""
                    aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_PERCENTILE_99" }
                  }
                }
              }]
            }
          },
          {
            title = "${name}: predictions and errors per second"
            xyChart = {
              dataSets = [
                for metric in ["prediction_count", "error_count"] : {
                  timeSeriesQuery = {
                    timeSeriesFilter = {
                      filter      = "${local.endpoint_filter[name]} AND metric.type = \"aiplatform.googleapis.com/prediction/online/${metric}\""
                      aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_RATE" }
                    }
                  }
                }
              ]
            }
          },
        ]
      ])
    }
  })
}

# Logs of the project (training, serving, flow logs) land in the _Default bucket; keep them as the spec says.
resource "google_logging_project_bucket_config" "default" {
  project        = var.project_id
  location       = "global"
  bucket_id      = "_Default"
  retention_days = var.log_retention_days
}
