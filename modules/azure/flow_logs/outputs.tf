output "id" {
  description = "Resource id of the VNet flow log (a child of the Network Watcher)."
  value       = azurerm_network_watcher_flow_log.vnet.id
}
