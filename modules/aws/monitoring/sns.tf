module "topic" {
  source = "../alert_topic"

  name              = "${local.prefix}-alerts"
  kms_key_arn       = var.kms_key_arn
  publisher_service = "cloudwatch.amazonaws.com"
  emails            = var.emails
  tags              = local.tags
}

# The topic used to live in this module; these keep existing deployments from replacing it.
moved {
  from = aws_sns_topic.alerts
  to   = module.topic.aws_sns_topic.this
}

moved {
  from = aws_sns_topic_policy.alerts
  to   = module.topic.aws_sns_topic_policy.this
}

moved {
  from = aws_sns_topic_subscription.email
  to   = module.topic.aws_sns_topic_subscription.email
}
