locals {
  prefix = "${var.project}-${var.environment}"

  tags = merge(var.tags, {
    project     = var.project
    environment = var.environment
    managed-by  = "mlgen"
  })

  security_group_id = var.create_security_group ? module.security_group[0].id : var.security_group_id

  artifacts_prefix  = "s3://${var.artifacts_bucket_name}/training"
  job_defaults_name = "/${var.project}/${var.environment}/training/job-defaults"

  # The contract `mlgen train submit` reads (SSM parameter below and the job_defaults output).
  # Keys mirror CreateTrainingJob so the CLI maps them one to one; bump schema_version on breaking changes.
  job_defaults = {
    schema_version             = 1
    job_name_prefix            = local.prefix
    region                     = data.aws_region.current.region
    role_arn                   = var.training_role_arn
    image_uri                  = var.training_image_uri
    instance_type              = var.training.instance_type
    instance_count             = var.training.instance_count
    volume_size_gb             = var.training.volume_size_gb
    volume_kms_key_id          = var.kms_key_arn
    output_kms_key_id          = var.kms_key_arn
    output_s3_uri              = "${local.artifacts_prefix}/output/"
    checkpoint_s3_uri          = "${local.artifacts_prefix}/checkpoints/"
    checkpoint_local_path      = "/opt/ml/checkpoints"
    enable_managed_spot        = var.training.spot
    max_runtime_seconds        = var.training.max_runtime_hours * 3600
    max_wait_seconds           = var.training.spot ? var.training.max_wait_hours * 3600 : null
    subnet_ids                 = var.subnet_ids
    security_group_ids         = [local.security_group_id]
    inter_container_encryption = true
    log_group_name             = local.training_log_group_name
    mlflow_tracking_arn        = var.training.mlflow_tracking_arn
    tags                       = local.tags
  }
}

data "aws_region" "current" {}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

# SageMaker always writes training logs to this account-wide group; owning it here adds the CMK and a
# retention instead of the default "never expire, AWS-owned key".
locals {
  training_log_group_name = "/aws/sagemaker/TrainingJobs"
}

resource "aws_cloudwatch_log_group" "training" {
  count = var.manage_training_log_group ? 1 : 0

  name              = local.training_log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = local.tags
}

resource "aws_ssm_parameter" "job_defaults" {
  name        = local.job_defaults_name
  description = "Defaults for SageMaker training jobs submitted by mlgen train submit (${local.prefix})."
  type        = "SecureString"
  key_id      = var.kms_key_arn
  tier        = "Standard"
  value       = jsonencode(local.job_defaults)
  tags        = local.tags
}
