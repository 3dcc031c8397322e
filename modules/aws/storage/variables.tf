variable "project" {
  description = "Project name; the first half of every resource name (`<project>-<environment>`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.project))
    error_message = "project must be 3-24 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of: dev, staging, prod."
  }
}

variable "tags" {
  description = "Extra tags merged into every taggable resource (the root also sets provider default_tags)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the zone buckets (output key_arn of the kms module)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "deletion_protection" {
  description = "Protect the buckets against `terraform destroy` (lifecycle.prevent_destroy). Defaults to true for prod in the generated roots."
  type        = bool
  default     = false
}

variable "zones" {
  description = "Data zones; one bucket each, named <project>-<environment>-<zone>-<account id>."
  type        = set(string)
  default     = ["raw", "processed", "features", "artifacts"]

  validation {
    condition     = length(var.zones) > 0 && alltrue([for z in var.zones : can(regex("^[a-z][a-z0-9-]{0,12}[a-z0-9]$", z))])
    error_message = "zones must be a non-empty set of 2-14 character names of lowercase letters, digits and hyphens."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions are deleted from the zone buckets."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "transition_to_ia_days" {
  description = "Days after which current objects move to STANDARD_IA (S3 requires at least 30); null disables the transition."
  type        = number
  default     = 30

  validation {
    condition     = var.transition_to_ia_days == null || try(var.transition_to_ia_days >= 30, false)
    error_message = "transition_to_ia_days must be null or at least 30 (the S3 minimum for STANDARD_IA)."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted and their parts deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1
    error_message = "abort_incomplete_multipart_upload_days must be at least 1."
  }
}

variable "access_log_retention_days" {
  description = "Days that server access logs are kept in the access-log bucket."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 1
    error_message = "access_log_retention_days must be at least 1."
  }
}
