output "topic_arn" {
  description = "ARN of the KMS-encrypted alert topic (alarm actions; subscribe chat or paging to it)."
  value       = module.topic.arn
}

output "alarm_names" {
  description = "Alarm names keyed by \"<endpoint key>/<variant>\", then by kind (p99_latency, error_rate, cpu, gpu; absent kinds are null). Pass an endpoint's names to the serving module's rollback_alarm_names."
  value = {
    for k, v in local.watched : k => {
      p99_latency = aws_cloudwatch_metric_alarm.p99_latency[k].alarm_name
      error_rate  = aws_cloudwatch_metric_alarm.error_rate[k].alarm_name
      cpu         = try(aws_cloudwatch_metric_alarm.cpu[k].alarm_name, null)
      gpu         = try(aws_cloudwatch_metric_alarm.gpu[k].alarm_name, null)
    }
  }
}

output "log_group_names" {
  description = "Endpoint log group names keyed by endpoint key."
  value       = { for ek, lg in aws_cloudwatch_log_group.endpoint : ek => lg.name }
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard; null when there are no endpoints."
  value       = length(var.endpoints) > 0 ? aws_cloudwatch_dashboard.endpoints[0].dashboard_name : null
}
