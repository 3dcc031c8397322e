output "budget_name" {
  description = "Resource name of the budget (billingAccounts/<account>/budgets/<id>)."
  value       = google_billing_budget.this.name
}

output "topic_id" {
  description = "Pub/Sub topic that receives every budget notification."
  value       = google_pubsub_topic.budget.id
}
