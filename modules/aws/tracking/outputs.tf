output "enabled" {
  description = "Whether the managed tracking server exists."
  value       = var.enabled
}

output "tracking_server_arn" {
  description = "ARN of the tracking server; use it as MLFLOW_TRACKING_URI (with the sagemaker-mlflow plugin). Null when disabled."
  value       = var.enabled ? aws_sagemaker_mlflow_tracking_server.this[0].arn : null
}

output "tracking_server_url" {
  description = "URL of the MLflow UI of the tracking server. Null when disabled."
  value       = var.enabled ? aws_sagemaker_mlflow_tracking_server.this[0].tracking_server_url : null
}

output "tracking_server_name" {
  description = "Name of the tracking server. Null when disabled."
  value       = var.enabled ? aws_sagemaker_mlflow_tracking_server.this[0].tracking_server_name : null
}

output "role_arn" {
  description = "ARN of the role the tracking server assumes. Null when disabled."
  value       = var.enabled ? module.role[0].arn : null
}

output "artifact_store_uri" {
  description = "S3 URI where MLflow stores artifacts. Null when disabled."
  value       = var.enabled ? local.artifact_store_uri : null
}

output "mlflow_version" {
  description = "MLflow server version; pin clients to the matching release. Null when disabled."
  value       = var.enabled ? var.mlflow_version : null
}
