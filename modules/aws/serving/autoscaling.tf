# Target tracking on invocations per instance for every instance-based variant (serverless endpoints
# scale on their own). Min/max are bounded by the variable validation.

resource "aws_appautoscaling_target" "variant" {
  for_each = { for k, v in local.variants : k => v if !v.serverless }

  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this[each.value.endpoint].name}/variant/${each.value.variant}"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = each.value.min_capacity
  max_capacity       = each.value.max_capacity
  tags               = merge(local.tags, { endpoint = each.value.endpoint, variant = each.value.variant })
}

resource "aws_appautoscaling_policy" "invocations" {
  for_each = aws_appautoscaling_target.variant

  name               = "${local.prefix}-${local.variants[each.key].endpoint}-${local.variants[each.key].variant}-invocations"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = local.variants[each.key].invocations_per_instance
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
