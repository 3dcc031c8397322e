output "vnet_id" {
  description = "Resource id of the VNet."
  value       = azurerm_virtual_network.this.id
}

output "endpoints_subnet_id" {
  description = "Subnet that holds the private endpoints."
  value       = azurerm_subnet.this["endpoints"].id
}

output "workloads_subnet_id" {
  description = "Subnet for workloads you add inside the VNet (self-hosted runners, jump hosts)."
  value       = azurerm_subnet.this["workloads"].id
}

output "private_dns_zone_ids" {
  description = "Private DNS zone ids by zone name."
  value       = { for name, zone in azurerm_private_dns_zone.this : name => zone.id }
}
