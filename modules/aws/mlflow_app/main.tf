locals {
  prefix = "${var.project}-${var.environment}"

  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "mlgen"
  })

  artifacts_bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.artifacts_bucket_name}"
  artifact_store_uri   = "s3://${var.artifacts_bucket_name}/${var.artifact_prefix}"
  sagemaker_arn_base   = "arn:${data.aws_partition.current.partition}:sagemaker:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}"
}

data "aws_partition" "current" {}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

# Serverless MLflow: no instance and no size; SageMaker runs and scales it, so it bills nothing while idle.
resource "aws_sagemaker_mlflow_app" "this" {
  name                            = "${local.prefix}-mlflow"
  role_arn                        = aws_iam_role.app.arn
  artifact_store_uri              = local.artifact_store_uri
  model_registration_mode         = var.automatic_model_registration ? "AutoModelRegistrationEnabled" : "AutoModelRegistrationDisabled"
  weekly_maintenance_window_start = var.weekly_maintenance_window_start
  tags                            = local.tags

  # The role's policy must exist before the app validates access to the artifact store.
  depends_on = [aws_iam_role_policy.app]
}
