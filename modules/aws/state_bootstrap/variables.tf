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

variable "deletion_protection" {
  description = "Protect the state bucket, its log bucket and its key against `terraform destroy` (lifecycle.prevent_destroy)."
  type        = bool
  default     = true
}

variable "bucket_name" {
  description = "State bucket name; null derives <project>-<environment>-tfstate-<account id>."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens."
  }
}

variable "key_deletion_window_in_days" {
  description = "Waiting period before AWS deletes the state key once deletion is scheduled (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.key_deletion_window_in_days >= 7 && var.key_deletion_window_in_days <= 30 && floor(var.key_deletion_window_in_days) == var.key_deletion_window_in_days
    error_message = "key_deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days that noncurrent state versions are kept (they are the way back from a bad apply)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "access_log_retention_days" {
  description = "Days that server access logs of the state bucket are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 1
    error_message = "access_log_retention_days must be at least 1."
  }
}
