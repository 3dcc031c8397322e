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
  description = "Workspace name (naming.workspace: mlw-<project>-<environment>)."
  type        = string

  validation {
    condition     = can(regex("^mlw-[a-z0-9-]{3,29}$", var.name))
    error_message = "name must be mlw- followed by 3-29 lower-case letters, digits and hyphens."
  }
}

variable "application_insights_id" {
  description = "Application Insights of the workspace (monitoring)."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.Insights/components/[^/]+$", var.application_insights_id))
    error_message = "application_insights_id must be an Application Insights resource id."
  }
}

variable "key_vault_id" {
  description = "The environment's Key Vault (workspace secrets and the CMK)."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.KeyVault/vaults/[^/]+$", var.key_vault_id))
    error_message = "key_vault_id must be a Key Vault resource id."
  }
}

variable "key_id" {
  description = "Key Vault key URL of the environment CMK (versionless)."
  type        = string

  validation {
    condition     = can(regex("^https://[a-zA-Z0-9-]+\\.vault\\.azure\\.net/keys/[^/]+", var.key_id))
    error_message = "key_id must be a Key Vault key URL."
  }
}

variable "storage_account_id" {
  description = "The data lake, the workspace's default storage."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.Storage/storageAccounts/[^/]+$", var.storage_account_id))
    error_message = "storage_account_id must be a storage account resource id."
  }
}

variable "storage_account_name" {
  description = "Name of the same account (the job-defaults blob is written there, in the artifacts container)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]{3,24}$", var.storage_account_name))
    error_message = "storage_account_name must be 3-24 lower-case letters and digits."
  }
}

variable "datastores" {
  description = "Identity-based ADLS Gen2 datastores to register: datastore name (naming.datastore) => resource id of the lake container it points at. Job outputs must be datastore paths (azureml://datastores/<name>/paths/...)."
  type        = map(string)

  validation {
    condition     = alltrue([for name, id in var.datastores : can(regex("^[a-z0-9_]{1,255}$", name)) && can(regex("(?i)/providers/Microsoft.Storage/storageAccounts/[a-z0-9]{3,24}/blobServices/default/containers/[a-z0-9-]{3,63}$", id))])
    error_message = "datastores must map lower-case datastore names (letters, digits, _) to storage container resource ids."
  }
}

variable "container_registry_id" {
  description = "The environment's container registry."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.ContainerRegistry/registries/[^/]+$", var.container_registry_id))
    error_message = "container_registry_id must be a container registry resource id."
  }
}

variable "encryption_identity_id" {
  description = "User-assigned identity of the workspace (unwraps the CMK)."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+$", var.encryption_identity_id))
    error_message = "encryption_identity_id must be a user-assigned managed identity resource id."
  }
}

variable "training_identity_id" {
  description = "User-assigned identity the compute cluster (and so every training job) runs as."
  type        = string

  validation {
    condition     = can(regex("(?i)/providers/Microsoft.ManagedIdentity/userAssignedIdentities/[^/]+$", var.training_identity_id))
    error_message = "training_identity_id must be a user-assigned managed identity resource id."
  }
}

variable "allowed_outbound_fqdns" {
  description = "FQDNs jobs may reach from the managed network (e.g. pypi.org). Any entry makes Azure ML deploy a managed Azure Firewall, which bills hourly."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for fqdn in var.allowed_outbound_fqdns : can(regex("^(\\*\\.)?[a-z0-9.-]+\\.[a-z]{2,}$", fqdn))])
    error_message = "allowed_outbound_fqdns must be host names such as pypi.org or *.pythonhosted.org."
  }
}

variable "compute" {
  description = "The GPU compute cluster: name (naming.compute_cluster), VM size, spot (low-priority) or dedicated, most nodes, idle time before scale-down (ISO 8601)."
  type = object({
    name            = string
    vm_size         = string
    spot            = bool
    max_nodes       = number
    idle_scale_down = string
  })

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.compute.name)) && startswith(var.compute.vm_size, "Standard_N") && var.compute.max_nodes >= 1 && can(regex("^PT[0-9]+[MS]$", var.compute.idle_scale_down))
    error_message = "compute needs a 2-16 character name, a Standard_N* GPU size, max_nodes >= 1 and an idle_scale_down such as PT10M."
  }
}

variable "job_defaults_blob" {
  description = "Blob (in the artifacts container) that holds the training-job defaults (naming.JOB_DEFAULTS_BLOB)."
  type        = string

  validation {
    condition     = endswith(var.job_defaults_blob, ".json")
    error_message = "job_defaults_blob must be a .json blob name."
  }
}

variable "job_defaults" {
  description = "The rest of the job-defaults document (clouds/azure/ops/job_defaults.py keys the module does not set itself)."
  type        = any # an object: numbers and booleans must stay numbers and booleans in the JSON

  validation {
    condition     = alltrue([for key in ["subscription_id", "resource_group", "location", "image_uri", "identity_client_id", "distribution_type"] : contains(keys(var.job_defaults), key)])
    error_message = "job_defaults needs at least subscription_id, resource_group, location, image_uri, identity_client_id and distribution_type."
  }
}
