output "budget_name" {
  description = "Name of the monthly cost budget."
  value       = aws_budgets_budget.monthly.name
}

output "budget_arn" {
  description = "ARN of the monthly cost budget."
  value       = aws_budgets_budget.monthly.arn
}

output "topic_arn" {
  description = "ARN of the KMS-encrypted SNS topic that receives budget alerts (subscribe chat or paging to it)."
  value       = module.topic.arn
}

output "cost_filter" {
  description = "The TagKeyValue cost filter the budget uses (user:<tag key>$<project>)."
  value       = local.tag_filter_value
}

output "notifications" {
  description = "Notifications keyed by name (actual-<pct>, forecast-100) with their type and threshold."
  value       = local.notifications
}
