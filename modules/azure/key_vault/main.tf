data "azurerm_client_config" "current" {}

# The name carries a hash of the subscription (naming.key_vault). A destroyed vault stays soft-deleted, name
# reserved, for soft_delete_retention_days and cannot be purged early (purge protection): the root's provider
# sets features.key_vault.recover_soft_deleted_key_vaults, so a redeploy recovers that vault instead of
# colliding with it. docs/azure-landing-zone.md ("Key Vault and redeploys").
resource "azurerm_key_vault" "this" {
  #checkov:skip=CKV_AZURE_189:Public access is off unless deployer_ip_ranges are given, and then only for those ranges (network ACLs default deny); checkov cannot evaluate the condition.
  name                       = var.name
  location                   = var.location
  resource_group_name        = var.resource_group_name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "premium" # HSM-backed keys
  rbac_authorization_enabled = true
  purge_protection_enabled   = true
  soft_delete_retention_days = var.soft_delete_retention_days
  # Terraform creates the key through the vault's data plane: from outside the VNet that needs the
  # deployer's ranges, and Azure applies them only while public access is on (default deny stays).
  public_network_access_enabled = length(var.allowed_ip_ranges) > 0
  tags                          = var.tags

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices" # storage, ACR and Azure ML reach their CMK as trusted services
    ip_rules       = var.allowed_ip_ranges
  }
}

# Terraform itself creates and rotates the key: the deployer needs Crypto Officer on this vault only.
resource "azurerm_role_assignment" "deployer" {
  #checkov:skip=MLG007:Terraform creates, rotates and deletes the key through the vault data plane; no narrower built-in role can (a custom role would need rights on role definitions the deployer lacks). Scoped to this vault only.
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Crypto Officer"
  principal_id         = data.azurerm_client_config.current.object_id
  description          = "mlgen: the deployer manages the environment's keys."
}

# Services that encrypt with the key (storage, registry, workspace) do so as the encryption identity.
resource "azurerm_role_assignment" "encryption_users" {
  for_each = var.encryption_principal_ids

  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Crypto Service Encryption User"
  principal_id         = each.value
  description          = "mlgen: ${each.key} wraps and unwraps data keys with the environment CMK."
}

resource "azurerm_key_vault_key" "cmk" {
  #checkov:skip=CKV_AZURE_40:Each key version expires through rotation_policy.expire_after; a fixed expiration_date would break rotation and make the plan depend on the day.
  name         = "cmk"
  key_vault_id = azurerm_key_vault.this.id
  key_type     = "RSA-HSM"
  key_size     = 2048
  key_opts     = ["wrapKey", "unwrapKey", "encrypt", "decrypt"]
  tags         = var.tags

  rotation_policy {
    expire_after         = "P${var.key_expiry_days}D"
    notify_before_expiry = "P30D"

    automatic {
      time_before_expiry = "P${var.rotate_before_expiry_days}D"
    }
  }

  depends_on = [azurerm_role_assignment.deployer]
}

resource "azurerm_private_endpoint" "vault" {
  name                = "pe-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = azurerm_key_vault.this.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "vault"
    private_dns_zone_ids = [var.private_dns_zone_ids["privatelink.vaultcore.azure.net"]]
  }
}

resource "azurerm_monitor_diagnostic_setting" "vault" {
  name                       = "mlgen-logs"
  target_resource_id         = azurerm_key_vault.this.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "audit"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}

resource "azurerm_management_lock" "protect" {
  count = var.deletion_protection ? 1 : 0

  name       = "${var.name}-do-not-delete"
  scope      = azurerm_key_vault.this.id
  lock_level = "CanNotDelete"
  notes      = "mlgen deletion_protection: the environment's keys."
}
