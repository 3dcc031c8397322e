variable "project_id" {
  description = "The GCP project id of the environment (the spec's account id)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "services" {
  description = "APIs to enable, e.g. aiplatform.googleapis.com."
  type        = list(string)

  validation {
    condition     = length(var.services) > 0 && alltrue([for s in var.services : can(regex("^[a-z][a-z0-9-]*\\.googleapis\\.com$", s))])
    error_message = "services must be a non-empty list of API names ending in .googleapis.com."
  }
}
