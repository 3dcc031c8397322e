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

variable "name" {
  description = "Name of the environment's resource group (naming.resource_group: rg-<project>-<environment>)."
  type        = string

  validation {
    condition     = can(regex("^rg-[a-z0-9-]{3,87}$", var.name))
    error_message = "name must be rg- followed by lower-case letters, digits and hyphens (at most 90 characters)."
  }
}

variable "deletion_protection" {
  description = "Put a CanNotDelete management lock on the group, so nothing in it can be deleted (prod)."
  type        = bool
  validation {
    condition     = var.deletion_protection != null
    error_message = "deletion_protection must be true or false, not null."
  }
}
