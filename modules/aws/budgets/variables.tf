variable "project" {
  description = "Project name; the first half of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.project))
    error_message = "project must be 3-24 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (dev, staging or prod)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "tags" {
  description = "Tags merged into every taggable resource (project, environment, owner, cost-center, managed-by are expected)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "ARN of the environment's customer-managed KMS key; encrypts the budget alert topic. Its key policy must let budgets.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "monthly_amount" {
  description = "Monthly cost limit for everything tagged project=<project> in this account."
  type        = number

  validation {
    condition     = var.monthly_amount > 0
    error_message = "monthly_amount must be greater than 0."
  }
}

variable "currency" {
  description = "Currency of monthly_amount (the account's billing currency, usually USD)."
  type        = string
  default     = "USD"

  validation {
    condition     = can(regex("^[A-Z]{3}$", var.currency))
    error_message = "currency must be a three-letter ISO code such as USD."
  }
}

variable "thresholds" {
  description = "Percentages of monthly_amount that send an ACTUAL-spend alert, ascending (a FORECASTED alert at 100 % is always added). AWS allows five notifications per budget, so at most four."
  type        = list(number)
  default     = [50, 80, 100]

  validation {
    condition     = length(var.thresholds) >= 1 && length(var.thresholds) <= 4
    error_message = "thresholds must have between 1 and 4 entries (AWS allows 5 notifications per budget; one is the forecast alert)."
  }

  validation {
    condition     = alltrue([for t in var.thresholds : t >= 1 && t <= 1000])
    error_message = "Every threshold must be between 1 and 1000 (percent of the monthly amount)."
  }

  validation {
    condition     = alltrue([for i in range(1, length(var.thresholds)) : var.thresholds[i] > var.thresholds[i - 1]])
    error_message = "thresholds must be strictly ascending, for example [50, 80, 100]."
  }
}

variable "emails" {
  description = "E-mail addresses notified directly by AWS Budgets (at most 10); the SNS topic is always notified too."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.emails) <= 10 && alltrue([for e in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "emails must be at most 10 valid e-mail addresses."
  }
}

variable "cost_filter_tag_key" {
  description = "Cost allocation tag that identifies the project's spend; it must be activated in the Billing console."
  type        = string
  default     = "project"

  validation {
    condition     = length(var.cost_filter_tag_key) > 0 && length(var.cost_filter_tag_key) <= 128
    error_message = "cost_filter_tag_key must be 1-128 characters."
  }
}
