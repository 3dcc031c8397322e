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

variable "project_number" {
  description = "Number of the project (names the Compute Engine service agent)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+$", var.project_number))
    error_message = "project_number must be the project's number."
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

variable "key_ring_name" {
  description = "Name of the environment's key ring."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,63}$", var.key_ring_name))
    error_message = "key_ring_name must be 1-63 letters, digits, _ or -."
  }
}

variable "keys" {
  description = "Purpose => key name; one key per purpose (storage, registry, vertex, compute, logging, pubsub, sql)."
  type        = map(string)

  validation {
    condition     = length(var.keys) > 0 && alltrue([for name in values(var.keys) : can(regex("^[a-zA-Z0-9_-]{1,63}$", name))])
    error_message = "keys must map purposes to 1-63 character key names."
  }
}

variable "agents" {
  description = "Service agent (aiplatform, artifactregistry, compute, logging, pubsub, sqladmin, storage) => the purpose of the key it encrypts with."
  type        = map(string)

  validation {
    condition     = alltrue([for agent, purpose in var.agents : contains(["aiplatform", "artifactregistry", "compute", "logging", "pubsub", "sqladmin", "storage"], agent) && contains(keys(var.keys), purpose)])
    error_message = "agents must name known service agents and purposes listed in keys."
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

