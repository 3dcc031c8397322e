variable "project_id" {
  description = "The GCP project id of the environment (the spec's account id)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "labels" {
  description = "Labels merged into every resource that takes them (the root also sets provider default_labels)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "labels must be GCP labels: lowercase keys starting with a letter, values of lowercase letters, digits, _ and -, at most 63 characters."
  }
}

variable "location" {
  description = "Region of the resources (the environment's region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.location))
    error_message = "location must be a GCP region such as us-central1."
  }
}

variable "bucket_name" {
  description = "Name of the state bucket (mlgen.clouds.gcp.naming.state_bucket: globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a GCS bucket name: 3-63 lowercase letters, digits, _ and -."
  }
}

variable "log_bucket_name" {
  description = "Name of the bucket that receives the state bucket's access logs."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.log_bucket_name))
    error_message = "log_bucket_name must be a GCS bucket name: 3-63 lowercase letters, digits, _ and -."
  }
}

variable "key_ring_name" {
  description = "Name of the key ring that holds the state key."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,63}$", var.key_ring_name))
    error_message = "key_ring_name must be 1-63 letters, digits, _ or -."
  }
}

variable "deletion_protection" {
  description = "Protect the module's data and keys against `terraform destroy` (lifecycle.prevent_destroy); true for prod in the generated roots."
  type        = bool
  default     = false

  validation {
    condition     = var.deletion_protection == true || var.deletion_protection == false
    error_message = "deletion_protection must be true or false."
  }
}

variable "key_destroy_scheduled_days" {
  description = "Days a destroyed key version can still be restored before Cloud KMS deletes it."
  type        = number
  default     = 30

  validation {
    condition     = var.key_destroy_scheduled_days >= 1 && var.key_destroy_scheduled_days <= 120
    error_message = "key_destroy_scheduled_days must be at least 1 and at most 120."
  }
}

variable "access_log_retention_days" {
  description = "Days the access logs are kept in the log bucket."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 1
    error_message = "access_log_retention_days must be at least 1."
  }
}

variable "noncurrent_state_versions" {
  description = "Older versions of each state object kept (versioning makes every state write recoverable)."
  type        = number
  default     = 20

  validation {
    condition     = var.noncurrent_state_versions >= 1
    error_message = "noncurrent_state_versions must be at least 1."
  }
}
