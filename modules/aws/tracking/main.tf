locals {
  prefix = "${var.project}-${var.environment}"

  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "mlgen"
  })

  count              = var.enabled ? 1 : 0
  artifact_store_uri = "s3://${var.artifacts_bucket_name}/${var.artifact_prefix}"
}

resource "aws_sagemaker_mlflow_tracking_server" "this" {
  count = local.count

  tracking_server_name            = "${local.prefix}-mlflow"
  role_arn                        = module.role[0].arn
  artifact_store_uri              = local.artifact_store_uri
  tracking_server_size            = var.tracking_server_size
  mlflow_version                  = var.mlflow_version
  automatic_model_registration    = var.automatic_model_registration
  weekly_maintenance_window_start = var.weekly_maintenance_window_start
  tags                            = local.tags

  # The role's policy must exist before the server validates access to the artifact store.
  depends_on = [module.role]
}
