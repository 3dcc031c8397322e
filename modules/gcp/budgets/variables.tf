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
  description = "Number of the project (data.google_project.number): service agents and network names use it."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+$", var.project_number))
    error_message = "project_number must be the project's number (digits)."
  }
}

variable "billing_account" {
  description = "Billing account the project bills to (data.google_project.billing_account)."
  type        = string

  validation {
    condition     = length(var.billing_account) > 0
    error_message = "billing_account must name the project's billing account."
  }
}

variable "display_name" {
  description = "Name of the budget (mlgen.clouds.gcp.naming.budget_name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9 _.-]{1,60}$", var.display_name))
    error_message = "display_name must be 1-60 letters, digits, spaces, _ . or -."
  }
}

variable "topic_name" {
  description = "Pub/Sub topic for the budget notifications."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9._~%+-]{2,254}$", var.topic_name))
    error_message = "topic_name must be a Pub/Sub topic name."
  }
}

variable "kms_key_id" {
  description = "Cloud KMS key that encrypts the topic (output key_ids[\"pubsub\"] of the kms module)."
  type        = string

  validation {
    condition     = can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id must be a Cloud KMS key id (projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>)."
  }
}

variable "monthly_amount" {
  description = "Monthly budget in currency units."
  type        = number

  validation {
    condition     = var.monthly_amount > 0
    error_message = "monthly_amount must be positive."
  }
}

variable "currency" {
  description = "ISO 4217 currency of the budget (the billing account's currency)."
  type        = string
  default     = "USD"

  validation {
    condition     = can(regex("^[A-Z]{3}$", var.currency))
    error_message = "currency must be a three-letter currency code."
  }
}

variable "thresholds" {
  description = "Percents of the amount that notify, for actual and for forecast spend."
  type        = list(number)
  default     = [50, 80, 100]

  validation {
    condition     = length(var.thresholds) > 0 && alltrue([for t in var.thresholds : t > 0 && t <= 1000])
    error_message = "thresholds must be between 1 and 1000 percent."
  }
}

variable "emails" {
  description = "E-mail addresses notified at every threshold (at most 5 channels per budget)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "emails must be e-mail addresses."
  }
}
