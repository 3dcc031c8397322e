data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "state" {
  name     = var.resource_group_name
  location = var.location
  tags     = var.tags
}

# The state account of one environment. Shared keys are off: the azurerm backend authenticates with Entra ID
# (use_azuread_auth), so nobody can read state with an account key or a SAS.
resource "azurerm_storage_account" "state" {
  #checkov:skip=CKV_AZURE_59:The backend is reached from CI runners and operators outside any VNet; access needs Entra ID (shared keys are off) and a data-plane role on the container.
  #checkov:skip=CKV_AZURE_35:Default-deny would lock out the CI runners that plan and apply; Entra ID data-plane roles guard the container instead.
  #checkov:skip=CKV2_AZURE_1:State is encrypted with Microsoft-managed keys plus infrastructure (double) encryption; a customer key would need a Key Vault before the state exists.
  #checkov:skip=CKV2_AZURE_33:No private endpoint: the backend is reached from outside a VNet (see CKV_AZURE_59).
  #checkov:skip=CKV_AZURE_33:Queue logging does not apply: the account holds state blobs only (no queues).
  #checkov:skip=CKV_AZURE_206:Replication is the state_replication input (GRS or ZRS where wanted); LRS is the dev default to keep idle cost down.
  name                              = var.storage_account_name
  resource_group_name               = azurerm_resource_group.state.name
  location                          = var.location
  account_kind                      = "StorageV2"
  account_tier                      = "Standard"
  account_replication_type          = var.replication_type
  min_tls_version                   = "TLS1_2"
  https_traffic_only_enabled        = true
  shared_access_key_enabled         = false
  default_to_oauth_authentication   = true
  allow_nested_items_to_be_public   = false
  cross_tenant_replication_enabled  = false
  infrastructure_encryption_enabled = true
  local_user_enabled                = false
  public_network_access_enabled     = true
  tags                              = var.tags

  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = var.soft_delete_retention_days
    }

    container_delete_retention_policy {
      days = var.soft_delete_retention_days
    }
  }

  sas_policy {
    expiration_period = "00.01:00:00"
  }
}

resource "azurerm_storage_container" "state" {
  #checkov:skip=CKV2_AZURE_21:Blob read logging is on the account's blob service (diagnostic setting in the environment root's monitoring); the container holds state only.
  name                  = "tfstate"
  storage_account_id    = azurerm_storage_account.state.id
  container_access_type = "private"
}

# Whoever runs the bootstrap (an operator, or CI's apply identity later) needs a data-plane role to read and
# lock state: shared keys are off, so no role means no access at all.
resource "azurerm_role_assignment" "deployer" {
  scope                = azurerm_storage_container.state.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = data.azurerm_client_config.current.object_id
  description          = "mlgen: the bootstrap deployer reads and writes the environment's state."
}

resource "azurerm_management_lock" "protect" {
  count = var.deletion_protection ? 1 : 0

  name       = "${var.storage_account_name}-do-not-delete"
  scope      = azurerm_storage_account.state.id
  lock_level = "CanNotDelete"
  notes      = "mlgen deletion_protection: the environment's Terraform state."
}
