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

variable "workspace_name" {
  description = "Azure ML workspace the endpoints belong to."
  type        = string

  validation {
    condition     = can(regex("^mlw-[a-z0-9-]{3,29}$", var.workspace_name))
    error_message = "workspace_name must be an mlgen workspace name (mlw-...)."
  }
}

variable "serving_identity_id" {
  description = "User-assigned identity the endpoints (and their deployments) pull images and read models as."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+$", var.serving_identity_id))
    error_message = "serving_identity_id must be a user-assigned managed identity resource id."
  }
}

variable "endpoints" {
  description = "Online endpoints by key: name (naming.online_endpoint, 3-32 characters), auth_mode (AADToken or Key) and whether the scoring URI is reachable from the internet."
  type = map(object({
    name                  = string
    auth_mode             = string
    public_network_access = bool
  }))

  validation {
    condition     = alltrue([for e in values(var.endpoints) : can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,30}[a-zA-Z0-9]$", e.name)) && contains(["AADToken", "Key"], e.auth_mode)])
    error_message = "each endpoint needs a 3-32 character name (letters, digits, hyphens) and auth_mode AADToken or Key."
  }
}

variable "p99_latency_ms" {
  description = "Alert when an endpoint's p99 request latency exceeds this (ms)."
  type        = number

  validation {
    condition     = var.p99_latency_ms >= 1
    error_message = "p99_latency_ms must be at least 1."
  }
}

variable "error_rate_percent" {
  description = "Alert when more than this percent of an endpoint's requests fail with 5xx."
  type        = number

  validation {
    condition     = var.error_rate_percent > 0 && var.error_rate_percent <= 100
    error_message = "error_rate_percent must be in (0, 100]."
  }
}

variable "action_group_id" {
  description = "Action group the endpoint alerts notify (the monitoring module's)."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.Insights/actionGroups/[^/]+$", var.action_group_id))
    error_message = "action_group_id must be an action group resource id."
  }
}
