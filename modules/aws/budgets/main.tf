data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

resource "aws_budgets_budget" "monthly" {
  name         = "${local.prefix}-monthly"
  budget_type  = "COST"
  limit_amount = format("%.2f", var.monthly_amount)
  limit_unit   = var.currency
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = [local.tag_filter_value]
  }

  dynamic "notification" {
    for_each = local.notifications

    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value.threshold
      threshold_type             = "PERCENTAGE"
      notification_type          = notification.value.type
      subscriber_email_addresses = var.emails
      subscriber_sns_topic_arns  = [module.topic.arn]
    }
  }

  tags = local.tags

  # Budgets validates that it may publish to the topic when the notification is created.
  depends_on = [module.topic]
}
