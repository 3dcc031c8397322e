output "diagnostic_setting_ids" {
  description = "Ids of the diagnostic settings by target: account, blob (the account's blob service) and vault."
  value = {
    account = azurerm_monitor_diagnostic_setting.account.id
    blob    = azurerm_monitor_diagnostic_setting.blob.id
    vault   = azurerm_monitor_diagnostic_setting.vault.id
  }
}
