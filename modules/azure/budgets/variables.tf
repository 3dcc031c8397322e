variable "project" {
  description = "Project name; the first half of every resource name (`<project>-<environment>`)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.project))
    error_message = "project must be 3-24 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of: dev, staging, prod."
  }
}

variable "name_suffix" {
  description = "<project>-<environment>: the budget is budget-<name_suffix>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name_suffix))
    error_message = "name_suffix must be lower-case letters, digits and hyphens."
  }
}

variable "resource_group_id" {
  description = "The environment's resource group: everything the landing zone creates bills under it."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+$", var.resource_group_id))
    error_message = "resource_group_id must be a resource group id."
  }
}

variable "monthly_amount" {
  description = "Monthly budget amount, in the billing currency of the subscription."
  type        = number

  validation {
    condition     = var.monthly_amount > 0
    error_message = "monthly_amount must be positive."
  }
}

variable "thresholds" {
  description = "Percent of the amount at which actual spend notifies (ascending, at most 4: Azure allows 5 notifications and the forecast takes one)."
  type        = list(number)

  validation {
    condition     = length(var.thresholds) >= 1 && length(var.thresholds) <= 4 && alltrue([for t in var.thresholds : t > 0 && t <= 1000])
    error_message = "thresholds must be 1-4 percentages between 0 and 1000."
  }
}

variable "emails" {
  description = "Who is e-mailed (at least one: Azure requires a contact on each notification)."
  type        = list(string)

  validation {
    condition     = length(var.emails) >= 1 && alltrue([for email in var.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "emails must be one or more e-mail addresses."
  }
}

variable "action_group_id" {
  description = "Action group the notifications also go to (the monitoring module's)."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.Insights/actionGroups/[^/]+$", var.action_group_id))
    error_message = "action_group_id must be an action group resource id."
  }
}
