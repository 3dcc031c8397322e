variable "project" {
  description = "Project name; the first half of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.project))
    error_message = "project must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (dev, staging or prod)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "tags" {
  description = "Tags merged into every taggable resource (project, environment, owner, cost-center, managed-by are expected)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "ARN of the environment's customer-managed KMS key; the artifacts bucket is encrypted with it, so the MLflow app role may use it for S3 objects only."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "artifacts_bucket_name" {
  description = "Name of the artifacts bucket (from the storage module); MLflow artifacts go under artifact_prefix in it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be a valid S3 bucket name."
  }
}

variable "artifact_prefix" {
  description = "Key prefix for MLflow artifacts inside the artifacts bucket (no leading or trailing slash)."
  type        = string
  default     = "mlflow"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*$", var.artifact_prefix))
    error_message = "artifact_prefix must be a relative S3 key prefix without leading or trailing slashes."
  }
}

variable "automatic_model_registration" {
  description = "Register MLflow models in the SageMaker Model Registry automatically (the role then gets scoped model-package permissions)."
  type        = bool
  default     = true
}

variable "weekly_maintenance_window_start" {
  description = "Weekly maintenance window start in UTC, for example Tue:03:30 (the API accepts capitalised day names only)."
  type        = string
  default     = "Sun:03:00"

  validation {
    condition     = can(regex("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.weekly_maintenance_window_start))
    error_message = "weekly_maintenance_window_start must look like Tue:03:30 (UTC, capitalised day)."
  }
}
