locals {
  region        = data.aws_region.current.region
  alarm_actions = [module.topic.arn]
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

# SageMaker creates /aws/sagemaker/Endpoints/<name> on first start if it is missing, with no retention and
# no CMK. Creating it here first (see README for the ordering) gives it both.
resource "aws_cloudwatch_log_group" "endpoint" {
  for_each = var.endpoints

  name              = "/aws/sagemaker/Endpoints/${each.value.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = merge(local.tags, { endpoint = each.key })
}
