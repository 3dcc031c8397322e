variable "name" {
  description = "Start of the role name (at most 37 characters are kept; AWS appends a unique suffix)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters of letters, digits and +=,.@_- (IAM role name characters)."
  }
}

variable "description" {
  description = "What the role is for (shown in IAM)."
  type        = string

  validation {
    condition     = length(var.description) <= 1000
    error_message = "description must be at most 1000 characters (IAM's limit)."
  }
}

variable "policy_name" {
  description = "Name of the role's inline policy."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,128}$", var.policy_name))
    error_message = "policy_name must be 1-128 characters of letters, digits and +=,.@_-."
  }
}

variable "artifacts_bucket_name" {
  description = "Name of the artifacts bucket; MLflow artifacts go under artifact_prefix in it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be a valid S3 bucket name."
  }
}

variable "artifact_prefix" {
  description = "Key prefix for MLflow artifacts inside the artifacts bucket (no leading or trailing slash)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*$", var.artifact_prefix))
    error_message = "artifact_prefix must be a non-empty S3 key prefix without leading or trailing slash."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed key the artifacts bucket is encrypted with; the role may use it through S3 only."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "automatic_model_registration" {
  description = "Grant the scoped model-package permissions that automatic registration in the SageMaker Model Registry needs."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags of the role (the project's required tags)."
  type        = map(string)
  default     = {}
}
