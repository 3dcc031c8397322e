# Per endpoint variant: latency and error rate for every variant, CPU for instance-based variants, GPU for
# GPU variants. No traffic is not an incident, so missing data never breaches.

resource "aws_cloudwatch_metric_alarm" "p99_latency" {
  for_each = local.watched

  alarm_name          = "${local.prefix}-${each.value.endpoint_key}-${each.value.variant}-p99-latency"
  alarm_description   = "p99 model latency of ${each.value.endpoint}/${each.value.variant} above ${var.p99_latency_ms} ms."
  namespace           = "AWS/SageMaker"
  metric_name         = "ModelLatency"
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = var.evaluation_minutes
  datapoints_to_alarm = local.datapoints_to_alarm
  comparison_operator = "GreaterThanThreshold"
  # ModelLatency is reported in microseconds.
  threshold          = var.p99_latency_ms * 1000
  treat_missing_data = "notBreaching"
  alarm_actions      = local.alarm_actions
  ok_actions         = local.alarm_actions

  dimensions = {
    EndpointName = each.value.endpoint
    VariantName  = each.value.variant
  }

  tags = merge(local.tags, { endpoint = each.value.endpoint_key })
}

resource "aws_cloudwatch_metric_alarm" "error_rate" {
  for_each = local.watched

  alarm_name          = "${local.prefix}-${each.value.endpoint_key}-${each.value.variant}-5xx-rate"
  alarm_description   = "5XX responses of ${each.value.endpoint}/${each.value.variant} above ${var.error_rate_percent} % of invocations."
  evaluation_periods  = var.evaluation_minutes
  datapoints_to_alarm = local.datapoints_to_alarm
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.error_rate_percent
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "error_rate"
    label       = "5XX error rate (%)"
    expression  = "IF(invocations > 0, 100 * errors / invocations, 0)"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/SageMaker"
      metric_name = "Invocation5XXErrors"
      stat        = "Sum"
      period      = 60
      dimensions = {
        EndpointName = each.value.endpoint
        VariantName  = each.value.variant
      }
    }
  }

  metric_query {
    id = "invocations"

    metric {
      namespace   = "AWS/SageMaker"
      metric_name = "Invocations"
      stat        = "Sum"
      period      = 60
      dimensions = {
        EndpointName = each.value.endpoint
        VariantName  = each.value.variant
      }
    }
  }

  tags = merge(local.tags, { endpoint = each.value.endpoint_key })
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  for_each = local.instance_variants

  alarm_name          = "${local.prefix}-${each.value.endpoint_key}-${each.value.variant}-cpu"
  alarm_description   = "CPU of ${each.value.endpoint}/${each.value.variant} above ${var.cpu_utilization_percent} % per vCPU (${each.value.vcpus} vCPUs)."
  namespace           = "/aws/sagemaker/Endpoints"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = var.evaluation_minutes
  datapoints_to_alarm = local.datapoints_to_alarm
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.cpu_utilization_percent * each.value.vcpus
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    EndpointName = each.value.endpoint
    VariantName  = each.value.variant
  }

  tags = merge(local.tags, { endpoint = each.value.endpoint_key })
}

resource "aws_cloudwatch_metric_alarm" "gpu" {
  for_each = local.gpu_variants

  alarm_name          = "${local.prefix}-${each.value.endpoint_key}-${each.value.variant}-gpu"
  alarm_description   = "GPU use of ${each.value.endpoint}/${each.value.variant} above ${var.gpu_utilization_percent} % per GPU (${each.value.gpus} GPUs)."
  namespace           = "/aws/sagemaker/Endpoints"
  metric_name         = "GPUUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = var.evaluation_minutes
  datapoints_to_alarm = local.datapoints_to_alarm
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.gpu_utilization_percent * each.value.gpus
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  dimensions = {
    EndpointName = each.value.endpoint
    VariantName  = each.value.variant
  }

  tags = merge(local.tags, { endpoint = each.value.endpoint_key })
}
