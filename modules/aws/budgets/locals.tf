# Pure derivations from the inputs (no resources or data sources), kept apart so tests can evaluate them
# with a provider-free `terraform apply`.
locals {
  prefix = "${var.project}-${var.environment}"

  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "mlgen"
  })

  # AWS Budgets' TagKeyValue filter format: "user:<tag key>$<tag value>".
  tag_filter_value = format("user:%s$%s", var.cost_filter_tag_key, var.project)

  actual_notifications = { for t in var.thresholds : format("actual-%d", t) => { type = "ACTUAL", threshold = t } }
  notifications        = merge(local.actual_notifications, { "forecast-100" = { type = "FORECASTED", threshold = 100 } })
}
