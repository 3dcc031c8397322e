# Budget alerts also go to an SNS topic so chat or paging integrations can subscribe to them.
module "topic" {
  source = "../alert_topic"

  name                  = "${local.prefix}-budget-alerts"
  kms_key_arn           = var.kms_key_arn
  publisher_service     = "budgets.amazonaws.com"
  publisher_source_arns = ["arn:${data.aws_partition.current.partition}:budgets::${data.aws_caller_identity.current.account_id}:*"]
  tags                  = local.tags
}

# The topic used to live in this module; these keep existing deployments from replacing it.
moved {
  from = aws_sns_topic.budget
  to   = module.topic.aws_sns_topic.this
}

moved {
  from = aws_sns_topic_policy.budget
  to   = module.topic.aws_sns_topic_policy.this
}
