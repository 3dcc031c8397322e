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

variable "repository_id" {
  description = "Name of the Docker repository (mlgen.clouds.gcp.naming.repository_id)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.repository_id))
    error_message = "repository_id must be 1-63 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "kms_key_id" {
  description = "Cloud KMS key that encrypts the repository (output key_ids[\"registry\"] of the kms module)."
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

variable "keep_tag_prefixes" {
  description = "Tag prefixes the cleanup policy never deletes (releases and CI pushes)."
  type        = list(string)
  default     = ["v", "git-"]

  validation {
    condition     = length(var.keep_tag_prefixes) > 0
    error_message = "keep_tag_prefixes must name at least one prefix, or release tags could be cleaned up."
  }
}

variable "untagged_retention_days" {
  description = "Days an untagged image is kept before the cleanup policy deletes it."
  type        = number
  default     = 14

  validation {
    condition     = var.untagged_retention_days >= 1
    error_message = "untagged_retention_days must be at least 1."
  }
}
