output "endpoints" {
  description = "Per endpoint key: name, ARN, serverless flag, variant names and instance types (the shape the monitoring module's endpoints input takes)."
  value = {
    for ek, e in var.endpoints : ek => {
      name       = aws_sagemaker_endpoint.this[ek].name
      arn        = aws_sagemaker_endpoint.this[ek].arn
      serverless = e.serverless
      variants = {
        for k, v in local.variants : v.variant => { instance_type = e.serverless ? null : v.instance_type } if v.endpoint == ek
      }
    }
  }
}

output "endpoint_names" {
  description = "Endpoint names keyed by endpoint key."
  value       = { for ek, ep in aws_sagemaker_endpoint.this : ek => ep.name }
}

output "endpoint_arns" {
  description = "Endpoint ARNs keyed by endpoint key (grant sagemaker:InvokeEndpoint on these)."
  value       = { for ek, ep in aws_sagemaker_endpoint.this : ek => ep.arn }
}

output "endpoint_config_names" {
  description = "Current endpoint configuration names keyed by endpoint key."
  value       = { for ek, c in aws_sagemaker_endpoint_configuration.this : ek => c.name }
}

output "model_names" {
  description = "SageMaker model names keyed by \"<endpoint>/<variant>\"."
  value       = { for k, m in aws_sagemaker_model.this : k => m.name }
}

output "autoscaling_resource_ids" {
  description = "Application Auto Scaling resource ids keyed by \"<endpoint>/<variant>\" (instance-based variants only)."
  value       = { for k, t in aws_appautoscaling_target.variant : k => t.resource_id }
}

output "data_capture_s3_uris" {
  description = "Data capture destinations keyed by endpoint key (instance-based endpoints with capture on)."
  value       = { for ek, e in var.endpoints : ek => "${local.data_capture_prefix}/${ek}" if !e.serverless && e.data_capture_percent > 0 }
}

output "security_group_id" {
  description = "Security group of the endpoint instances (created or passed in)."
  value       = local.security_group_id
}
