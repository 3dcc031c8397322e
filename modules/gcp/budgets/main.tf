# A monthly budget for the environment's project: e-mails and a Pub/Sub message at each threshold of the
# actual spend and of the forecast.

resource "google_pubsub_topic" "budget" {
  project      = var.project_id
  name         = var.topic_name
  kms_key_name = var.kms_key_id
  labels       = var.labels
}

# Cloud Billing publishes budget notifications as this Google-managed account.
resource "google_pubsub_topic_iam_member" "billing" {
  project = var.project_id
  topic   = google_pubsub_topic.budget.name
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:billing-budget-alert@system.gserviceaccount.com"
}

resource "google_monitoring_notification_channel" "email" {
  for_each = toset(var.emails)

  project      = var.project_id
  display_name = "Budget ${var.display_name}: ${each.value}"
  type         = "email"
  user_labels  = var.labels

  labels = {
    email_address = each.value
  }
}

resource "google_billing_budget" "this" {
  billing_account = var.billing_account
  display_name    = var.display_name

  budget_filter {
    projects        = ["projects/${var.project_number}"]
    calendar_period = "MONTH"
  }

  amount {
    specified_amount {
      currency_code = var.currency
      units         = tostring(floor(var.monthly_amount))
    }
  }

  dynamic "threshold_rules" {
    for_each = var.thresholds

    content {
      threshold_percent = threshold_rules.value / 100
      spend_basis       = "CURRENT_SPEND"
    }
  }

  dynamic "threshold_rules" {
    for_each = var.thresholds

    content {
      threshold_percent = threshold_rules.value / 100
      spend_basis       = "FORECASTED_SPEND"
    }
  }

  all_updates_rule {
    pubsub_topic                     = google_pubsub_topic.budget.id
    monitoring_notification_channels = [for channel in google_monitoring_notification_channel.email : channel.id]
    # Without e-mails the billing account's admins are told (Google's default recipients).
    disable_default_iam_recipients = length(var.emails) > 0
  }

  depends_on = [google_pubsub_topic_iam_member.billing]
}
