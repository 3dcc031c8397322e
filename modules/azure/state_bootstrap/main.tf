data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "state" {
  name     = var.resource_group_name
  location = var.location
  tags     = var.tags
}

# The state's own customer-managed key, in a vault of the bootstrap: the environment's vault does not exist
# before its state does.
resource "azurerm_user_assigned_identity" "encryption" {
  name                = var.encryption_identity_name
  location            = var.location
  resource_group_name = azurerm_resource_group.state.name
  tags                = var.tags
}

resource "azurerm_key_vault" "state" {
  #checkov:skip=CKV_AZURE_189:The deployer creates and rotates the state key from outside any VNet (the bootstrap runs before the network exists); RBAC guards the vault, which holds this one key.
  #checkov:skip=CKV_AZURE_109:Same reason: a default-deny network rule would lock the deployer out of the key's data plane.
  #checkov:skip=CKV2_AZURE_32:No private endpoint: the bootstrap runs before the environment VNet exists and the deployer works from outside it (see CKV_AZURE_189).
  name                          = var.key_vault_name
  location                      = var.location
  resource_group_name           = azurerm_resource_group.state.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "premium"
  rbac_authorization_enabled    = true
  purge_protection_enabled      = true
  soft_delete_retention_days    = var.soft_delete_retention_days
  public_network_access_enabled = true
  tags                          = var.tags

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }
}

resource "azurerm_role_assignment" "key_officer" {
  #checkov:skip=MLG007:Terraform creates, rotates and deletes the key through the vault data plane; no narrower built-in role can (a custom role would need rights on role definitions the deployer lacks). Scoped to this vault only.
  scope                = azurerm_key_vault.state.id
  role_definition_name = "Key Vault Crypto Officer"
  principal_id         = data.azurerm_client_config.current.object_id
  description          = "mlgen: the bootstrap deployer manages the state key."
}

resource "azurerm_role_assignment" "key_user" {
  scope                = azurerm_key_vault.state.id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = azurerm_user_assigned_identity.encryption.principal_id
  description          = "mlgen: the state account unwraps its data keys."
}

resource "azurerm_key_vault_key" "state" {
  #checkov:skip=CKV_AZURE_40:Each key version expires through rotation_policy.expire_after; a fixed expiration_date would break rotation and make the plan depend on the day.
  name         = "tfstate"
  key_vault_id = azurerm_key_vault.state.id
  key_type     = "RSA-HSM"
  key_size     = 2048
  key_opts     = ["wrapKey", "unwrapKey"]
  tags         = var.tags

  rotation_policy {
    expire_after         = "P730D"
    notify_before_expiry = "P30D"

    automatic {
      time_before_expiry = "P365D"
    }
  }

  depends_on = [azurerm_role_assignment.key_officer]
}

# The state account of one environment. Shared keys are off: the azurerm backend authenticates with Entra ID
# (use_azuread_auth), so nobody can read state with an account key or a SAS.
resource "azurerm_storage_account" "state" {
  #checkov:skip=CKV_AZURE_59:The backend is reached from CI runners and operators outside any VNet; access needs Entra ID (shared keys are off) and a data-plane role on the container.
  #checkov:skip=CKV_AZURE_35:Default-deny would lock out the CI runners that plan and apply; Entra ID data-plane roles guard the container instead.
  #checkov:skip=CKV2_AZURE_33:No private endpoint: the backend is reached from outside a VNet (see CKV_AZURE_59).
  #checkov:skip=CKV_AZURE_33:Queue logging does not apply: the account holds state blobs only (no queues).
  #checkov:skip=CKV_AZURE_206:Replication is the replication_type input (ZRS by default: zone failures keep the state; GZRS for another region).
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

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.encryption.id]
  }

  customer_managed_key {
    key_vault_key_id          = azurerm_key_vault_key.state.versionless_id
    user_assigned_identity_id = azurerm_user_assigned_identity.encryption.id
  }

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

  # The account must not try to use its key before its identity may.
  depends_on = [azurerm_role_assignment.key_user]
}

resource "azurerm_storage_container" "state" {
  #checkov:skip=CKV2_AZURE_21:Blob read logging is on the account's blob service, set by the environment root's state_diagnostics module (the bootstrap runs before the environment's Log Analytics exists); the container holds state only.
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
