# Premium is the tier that has private endpoints, customer-managed keys and the retention policy.
resource "azurerm_container_registry" "this" {
  #checkov:skip=CKV_AZURE_165:Geo-replication is a second paid Premium registry region; one region per environment keeps idle cost to one registry.
  #checkov:skip=CKV_AZURE_164:Docker Content Trust (trust_policy) is deprecated in ACR; images are pinned by immutable tags and pulled by identity.
  #checkov:skip=CKV_AZURE_166:Quarantine blocks every pull until a scanner marks the image verified; no scanner is part of the landing zone, so jobs could never start.
  #checkov:skip=CKV_AZURE_233:Zone redundancy is not offered in every region the spec allows; enable it per region where it is.
  name                   = var.name
  resource_group_name    = var.resource_group_name
  location               = var.location
  sku                    = "Premium"
  admin_enabled          = false
  anonymous_pull_enabled = false
  # Pushes from outside the VNet need the deployer's ranges (public access on for them only).
  public_network_access_enabled = length(var.allowed_ip_ranges) > 0
  export_policy_enabled         = false
  data_endpoint_enabled         = true
  quarantine_policy_enabled     = false
  trust_policy_enabled          = false
  network_rule_bypass_option    = "AzureServices" # Azure ML builds and pulls as a trusted service
  retention_policy_in_days      = var.untagged_retention_days
  zone_redundancy_enabled       = false
  tags                          = var.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [var.encryption_identity_id]
  }

  network_rule_set = [{
    default_action = "Deny"
    ip_rule        = [for range in var.allowed_ip_ranges : { action = "Allow", ip_range = range }]
  }]

  # encryption is a "config mode attribute" in azurerm: the list syntax is the one its schema declares.
  encryption = [{
    key_vault_key_id   = var.key_id
    identity_client_id = var.encryption_identity_client_id
  }]
}

resource "azurerm_private_endpoint" "registry" {
  name                = "pe-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  subnet_id           = var.private_endpoint_subnet_id
  tags                = var.tags

  private_service_connection {
    name                           = "registry"
    private_connection_resource_id = azurerm_container_registry.this.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "registry"
    private_dns_zone_ids = [var.private_dns_zone_ids["privatelink.azurecr.io"]]
  }
}

resource "azurerm_monitor_diagnostic_setting" "registry" {
  name                       = "mlgen-logs"
  target_resource_id         = azurerm_container_registry.this.id
  log_analytics_workspace_id = var.log_analytics_workspace_id

  enabled_log {
    category_group = "allLogs"
  }

  enabled_metric {
    category = "AllMetrics"
  }
}

resource "azurerm_management_lock" "protect" {
  count = var.deletion_protection ? 1 : 0

  name       = "${var.name}-do-not-delete"
  scope      = azurerm_container_registry.this.id
  lock_level = "CanNotDelete"
  notes      = "mlgen deletion_protection: the environment's images."
}
