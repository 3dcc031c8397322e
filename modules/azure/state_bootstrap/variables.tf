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

variable "storage_account_name" {
  description = "Globally unique state account name (naming.state_storage_account: sttf + project/env + a hash of the subscription)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.storage_account_name))
    error_message = "storage_account_name must be 3-24 lower-case letters and digits."
  }
}

variable "replication_type" {
  description = "Replication of the state account: LRS, ZRS, GRS or GZRS."
  type        = string
  default     = "ZRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "GZRS"], var.replication_type)
    error_message = "replication_type must be LRS, ZRS, GRS or GZRS."
  }
}

variable "soft_delete_retention_days" {
  description = "Days a deleted or overwritten state blob, a deleted container, and the deleted state vault can be recovered (7-90: the vault's soft-delete range)."
  type        = number
  default     = 30

  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "soft_delete_retention_days must be between 7 and 90."
  }
}

variable "deletion_protection" {
  description = "Put a CanNotDelete lock on the state account (prod)."
  type        = bool
  validation {
    condition     = var.deletion_protection != null
    error_message = "deletion_protection must be true or false, not null."
  }
}

variable "key_vault_name" {
  description = "Globally unique name of the vault with the state key (naming.state_key_vault)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", var.key_vault_name))
    error_message = "key_vault_name must be 3-24 letters, digits and hyphens, start with a letter and not end with a hyphen."
  }
}

variable "encryption_identity_name" {
  description = "Name of the identity the state account unwraps its key as (naming.state_encryption_identity)."
  type        = string

  validation {
    condition     = can(regex("^id-[a-z0-9-]{3,125}$", var.encryption_identity_name))
    error_message = "encryption_identity_name must be id- followed by lower-case letters, digits and hyphens."
  }
}
