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

variable "tags" {
  description = "Tags on every taggable resource (azurerm has no provider-level default tags)."
  type        = map(string)

  validation {
    condition     = alltrue([for key in ["project", "environment", "owner", "cost-center", "managed-by"] : contains(keys(var.tags), key)])
    error_message = "tags must carry project, environment, owner, cost-center and managed-by."
  }
}

variable "location" {
  description = "Azure region of every resource of the module, e.g. westeurope."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name such as westeurope (lower case, no spaces)."
  }
}

variable "resource_group_name" {
  description = "Resource group the module's resources live in."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._()-]{1,90}$", var.resource_group_name))
    error_message = "resource_group_name must be 1-90 letters, digits, '.', '_', '-', '(' or ')'."
  }
}

variable "identity_names" {
  description = "Identity name by duty (naming.identity): training, serving, data-scientist, ci-plan, ci-apply, tracking, and encryption (the CMK identity)."
  type        = map(string)

  validation {
    condition     = length(setsubtract(["training", "serving", "data-scientist", "ci-plan", "ci-apply", "tracking", "encryption"], keys(var.identity_names))) == 0
    error_message = "identity_names must name an identity for every duty: training, serving, data-scientist, ci-plan, ci-apply, tracking, encryption."
  }
}
