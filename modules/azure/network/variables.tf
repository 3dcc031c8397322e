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

variable "log_analytics_workspace_id" {
  description = "Log Analytics workspace that receives the diagnostic logs and metrics of the module's resources."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.OperationalInsights/workspaces/[^/]+$", var.log_analytics_workspace_id))
    error_message = "log_analytics_workspace_id must be the resource id of a Log Analytics workspace."
  }
}

variable "name" {
  description = "Name of the VNet (vnet-<project>-<environment>)."
  type        = string

  validation {
    condition     = can(regex("^vnet-[a-z0-9-]{3,59}$", var.name))
    error_message = "name must be vnet- followed by lower-case letters, digits and hyphens."
  }
}

variable "cidr" {
  description = "Address space of the VNet: a private /16 (the subnets are carved from it)."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) <= 16
    error_message = "cidr must be a CIDR range of /16 or larger."
  }
}

variable "private_dns_zones" {
  description = "Private DNS zones to create and link to the VNet (blob, dfs, Key Vault, ACR, Azure ML api and notebooks)."
  type        = list(string)

  validation {
    condition     = alltrue([for zone in var.private_dns_zones : startswith(zone, "privatelink.")])
    error_message = "private_dns_zones must be privatelink.* zone names."
  }
}
