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

variable "buckets" {
  description = "Zone => bucket name (mlgen.clouds.gcp.naming.bucket_name); must include artifacts."
  type        = map(string)

  validation {
    condition     = contains(keys(var.buckets), "artifacts") && alltrue([for name in values(var.buckets) : can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", name))])
    error_message = "buckets must include artifacts and map zones to GCS bucket names (3-63 lowercase letters, digits, _ and -)."
  }
}

variable "log_bucket_name" {
  description = "Name of the access-log bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.log_bucket_name))
    error_message = "log_bucket_name must be a GCS bucket name: 3-63 lowercase letters, digits, _ and -."
  }
}

variable "kms_key_id" {
  description = "Cloud KMS key that encrypts every bucket (output key_ids[\"storage\"] of the kms module)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id must be a Cloud KMS key id (projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)."
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

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions are deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "transition_to_nearline_days" {
  description = "Days after which live objects move to the Nearline storage class."
  type        = number
  default     = 30

  validation {
    condition     = var.transition_to_nearline_days >= 1
    error_message = "transition_to_nearline_days must be at least 1."
  }
}

variable "access_log_retention_days" {
  description = "Days the access logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_retention_days >= 1
    error_message = "access_log_retention_days must be at least 1."
  }
}
