# The names match modules/aws/tracking, so the environment root reads `module.tracking.*` either way.

output "tracking_server_arn" {
  description = "ARN of the MLflow app; use it as MLFLOW_TRACKING_URI (with the sagemaker-mlflow plugin)."
  value       = aws_sagemaker_mlflow_app.this.arn
}

output "tracking_server_name" {
  description = "Name of the MLflow app."
  value       = aws_sagemaker_mlflow_app.this.name
}

output "role_arn" {
  description = "ARN of the role the MLflow app assumes."
  value       = module.role.arn
}

output "artifact_store_uri" {
  description = "S3 URI where MLflow stores artifacts."
  value       = local.artifact_store_uri
}
