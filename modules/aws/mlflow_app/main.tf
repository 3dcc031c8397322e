locals {
  prefix = "${var.project}-${var.environment}"

  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "mlgen"
  })

  artifact_store_uri = "s3://${var.artifacts_bucket_name}/${var.artifact_prefix}"
}

# Serverless MLflow: no instance and no size; SageMaker runs and scales it, so it bills nothing while idle.
resource "aws_sagemaker_mlflow_app" "this" {
  name                            = "${local.prefix}-mlflow"
  role_arn                        = module.role.arn
  artifact_store_uri              = local.artifact_store_uri
  model_registration_mode         = var.automatic_model_registration ? "AutoModelRegistrationEnabled" : "AutoModelRegistrationDisabled"
  weekly_maintenance_window_start = var.weekly_maintenance_window_start
  tags                            = local.tags

  # The role's policy must exist before the app validates access to the artifact store.
  depends_on = [module.role]
}
