# A monthly budget on the environment's resource group: actual spend at each threshold, and forecast spend
# at the last one, notify the e-mails and the monitoring action group.
resource "azurerm_consumption_budget_resource_group" "this" {
  name              = "budget-${var.name_suffix}"
  resource_group_id = var.resource_group_id
  amount            = var.monthly_amount
  time_grain        = "Monthly"

  time_period {
    # Budgets start on the first of a month. The month of the first plan, then kept (ignore_changes), so
    # later plans do not move it.
    start_date = formatdate("YYYY-MM-01'T'00:00:00Z", plantimestamp())
  }

  dynamic "notification" {
    for_each = var.thresholds
    content {
      enabled        = true
      threshold      = notification.value
      operator       = "GreaterThanOrEqualTo"
      threshold_type = "Actual"
      contact_emails = var.emails
      contact_groups = [var.action_group_id]
    }
  }

  notification {
    enabled        = true
    threshold      = var.thresholds[length(var.thresholds) - 1]
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Forecasted"
    contact_emails = var.emails
    contact_groups = [var.action_group_id]
  }

  lifecycle {
    ignore_changes = [time_period]
  }
}
