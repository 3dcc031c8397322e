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
  description = "Globally unique account name (naming.storage_account: st + project/env + a hash of the subscription)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.name))
    error_message = "name must be 3-24 lower-case letters and digits."
  }
}

variable "zones" {
  description = "Storage zones, one container each (must include artifacts: models, checkpoints, job defaults)."
  type        = list(string)

  validation {
    condition     = contains(var.zones, "artifacts") && alltrue([for zone in var.zones : can(regex("^[a-z0-9][a-z0-9-]{1,62}$", zone))])
    error_message = "zones must include artifacts, and each zone must be 2-63 lower-case letters, digits and hyphens."
  }
}

variable "replication_type" {
  description = "Replication of the lake: LRS, ZRS, GRS or GZRS."
  type        = string
  default     = "ZRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "GZRS"], var.replication_type)
    error_message = "replication_type must be LRS, ZRS, GRS or GZRS."
  }
}

variable "soft_delete_retention_days" {
  description = "Days deleted or overwritten blobs and deleted containers stay recoverable (1-365)."
  type        = number

  validation {
    condition     = var.soft_delete_retention_days >= 1 && var.soft_delete_retention_days <= 365
    error_message = "soft_delete_retention_days must be between 1 and 365."
  }
}

variable "transition_to_cool_days" {
  description = "Days after the last modification when block blobs move to the Cool tier."
  type        = number

  validation {
    condition     = var.transition_to_cool_days >= 1
    error_message = "transition_to_cool_days must be at least 1."
  }
}

variable "key_id" {
  description = "Versionless Key Vault key URL of the environment CMK (key_vault.key_id)."
  type        = string

  validation {
    condition     = can(regex("^https://[a-zA-Z0-9-]+\\.vault\\.azure\\.net/keys/[^/]+$", var.key_id))
    error_message = "key_id must be a versionless Key Vault key URL (https://<vault>.vault.azure.net/keys/<name>)."
  }
}

variable "encryption_identity_id" {
  description = "Resource id of the user-assigned identity the account unwraps its CMK as."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+$", var.encryption_identity_id))
    error_message = "encryption_identity_id must be a user-assigned managed identity resource id."
  }
}

variable "allowed_ip_ranges" {
  description = "Public IP ranges (CIDR) of the deployer (the apply writes the job-defaults blob); non-empty turns public access on for these ranges only (default deny stays); empty: private endpoints only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for range in var.allowed_ip_ranges : can(cidrhost(range, 0))])
    error_message = "allowed_ip_ranges must be CIDR ranges."
  }
}

variable "deletion_protection" {
  description = "Put a CanNotDelete lock on the data lake account (prod), on top of the resource group's lock."
  type        = bool
  validation {
    condition     = var.deletion_protection != null
    error_message = "deletion_protection must be true or false, not null."
  }
}
