output "job_defaults" {
  description = "Training job defaults (the same document as the SSM parameter) for `mlgen train submit`."
  value       = local.job_defaults
}

output "job_defaults_parameter_name" {
  description = "Name of the SecureString SSM parameter holding the training job defaults as JSON."
  value       = aws_ssm_parameter.job_defaults.name
}

output "job_defaults_parameter_arn" {
  description = "ARN of the job-defaults parameter (grant ssm:GetParameter on it to whoever submits jobs)."
  value       = aws_ssm_parameter.job_defaults.arn
}

output "training_log_group_name" {
  description = "CloudWatch log group SageMaker training jobs write to."
  value       = local.training_log_group_name
}

output "security_group_id" {
  description = "Security group used by training jobs and fleet instances (created or passed in)."
  value       = local.security_group_id
}

output "output_s3_uri" {
  description = "Default S3 prefix for training job outputs (model.tar.gz)."
  value       = local.job_defaults.output_s3_uri
}

output "checkpoint_s3_uri" {
  description = "Default S3 prefix for training checkpoints (spot resume)."
  value       = local.job_defaults.checkpoint_s3_uri
}

output "fleet_autoscaling_group_name" {
  description = "Name of the spot GPU autoscaling group; null when the fleet is disabled."
  value       = var.vm_fleet_enabled ? aws_autoscaling_group.fleet[0].name : null
}

output "fleet_launch_template_id" {
  description = "Id of the fleet launch template; null when the fleet is disabled."
  value       = var.vm_fleet_enabled ? aws_launch_template.fleet[0].id : null
}

output "fleet_role_arn" {
  description = "ARN of the fleet instance role created by the module; null when disabled or an instance profile was passed in."
  value       = local.create_fleet_identity ? aws_iam_role.fleet[0].arn : null
}

output "fleet_instance_profile_name" {
  description = "Instance profile used by fleet instances; null when the fleet is disabled."
  value       = var.vm_fleet_enabled ? local.fleet_profile_name : null
}
