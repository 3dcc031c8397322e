variable "project_id" {
  description = "The GCP project id of the environment (the spec's account id)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "project_number" {
  description = "Number of the project (data.google_project.number): service agents and network names use it."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+$", var.project_number))
    error_message = "project_number must be the project's number (digits)."
  }
}

variable "service_accounts" {
  description = "Duty (training, serving, data_scientist, ci_plan, ci_apply, tracking) => service account id (mlgen.clouds.gcp.naming.service_account_id)."
  type        = map(string)

  validation {
    condition     = alltrue([for duty in ["training", "serving", "data_scientist"] : contains(keys(var.service_accounts), duty)]) && alltrue([for id in values(var.service_accounts) : can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", id))])
    error_message = "service_accounts must hold training, serving and data_scientist, each a 6-30 character service account id."
  }
}

variable "bucket_names" {
  description = "Zone => bucket name (output bucket_names of the storage module)."
  type        = map(string)

  validation {
    condition     = contains(keys(var.bucket_names), "artifacts")
    error_message = "bucket_names must include the artifacts zone."
  }
}

variable "repository_id" {
  description = "Id of the Docker repository (output repository_id of the registry module)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/repositories/[^/]+$", var.repository_id))
    error_message = "repository_id must be a repository id (projects/<p>/locations/<l>/repositories/<name>)."
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

variable "state_bucket_name" {
  description = "The environment's Terraform state bucket (made by the bootstrap root)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a GCS bucket name: 3-63 lowercase letters, digits, _ and -."
  }
}

variable "data_scientist_principals" {
  description = "Members (user:, group:, serviceAccount:, domain:) who may impersonate the data-scientist account."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.data_scientist_principals : can(regex("^(user|group|serviceAccount|domain):[^\\s]+$", p))])
    error_message = "data_scientist_principals must be IAM members such as group:ds@example.com."
  }
}

variable "ci" {
  description = "GitHub federation: repository (owner/name), pool_id, provider_id, attribute_condition (CEL: which tokens the provider accepts at all), plan_condition (CEL: which may plan) and apply_environment; null: no CI identities."
  type = object({
    repository          = string
    pool_id             = string
    provider_id         = string
    attribute_condition = string
    plan_condition      = string
    apply_environment   = string
  })
  default = null

  validation {
    condition     = var.ci == null || (can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", try(var.ci.repository, ""))) && can(regex("^[a-z][a-z0-9-]{2,30}[a-z0-9]$", try(var.ci.pool_id, ""))) && length(try(var.ci.plan_condition, "")) > 0 && startswith(try(var.ci.attribute_condition, ""), "assertion.repository == '${try(var.ci.repository, "")}' && "))
    error_message = "ci needs an owner/name repository, a 4-32 character pool id, a plan condition and an attribute condition that starts by pinning the repository."
  }
}
