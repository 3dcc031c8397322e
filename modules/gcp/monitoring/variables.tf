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

variable "name" {
  description = "Prefix of display names (<project>-<environment>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,62}$", var.name))
    error_message = "name must be a lowercase name."
  }
}

variable "emails" {
  description = "E-mail addresses the alerts go to."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "emails must be e-mail addresses."
  }
}

variable "endpoint_ids" {
  description = "Endpoint name => Vertex AI endpoint id to watch."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for id in values(var.endpoint_ids) : can(regex("^[1-9][0-9]{0,9}$", id))])
    error_message = "endpoint ids must be numeric Vertex AI endpoint ids."
  }
}

variable "p99_latency_ms" {
  description = "Alert when an endpoint's p99 latency exceeds this (milliseconds)."
  type        = number
  default     = 500

  validation {
    condition     = var.p99_latency_ms > 0
    error_message = "p99_latency_ms must be positive."
  }
}

variable "error_rate_percent" {
  description = "Alert when the share of failed predictions exceeds this (percent)."
  type        = number
  default     = 1

  validation {
    condition     = var.error_rate_percent > 0 && var.error_rate_percent <= 100
    error_message = "error_rate_percent must be in (0, 100]."
  }
}

variable "log_retention_days" {
  description = "Days the project's _Default log bucket keeps logs."
  type        = number
  default     = 30

  validation {
    condition     = var.log_retention_days >= 1 && var.log_retention_days <= 3650
    error_message = "log_retention_days must be at least 1 and at most 3650."
  }
}
