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

variable "private_endpoint_subnet_id" {
  description = "Subnet that holds the module's private endpoints (the network module's endpoints subnet)."
  type        = string

  validation {
    condition     = can(regex("(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+/subnets/[^/]+$", var.private_endpoint_subnet_id))
    error_message = "private_endpoint_subnet_id must be the resource id of a subnet."
  }
}

variable "private_dns_zone_ids" {
  description = "Private DNS zone ids by zone name (the network module's private_dns_zone_ids); the module's endpoints register in the zones they need."
  type        = map(string)

  validation {
    condition     = alltrue([for id in values(var.private_dns_zone_ids) : can(regex("(?i)/providers/Microsoft.Network/privateDnsZones/", id))])
    error_message = "private_dns_zone_ids values must be private DNS zone resource ids."
  }
}

variable "name" {
  description = "Globally unique vault name (naming.key_vault: kv + project/env + a hash of the subscription)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", var.name))
    error_message = "name must be 3-24 letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "soft_delete_retention_days" {
  description = "Days a deleted vault and its keys stay recoverable (and their name reserved): 7-90."
  type        = number

  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "soft_delete_retention_days must be between 7 and 90."
  }
}

variable "key_expiry_days" {
  description = "Days until a key version expires (the rotation policy's expire_after)."
  type        = number
  default     = 730

  validation {
    condition     = var.key_expiry_days >= 90 && var.key_expiry_days <= 3650
    error_message = "key_expiry_days must be between 90 and 3650."
  }
}

variable "rotate_before_expiry_days" {
  description = "Days before expiry when Key Vault rotates the key automatically (new version, same versionless id)."
  type        = number
  default     = 365

  validation {
    condition     = var.rotate_before_expiry_days >= 7 && var.rotate_before_expiry_days < var.key_expiry_days
    error_message = "rotate_before_expiry_days must be at least 7 and less than key_expiry_days."
  }
}

variable "encryption_principal_ids" {
  description = "Principals (by purpose) that use the key for service-side encryption: the encryption identity's principal id."
  type        = map(string)

  validation {
    condition     = alltrue([for id in values(var.encryption_principal_ids) : length(id) > 0])
    error_message = "encryption_principal_ids values must be principal (object) ids."
  }
}

variable "deletion_protection" {
  description = "Put a CanNotDelete lock on the vault (prod), on top of the resource group's lock."
  type        = bool
  validation {
    condition     = var.deletion_protection != null
    error_message = "deletion_protection must be true or false, not null."
  }
}

variable "allowed_ip_ranges" {
  description = "Public IP ranges (CIDR) of the deployer; non-empty turns public access on for these ranges only (default deny stays); empty: private endpoint only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for range in var.allowed_ip_ranges : can(cidrhost(range, 0))])
    error_message = "allowed_ip_ranges must be CIDR ranges."
  }
}
