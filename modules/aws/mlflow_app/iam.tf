# The MLflow app's own role (the same rules as the managed tracking server's, so written once).

module "role" {
  source = "../mlflow_role"

  name                         = "${local.prefix}-mlflow"
  description                  = "SageMaker serverless MLflow of ${local.prefix}: artifact prefix and model registration"
  policy_name                  = "mlflow-app"
  artifacts_bucket_name        = var.artifacts_bucket_name
  artifact_prefix              = var.artifact_prefix
  kms_key_arn                  = var.kms_key_arn
  automatic_model_registration = var.automatic_model_registration
  tags                         = local.tags
}

# The role and its policy lived in this module before mlflow_role existed.
moved {
  from = aws_iam_role.app
  to   = module.role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.app
  to   = module.role.aws_iam_role_policy.this
}
