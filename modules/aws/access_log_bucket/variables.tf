variable "bucket_name" {
  description = "Name of the access-log bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens."
  }
}

variable "source_bucket_arns" {
  description = "ARNs of the buckets whose server access logs this bucket receives (the delivery policy's aws:SourceArn)."
  type        = list(string)

  validation {
    condition     = length(var.source_bucket_arns) > 0
    error_message = "source_bucket_arns must name at least one bucket."
  }
}

variable "source_account_id" {
  description = "Account that owns the source buckets (the delivery policy's aws:SourceAccount)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.source_account_id))
    error_message = "source_account_id must be a 12-digit AWS account id."
  }
}

variable "deletion_protection" {
  description = "Protect the bucket against `terraform destroy` (lifecycle.prevent_destroy); off, the bucket is force-destroyed with its logs."
  type        = bool
  default     = true
}

variable "retention_days" {
  description = "Days that access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.retention_days >= 1 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of at least 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of at least 1."
  }
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
}
