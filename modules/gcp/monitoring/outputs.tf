output "notification_channels" {
  description = "Ids of the alert e-mail channels."
  value       = local.channels
}

output "alert_policy_ids" {
  description = "Endpoint => ids of its latency and error-rate alert policies."
  value = {
    for name in keys(var.endpoint_ids) : name => [
      google_monitoring_alert_policy.latency[name].id,
      google_monitoring_alert_policy.errors[name].id,
    ]
  }
}
