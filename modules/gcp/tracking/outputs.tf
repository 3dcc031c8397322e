output "uri" {
  description = "URL of the MLflow tracking server (MLFLOW_TRACKING_URI; callers send an ID token)."
  value       = google_cloud_run_v2_service.mlflow.uri
}

output "instance_connection_name" {
  description = "Connection name of the Cloud SQL instance."
  value       = local.instance.connection_name
}

output "database_user" {
  description = "The server's IAM database user; it must own the mlflow database once (see README)."
  value       = google_sql_user.server.name
}
